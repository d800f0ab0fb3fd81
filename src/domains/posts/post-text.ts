import { MAX_HASHTAG_LENGTH } from "./schemas";

/** At most this many hashtags and mentions are read from one post (the rest stay plain text). */
export const MAX_TAGS_PER_POST = 30;
export const MAX_MENTIONS_PER_POST = 30;

/**
 * `#tag`: Unicode letters, digits and underscores, not glued to a preceding word (so `a#b` and
 * `&#38;` are not tags). A run longer than MAX_HASHTAG_LENGTH is not a tag at all rather than a
 * truncated one, which would be a tag nobody wrote.
 */
const HASHTAG = /(?<![\p{L}\p{N}_&#])#([\p{L}\p{N}_]+)/gu;

/** `@username` as usernames are (3-30 ASCII letters, digits, underscores), not inside an email address. */
const MENTION = /(?<![\p{L}\p{N}_@.])@([A-Za-z0-9_]{3,30})(?![A-Za-z0-9_])/gu;

/**
 * The hashtags of `content` in order of first appearance, as written. Case-insensitive duplicates
 * are left in: the statement folds them with Postgres' own lower(), the same function
 * idx_hashtags_tag is built on, so "the same tag" means one thing everywhere.
 */
export function hashtagsOf(content: string): string[] {
  const tags: string[] = [];
  for (const m of content.matchAll(HASHTAG)) {
    const tag = m[1]!;
    if (tag.length <= MAX_HASHTAG_LENGTH && !tags.includes(tag)) tags.push(tag);
    if (tags.length === MAX_TAGS_PER_POST) break;
  }
  return tags;
}

/** The usernames `content` mentions, lower-cased, each once. */
export function mentionsOf(content: string): string[] {
  const names = new Set<string>();
  for (const m of content.matchAll(MENTION)) {
    names.add(m[1]!.toLowerCase());
    if (names.size === MAX_MENTIONS_PER_POST) break;
  }
  return [...names];
}

/** A text[] literal for binding an array as one parameter (`${textArray(xs)}::text[]`). */
export const textArray = (values: string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`;
