import "./avatar.css";

/** A person's avatar, or their initial on the theme's soft accent. */
export function Avatar({ url, name, size = "small" }: { url: string | null; name: string; size?: "small" | "medium" | "large" }) {
  const initial = (name.replace(/^@/, "").trim()[0] ?? "?").toUpperCase();
  return url ? (
    <img class={`avatar avatar-${size}`} src={url} alt="" loading="lazy" decoding="async" />
  ) : (
    <span class={`avatar avatar-${size} avatar-initial`} aria-hidden="true">
      {initial}
    </span>
  );
}
