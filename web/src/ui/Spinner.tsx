/** A loading indicator. `label` is read by screen readers ("" when a surrounding element says it). */
export function Spinner({ label = "Loading…", size = "normal" }: { label?: string; size?: "small" | "normal" }) {
  return (
    <span class={`spinner spinner-${size}`} role={label ? "status" : undefined} aria-hidden={label ? undefined : true}>
      {label && <span class="visually-hidden">{label}</span>}
    </span>
  );
}

/** A whole region loading: a centred spinner. */
export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div class="loading">
      <Spinner label={label} />
    </div>
  );
}
