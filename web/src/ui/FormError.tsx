import { useEffect, useRef } from "preact/hooks";
import { ApiError, errorMessage } from "../api";

/**
 * The error of a whole form (or action), announced to screen readers and focused so keyboard users
 * land on it. Field errors of a 422 are shown by their fields; this shows the problem's `detail`.
 */
export function FormError({ error }: { error: unknown }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const fieldsShown = error instanceof ApiError && Object.keys(error.fields).length > 0;
  return (
    <div class="form-error" role="alert" tabIndex={-1} ref={ref}>
      {fieldsShown ? "Please correct the fields marked below." : errorMessage(error)}
    </div>
  );
}
