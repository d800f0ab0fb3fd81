import { createRouter } from "../../lib/router";
import { badgeRoutes } from "./badges";
import { images } from "./images";
import { me } from "./me";
import { profile } from "./profile";
import { roles } from "./roles";
import { settings } from "./settings";

/**
 * Accounts as people see them: my account and settings (/v1/me...), public profiles
 * (/v1/users/:username), the badge catalogue and my badges, staff-verified roles, and profile
 * images (upload to R2, served from /v1/media).
 */
export const users = createRouter()
  .route("/", me)
  .route("/", settings)
  .route("/", badgeRoutes)
  .route("/", profile)
  .route("/", roles)
  .route("/", images);
