/**
 * A partner's price → MoneyInput (minor units, RON or EUR). Numbers are major units; text may carry
 * its currency ("1.250 lei", "€ 8.900", "99,90 RON") and writes numbers the Romanian way (1.250,50)
 * or the English way (1,250.50).
 */
import { type Reason, reason } from "./manus-item.ts";

export interface Money {
  amount: number;
  currency: "RON" | "EUR";
}

/** GraphQL's Int: MoneyInput.amount cannot be larger. */
const MAX_MINOR_UNITS = 2_147_483_647;

const CURRENCIES: [RegExp, Money["currency"] | "OTHER"][] = [
  [/\b(?:ron|lei|leu)\b/i, "RON"],
  [/\beur(?:o|os)?\b|€/i, "EUR"],
  [/\$|£|\b(?:usd|gbp|chf|huf|mdl|bgn|pln|czk)\b/i, "OTHER"],
];

export function readPrice(price: { amount: unknown; currency?: string } | undefined): { money: Money } | { problem: Reason } {
  if (price === undefined || price.amount === undefined || price.amount === null || price.amount === "") {
    return { problem: reason("price", "PRICE_MISSING", "the item has no price") };
  }
  const major = typeof price.amount === "number" ? price.amount : typeof price.amount === "string" ? parseNumber(price.amount) : undefined;
  if (major === undefined || !Number.isFinite(major) || major < 0) {
    return { problem: reason("price.amount", "PRICE_INVALID", `"${String(price.amount).slice(0, 40)}" is not a price`) };
  }
  const amount = Math.round(major * 100);
  if (amount > MAX_MINOR_UNITS) return { problem: reason("price.amount", "PRICE_TOO_LARGE", `${major} is above the largest price a listing can hold`) };
  const currency = readCurrency(price.currency) ?? (typeof price.amount === "string" ? readCurrency(price.amount) : undefined);
  if (currency === undefined) return { problem: reason("price.currency", "CURRENCY_MISSING", "the price names no currency (RON or EUR)") };
  if (currency === "OTHER") {
    const named = (price.currency ?? String(price.amount)).slice(0, 20);
    return { problem: reason("price.currency", "CURRENCY_UNSUPPORTED", `"${named}": listings are priced in RON or EUR only`) };
  }
  return { money: { amount, currency } };
}

function readCurrency(text: string | undefined): Money["currency"] | "OTHER" | undefined {
  if (!text) return undefined;
  for (const [pattern, currency] of CURRENCIES) if (pattern.test(text)) return currency;
  // An ISO 4217 code we do not take.
  return /^\s*[A-Za-z]{3}\s*$/.test(text) ? "OTHER" : undefined;
}

/**
 * The number in a price text, in major units. Both separators: the last one is the decimal point.
 * One kind, repeated or followed by exactly three digits: thousands ("1.250", "1,250,000"); else decimal.
 */
export function parseNumber(text: string): number | undefined {
  const match = /\d[\d.,\s\u00a0\u202f']*/.exec(text);
  if (!match) return undefined;
  const digits = match[0].replace(/[\s\u00a0\u202f']/g, "").replace(/[.,]+$/, "");
  const lastDot = digits.lastIndexOf(".");
  const lastComma = digits.lastIndexOf(",");
  let normal: string;
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? "." : ",";
    const group = decimal === "." ? "," : ".";
    normal = digits.replaceAll(group, "").replace(decimal, ".");
  } else if (lastDot >= 0 || lastComma >= 0) {
    const separator = lastDot >= 0 ? "." : ",";
    const parts = digits.split(separator);
    const grouping = parts.length > 2 || parts[parts.length - 1]!.length === 3;
    normal = grouping ? parts.join("") : parts.join(".");
  } else {
    normal = digits;
  }
  const value = Number(normal);
  return Number.isFinite(value) ? value : undefined;
}
