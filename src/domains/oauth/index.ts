import { createRouter } from "../../lib/router";
import { callbackRoutes } from "./callback";
import { identityRoutes } from "./identities";
import { secondFactorRoutes } from "./second-factor";
import { startRoutes } from "./start";

/**
 * Sign-in with Google, GitHub, Discord and Spotify (federated_identities): start -> provider ->
 * callback, linking from settings, listing and unlinking. OAuth itself is arctic's.
 */
export const oauth = createRouter().route("/", startRoutes).route("/", callbackRoutes).route("/", secondFactorRoutes).route("/", identityRoutes);
