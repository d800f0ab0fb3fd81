/**
 * The app's URLs, in one place so every screen links the same way. Routes for them are registered
 * in routes.tsx. Some are fixed by the API: mails link to /verify-email, /reset-password and
 * /settings/accounts; Stripe comes back to /orders/:id?checkout=success and /cart?checkout=cancelled;
 * OAuth sign-in lands on /auth/callback#… (see src/domains/oauth/callback.ts).
 */
const enc = encodeURIComponent;

export const paths = {
  home: "/",
  signIn: (next?: string) => (next && next !== "/" ? `/sign-in?next=${enc(next)}` : "/sign-in"),
  signUp: "/sign-up",
  search: (q?: string) => (q ? `/search?q=${enc(q)}` : "/search"),
  upload: "/upload",
  library: "/library",
  chat: "/chat",
  marketplace: "/marketplace",
  settings: "/settings",
  settingsSection: (section: string) => `/settings/${enc(section)}`,
  /** Without a token: ask for a reset link; with the mailed `?token=`: choose the new password. */
  resetPassword: "/reset-password",
  accountDeleted: "/account-deleted",
  cart: "/cart",
  user: (username: string) => `/users/${enc(username)}`,
  track: (id: string) => `/tracks/${enc(id)}`,
  playlist: (id: string) => `/playlists/${enc(id)}`,
  post: (id: string) => `/posts/${enc(id)}`,
  room: (id: string) => `/chat/${enc(id)}`,
  product: (slug: string) => `/marketplace/${enc(slug)}`,
  group: (slug: string) => `/groups/${enc(slug)}`,
  hashtag: (tag: string) => `/hashtags/${enc(tag)}`,
  order: (id: string) => `/orders/${enc(id)}`,
} as const;
