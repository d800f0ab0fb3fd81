/** Small shared components: import from "../ui". */
export { Button } from "./Button";
export { Checkbox, TextInput } from "./Field";
export { FormError } from "./FormError";
export { Loading, Spinner } from "./Spinner";
export { Empty } from "./Empty";
export { TrackLink, UserLink } from "./links";
export { formatBytes } from "./bytes";
export { formatDuration, relativeTime, Time } from "./time";
export { usePageTitle } from "./usePageTitle";
export { useApi, type ApiState } from "./useApi";
