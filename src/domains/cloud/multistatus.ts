/**
 * The part of a WebDAV 207 Multi-Status body (RFC 4918 §14.16) that backups read, without a DOM
 * (workerd has none): a small XML reader that keeps elements by their local name — servers spell
 * the DAV: namespace with any prefix (`D:`, `d:`, none) — and decodes text and entities.
 */

export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

/** One resource of a PROPFIND answer, from its 200 propstat. */
export interface DavEntry {
  /** The href as the server wrote it, decoded (a path, or an absolute URL). */
  href: string;
  isCollection: boolean;
  size: number | null;
  etag: string | null;
  lastModified: string | null;
  quotaUsedBytes: number | null;
  quotaAvailableBytes: number | null;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref] ?? whole;
  });
}

const TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<[?!][\s\S]*?>|<(\/?)(?:[\w.-]+:)?([\w.-]+)((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;

/** Parses `xml` into a tree of local names; malformed nesting throws (the caller names the server). */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: "#document", children: [], text: "" };
  const stack: XmlElement[] = [root];
  for (const m of xml.matchAll(TOKEN)) {
    const [, cdata, closing, name, , selfClosing, text] = m;
    const top = stack[stack.length - 1]!;
    if (cdata !== undefined) top.text += cdata;
    else if (text !== undefined) top.text += decodeEntities(text);
    else if (name === undefined) continue; // comment, declaration, processing instruction
    else if (closing) {
      if (stack.length < 2 || top.name !== name) throw new Error(`unbalanced </${name}>`);
      stack.pop();
    } else {
      const element: XmlElement = { name, children: [], text: "" };
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  return root;
}

const child = (el: XmlElement | undefined, name: string) => el?.children.find((c) => c.name === name);
const childrenNamed = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);
const textOf = (el: XmlElement | undefined) => (el ? el.text.trim() : null);

function numberOf(el: XmlElement | undefined): number | null {
  const text = textOf(el);
  if (!text || !/^\d+$/.test(text)) return null;
  return Number(text);
}

/** Every <response> with the properties of its 200 propstat (others say "not found" per property). */
export function parseMultistatus(xml: string): DavEntry[] {
  const multistatus = child(parseXml(xml), "multistatus");
  if (!multistatus) throw new Error("not a multistatus document");
  return childrenNamed(multistatus, "response").map((response) => {
    const ok = childrenNamed(response, "propstat").find((ps) => /\s200\s/.test(` ${textOf(child(ps, "status")) ?? ""} `));
    const prop = child(ok, "prop");
    const href = textOf(child(response, "href")) ?? "";
    let decoded = href;
    try {
      decoded = decodeURIComponent(href);
    } catch {
      // a server's malformed escape: keep the href as written
    }
    return {
      href: decoded,
      isCollection: Boolean(child(child(prop, "resourcetype"), "collection")),
      size: numberOf(child(prop, "getcontentlength")),
      etag: textOf(child(prop, "getetag")) || null,
      lastModified: textOf(child(prop, "getlastmodified")) || null,
      quotaUsedBytes: numberOf(child(prop, "quota-used-bytes")),
      quotaAvailableBytes: numberOf(child(prop, "quota-available-bytes")),
    };
  });
}
