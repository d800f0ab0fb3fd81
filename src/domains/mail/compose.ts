import type { MailMessage } from "./message";

/** The words of one email; `composeMail` gives them a plain-text and a simple HTML form. */
export interface MailContent {
  to: string;
  subject: string;
  greeting: string;
  /** Paragraphs before the button. */
  intro: string[];
  /** The one thing the reader can do, as a button in HTML and a bare link in text. */
  action?: { label: string; url: string };
  /** Paragraphs after the button: how long the link lasts, what to do if this was not you. */
  outro?: string[];
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

const SIGNATURE = "The Veza team";

/**
 * Platform email is plain and kind: a greeting, a few short paragraphs, at most one link. The text
 * part is complete on its own (many people read mail as text); the HTML says the same, escaped.
 */
export function composeMail(content: MailContent): MailMessage {
  const outro = content.outro ?? [];
  const text = [
    content.greeting,
    ...content.intro,
    ...(content.action ? [`${content.action.label}:\n${content.action.url}`] : []),
    ...outro,
    `— ${SIGNATURE}`,
  ].join("\n\n");

  const p = (line: string) => `<p style="margin:0 0 16px">${escapeHtml(line)}</p>`;
  const button = content.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(content.action.url)}" style="background:#1f6feb;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(content.action.label)}</a></p>` +
      `<p style="margin:0 0 16px;font-size:13px;color:#555">If the button does not work, copy this link into your browser:<br>${escapeHtml(content.action.url)}</p>`
    : "";
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>` +
    `<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:15px;line-height:1.5;color:#222;max-width:560px;margin:0 auto;padding:24px">` +
    p(content.greeting) +
    content.intro.map(p).join("") +
    button +
    outro.map(p).join("") +
    p(`— ${SIGNATURE}`) +
    `</body></html>`;

  return { to: content.to, subject: content.subject, text, html };
}

/** `${APP_URL}/${path}?key=value…`, keeping any path APP_URL has and whatever its trailing slash. */
export function appLink(appUrl: string, path: string, params: Record<string, string>): string {
  const url = new URL(path.replace(/^\/+/, ""), appUrl.endsWith("/") ? appUrl : `${appUrl}/`);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}
