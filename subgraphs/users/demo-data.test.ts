import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../prisma/seed/demo-text.ts";
import { generatePerson } from "./demo-data.ts";

describe("demo people", () => {
  it("are Romanian and deterministic for a seed", () => {
    const people = (seed: number) => Array.from({ length: 20 }, ((rng) => () => generatePerson(rng))(mulberry32(seed)));
    expect(people(1)).toEqual(people(1));
    expect(people(1)).not.toEqual(people(2));
    expect(people(1).some((p) => /[ăâîșțĂÂÎȘȚ]/.test(p.displayName))).toBe(true);
  });
});
