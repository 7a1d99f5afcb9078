import { describe, expect, it } from "vitest";
import { formatInteger } from "./ro-format.ts";

const WHOLE = new Intl.NumberFormat("ro-RO", { maximumFractionDigits: 0 });

describe("formatInteger", () => {
  it("writes what Intl writes for ro-RO", () => {
    const values = [0, -0, 1, 9, 10, 99, 100, 999, 1000, 1500, 9999, 10000, 12500, 99999, 100000, 999999, 1000000, 1234567, 12345678, 123456789];
    const all = [...values, ...values.map((v) => -v), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53, 1e21, 2.5, 3.5, -2.5, 999.5, 0.4, NaN, Infinity, -Infinity];
    for (let v = 1; v < 1e15; v = v * 7 + 3) all.push(v, -v);
    for (const value of all) expect(formatInteger(value), String(value)).toBe(WHOLE.format(value));
  });
});
