/**
 * The routes table: one line per screen. Screens other than the shell's own are loaded lazily, so
 * the first load stays small — add yours as
 *
 *   { path: "/tracks/:id", component: lazy(() => import("./screens/track/TrackPage")), auth: false },
 *
 * where the module's default export (or a named one: `.then((m) => m.TrackPage)`) is the screen.
 * The component receives the path's params as props (`{ id }`) and can read `useRoute()` /
 * `useLocation()` from preact-iso. `auth: true` shows the sign-in form in its place when signed out.
 * Link with `paths` (paths.ts), never with hand-written URLs.
 */
import type { AnyComponent } from "preact";
import { lazy } from "preact-iso";
import { paths } from "./paths";
import { Home } from "./screens/Home";
import { SignIn } from "./screens/SignIn";
import { SignUp } from "./screens/SignUp";

export interface AppRoute {
  path: string;
  // Screens take their path params as props, whatever their names.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  component: AnyComponent<any>;
  /** Needs an account: signed-out visitors get the sign-in form here instead. */
  auth?: boolean;
}

export const routes: AppRoute[] = [
  // `/` is the feed when signed in and the sign-in form otherwise (app.tsx).
  { path: "/", component: Home, auth: true },
  { path: "/sign-in", component: SignIn },
  { path: "/sign-up", component: SignUp },
  // Screens, one line each (lazy):
  { path: "/tracks/:id", component: lazy(() => import("./screens/track/TrackPage").then((m) => m.TrackPage)) },
  { path: "/upload", component: lazy(() => import("./screens/upload/UploadPage")), auth: true },
  { path: "/users/:username", component: lazy(() => import("./screens/user/UserPage").then((m) => m.UserPage)) },
  { path: "/library", component: lazy(() => import("./screens/library/Library")), auth: true },
  { path: "/playlists/:id", component: lazy(() => import("./screens/library/PlaylistPage")) },
  { path: "/search", component: lazy(() => import("./screens/search/SearchPage")) },
  { path: "/marketplace", component: lazy(() => import("./screens/marketplace/Marketplace")) },
  { path: "/marketplace/:slug", component: lazy(() => import("./screens/marketplace/ProductPage")) },
  { path: "/cart", component: lazy(() => import("./screens/marketplace/CartPage")), auth: true },
  { path: "/orders/:id", component: lazy(() => import("./screens/marketplace/OrderPage")), auth: true },
  { path: "/settings/:section?", component: lazy(() => import("./screens/settings/SettingsPage")), auth: true },
  { path: "/verify-email", component: lazy(() => import("./screens/account/VerifyEmail")) },
  { path: "/reset-password", component: lazy(() => import("./screens/account/ResetPassword")) },
  { path: "/auth/callback", component: lazy(() => import("./screens/account/OAuthCallback")) },
  { path: "/account-deleted", component: lazy(() => import("./screens/account/AccountDeleted")) },
  { path: "/chat", component: lazy(() => import("./screens/chat/ChatHome")), auth: true },
  { path: "/chat/:id", component: lazy(() => import("./screens/chat/RoomScreen")), auth: true },
];

/** The header's navigation, in order (the account's settings link sits beside it, in the header). */
export const nav: { href: string; label: string }[] = [
  { href: paths.home, label: "Feed" },
  { href: paths.search(), label: "Search" },
  { href: paths.upload, label: "Upload" },
  { href: paths.library, label: "Library" },
  { href: paths.chat, label: "Chat" },
  { href: paths.marketplace, label: "Marketplace" },
];

export { lazy };
