/**
 * The languages the API speaks to people: Romanian (the default) and English. A client picks one with
 * Accept-Language; the gateway settles it once per request (RequestContext.locale) and sends the
 * result on to subgraphs as `Accept-Language: <locale>`. Only messages change with the language:
 * codes (extensions.code, fields[].reason) and field names never do.
 */
import { formatInteger } from "./ro-format.ts";

export const LOCALES = ["ro", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "ro";

/** A message in every language the API speaks, so a subgraph can answer in the request's. */
export type Localized = Readonly<Record<Locale, string>>;

export const localized = (ro: string, en: string): Localized => ({ ro, en });

const supported = new Set<string>(LOCALES);

/** Beyond this a header is not a browser's: the rest is not read. */
const MAX_RANGES = 20;

/**
 * The best language we have for an Accept-Language header (RFC 9110 §12.5.4): the highest-weighted
 * range whose primary tag we speak ("en-GB;q=0.9" → en), the first one on a tie; Romanian when no
 * range names a language we speak (also for "*", a missing header or a malformed one).
 */
export function negotiateLocale(header: string | readonly string[] | undefined): Locale {
  const value = Array.isArray(header) ? header.join(",") : (header as string | undefined);
  if (!value) return DEFAULT_LOCALE;
  let best: Locale = DEFAULT_LOCALE;
  let bestWeight = 0;
  for (const range of value.split(",", MAX_RANGES)) {
    const [tag = "", ...params] = range.split(";");
    const primary = tag.trim().toLowerCase().split("-")[0]!;
    if (!supported.has(primary)) continue;
    const q = params.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (!(weight > bestWeight) || weight > 1) continue;
    best = primary as Locale;
    bestWeight = weight;
  }
  return best;
}

const EN_WHOLE = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A whole number as each language writes it: "9.000" / "9,000". */
export function localizedInteger(value: number): Localized {
  return { ro: formatInteger(value), en: EN_WHOLE.format(value) };
}
