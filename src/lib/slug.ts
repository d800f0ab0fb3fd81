/**
 * The slug a name gives: accents dropped, lower-case, every run of other characters a single dash,
 * cut to leave room for a "-" + 8-character suffix within `maxLength`. A name without three Latin
 * letters or digits gives `fallback` (followed by what there is: "DJ" → "group-dj").
 */
export function slugFromName(name: string, maxLength: number, fallback: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, maxLength - 9)
    .replace(/^-+|-+$/g, "");
  return base.length >= 3 ? base : `${fallback}${base ? `-${base}` : ""}`;
}

/**
 * The name's slug, then two variants with a random 8-character suffix: a statement inserting the
 * row takes the first that is free, so a taken name still gets a slug in one round trip.
 */
export function slugCandidates(name: string, maxLength: number, fallback: string): string[] {
  const base = slugFromName(name, maxLength, fallback);
  const suffix = () => crypto.randomUUID().replace(/-/g, "").slice(0, 8);
  return [base, `${base}-${suffix()}`, `${base}-${suffix()}`];
}
