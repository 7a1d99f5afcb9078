/**
 * Romanian number formatting ("12.500", "12,50"). Intl formatters are costly to create —
 * toLocaleString makes one per call, seen as 12% of a browse request's CPU in a profile — so each
 * shape is made once here.
 */
const WHOLE = new Intl.NumberFormat("ro-RO", { maximumFractionDigits: 0 });
const TWO_DECIMALS = new Intl.NumberFormat("ro-RO", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const UP_TO_TWO_DECIMALS = new Intl.NumberFormat("ro-RO", { maximumFractionDigits: 2 });

export const formatInteger = (value: number): string => WHOLE.format(value);
export const formatDecimal = (value: number): string => UP_TO_TWO_DECIMALS.format(value);
export const formatFixed2 = (value: number): string => TWO_DECIMALS.format(value);
