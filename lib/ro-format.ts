/**
 * Romanian number formatting ("12.500", "12,50"). Intl formatters are costly to create —
 * toLocaleString makes one per call, seen as 12% of a browse request's CPU in a profile — so each
 * shape is made once here.
 */
const WHOLE = new Intl.NumberFormat("ro-RO", { maximumFractionDigits: 0 });
const TWO_DECIMALS = new Intl.NumberFormat("ro-RO", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
// "min2": no separator in four-digit numbers, so years read "2016", not "2.016"; "148.000" still groups.
const QUANTITY = new Intl.NumberFormat("ro-RO", { maximumFractionDigits: 2, useGrouping: "min2" });

/**
 * "12.500": a safe integer grouped by hand, as WHOLE writes it, at a tenth of its cost (a browse page
 * formats twenty prices; ro-format.test.ts checks both agree); anything else (fractions, -0, NaN,
 * huge values) goes to WHOLE.
 */
export function formatInteger(value: number): string {
  if (!Number.isSafeInteger(value) || Object.is(value, -0)) return WHOLE.format(value);
  let rest = value < 0 ? -value : value;
  let groups = "";
  while (rest >= 1000) {
    const group = rest % 1000;
    rest = (rest - group) / 1000;
    groups = `.${group < 10 ? "00" : group < 100 ? "0" : ""}${group}${groups}`;
  }
  return `${value < 0 ? "-" : ""}${rest}${groups}`;
}

/** Attribute values (years, km, m², cm³): up to two decimals, grouped from five digits on. */
export const formatQuantity = (value: number): string => QUANTITY.format(value);
export const formatFixed2 = (value: number): string => TWO_DECIMALS.format(value);
