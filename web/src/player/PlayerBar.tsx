/**
 * The persistent player at the bottom of every screen (owned by the player's engineer): the
 * landmark is here so the shell's layout and skip links are final; the player fills it.
 */
export function PlayerBar() {
  return <section id="player" class="player-bar" aria-label="Player" />;
}
