/**
 * Prices compared across currencies: every listing also stores its price in RON bani at one fixed
 * rate (EUR_RON_RATE), so a filter or a sort covers RON and EUR listings alike. Listings write that
 * column; browsing and search filter on it with the same conversion.
 */
import type { InputProblems } from "./errors.ts";

export type CurrencyCode = "RON" | "EUR";

export function toRonBani(amount: number, currency: CurrencyCode, eurRonRate: number): bigint {
  return BigInt(currency === "RON" ? amount : Math.round(amount * eurRonRate));
}

export interface PriceRangeInput {
  min?: number | null;
  max?: number | null;
  currency?: CurrencyCode | null;
}

/** Inclusive bounds in RON bani; a negative or inverted range is recorded on `field` and gives undefined. */
export interface RonBaniRange {
  gte?: bigint;
  lte?: bigint;
}

const NEGATIVE_PRICE = { reason: "OUT_OF_RANGE", message: { ro: "Prețul nu poate fi negativ.", en: "The price cannot be negative." } } as const;

export function ronBaniRange(price: PriceRangeInput, eurRonRate: number, problems: InputProblems, field: string): RonBaniRange | undefined {
  const { min, max } = price;
  const currency = price.currency ?? "RON";
  if (min != null && min < 0) problems.add(`${field}.min`, NEGATIVE_PRICE);
  if (max != null && max < 0) problems.add(`${field}.max`, NEGATIVE_PRICE);
  if (problems.has(field)) return undefined;
  if (min != null && max != null && min > max) {
    problems.add(`${field}.min`, {
      reason: "OUT_OF_RANGE",
      message: { ro: "Prețul minim e mai mare decât cel maxim.", en: "The minimum price is above the maximum price." },
    });
    return undefined;
  }
  return {
    ...(min != null ? { gte: toRonBani(min, currency, eurRonRate) } : {}),
    ...(max != null ? { lte: toRonBani(max, currency, eurRonRate) } : {}),
  };
}
