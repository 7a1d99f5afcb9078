/**
 * A highlight safe to render as HTML: ts_headline marks the matched words with private-use characters
 * (never in the text: search-sql.ts strips them first); here the listing's own text is escaped and only
 * those characters become <mark> elements.
 */
import { MARK_END, MARK_START } from "./search-sql.ts";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function toHighlightHtml(marked: string): string {
  return marked
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!)
    .replaceAll(MARK_START, "<mark>")
    .replaceAll(MARK_END, "</mark>");
}

/** The title when a matched word is in it, else the description's best fragment, else the title. */
export function bestHighlight(title: string | null, description: string | null): string | null {
  if (title === null) return null;
  if (title.includes(MARK_START) || description === null || !description.includes(MARK_START)) return toHighlightHtml(title);
  return toHighlightHtml(description);
}
