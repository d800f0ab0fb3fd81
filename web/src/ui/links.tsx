import type { ComponentChildren } from "preact";
import { paths } from "../paths";

/** A person: their display name (or @username), linking to their profile. */
export function UserLink({ user, children }: { user: { username: string; display_name?: string | null }; children?: ComponentChildren }) {
  return (
    <a class="user-link" href={paths.user(user.username)}>
      {children ?? user.display_name ?? `@${user.username}`}
    </a>
  );
}

/** A track's title, linking to its page. */
export function TrackLink({ track, children }: { track: { id: string; title: string }; children?: ComponentChildren }) {
  return (
    <a class="track-link" href={paths.track(track.id)}>
      {children ?? track.title}
    </a>
  );
}
