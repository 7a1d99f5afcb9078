import { describe, expect, it, vi } from "vitest";
import { growthOnHostileText, LINEAR_GROWTH_BOUND, repeatTo } from "../tests/utils/linear-time.ts";
import { checkText, foldForMatching, hasBidiControl, textSchema, visibleLength, type TextRule } from "./text.ts";

const both = (text: string) => ({ ro: text, en: text });
const rule: TextRule = {
  label: { ro: "Titlul", en: "The title" },
  min: 4,
  max: 20,
  tooShort: { ro: "prea scurt", en: "too short" },
  tooLong: { ro: "prea lung", en: "too long" },
};
/** The Romanian message of a refusal; `reason` and `english` give the rest of it. */
const message = (raw: string, r: TextRule = rule) => {
  const result = checkText(raw, r);
  return result.ok ? undefined : result.message.ro;
};
const reason = (raw: string, r: TextRule = rule) => {
  const result = checkText(raw, r);
  return result.ok ? undefined : result.reason;
};
const english = (raw: string, r: TextRule = rule) => {
  const result = checkText(raw, r);
  return result.ok ? undefined : result.message.en;
};

/** Each shape that made the old patterns (or a naive scan) slow, as the unit repeated to a megabyte. */
const HOSTILE_UNITS: Record<string, string> = {
  letters: "a",
  "a.": "a.",
  "digits and spaces": "1 ",
  digits: "7",
  "a@": "a@",
  spaces: " ",
  "zero-width between digits": "1\u200B",
  "Romanian letters": "ăș",
  "full-width digits": "１",
};

describe("foldForMatching", () => {
  it("removes invisible and bidi characters, folds full-width and other scripts' digits", () => {
    expect(foldForMatching("0\u200B7\u200C2\u200D2\u2060 \uFEFF1\u00AD2\u202E3")).toBe("0722 123");
    expect(foldForMatching("０７２２ １２３ ４５６")).toBe("0722 123 456");
    expect(foldForMatching("٠٧٢٢ ०७२२ ০৭২২")).toBe("0722 0722 0722");
    expect(foldForMatching("ion＠example．ro")).toBe("ion@example.ro");
    expect(foldForMatching("a\u{E0041}b\u{E0100}c")).toBe("abc");
  });

  it("keeps letters, diacritics and case as they are", () => {
    expect(foldForMatching("Mașină ȘI Bicicletă")).toBe("Mașină ȘI Bicicletă");
    expect(foldForMatching("plain ascii, 1.598 cm3")).toBe("plain ascii, 1.598 cm3");
  });
});

describe("visibleLength", () => {
  it("counts what a reader sees", () => {
    expect(visibleLength("\u200B".repeat(20))).toBe(0);
    expect(visibleLength("\u3164\u2800\u200B\u00AD")).toBe(0);
    expect(visibleLength("  a  \u200B b  ")).toBe(3);
    expect(visibleLength("Bicicletă")).toBe(9);
  });
});

describe("checkText", () => {
  it("returns the text trimmed, as written (invisibles are kept, not stored differently)", () => {
    expect(checkText("  Ana\u200Bmaria  ", rule)).toEqual({ ok: true, text: "Ana\u200Bmaria" });
    expect(checkText("a  b\t c  d", { ...rule, collapseSpaces: true })).toEqual({ ok: true, text: "a b c d" });
    expect(checkText("👨‍👩‍👧 familie", rule)).toEqual({ ok: true, text: "👨‍👩‍👧 familie" });
  });

  it("refuses NUL and broken UTF-16, naming the field", () => {
    expect(message("Bicicletă\u0000 de oraș")).toMatch(/^Titlul conține caracterul NUL/);
    expect(message("Bicicletă \uD800 de oraș")).toMatch(/^Titlul conține caractere Unicode invalide/);
    expect(reason("Bicicletă\u0000 de oraș")).toBe("INVALID_CHARACTERS");
    expect(reason("Bicicletă \uD800 de oraș")).toBe("INVALID_CHARACTERS");
    expect(english("Bicicletă\u0000 de oraș")).toMatch(/^The title contains the NUL character/);
  });

  it("measures the minimum on visible characters and the maximum on the stored text", () => {
    expect(message("\u200B".repeat(20))).toBe("prea scurt");
    expect(message(`ab${"\u200B".repeat(10)}`)).toBe("prea scurt");
    expect(message("abcd")).toBeUndefined();
    expect(message("a".repeat(21))).toBe("prea lung");
    expect(reason("\u200B".repeat(20))).toBe("TOO_SHORT");
    expect(reason("a".repeat(21))).toBe("TOO_LONG");
    expect(english("a".repeat(21))).toBe("too long");
  });

  it("refuses bidi overrides and isolates where the rule says", () => {
    for (const control of ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"]) {
      expect(hasBidiControl(`abc${control}def`)).toBe(true);
      expect(message(`Ana ${control}Maria`, { ...rule, refuseBidi: true })).toMatch(/direcția textului/);
      expect(reason(`Ana ${control}Maria`, { ...rule, refuseBidi: true })).toBe("INVALID_CHARACTERS");
      expect(message(`Ana ${control}Maria`)).toBeUndefined();
    }
    expect(hasBidiControl("Ana \u200F Maria")).toBe(false);
  });

  it("never runs the costly check on text over the maximum", () => {
    const check = vi.fn(() => undefined);
    expect(message("a".repeat(1 << 20), { ...rule, check })).toBe("prea lung");
    expect(message(` ${"a ".repeat(15)}`, { ...rule, collapseSpaces: true, check })).toBe("prea lung");
    expect(check).not.toHaveBeenCalled();
    const refused = { ...rule, check: () => ({ reason: "INVALID" as const, message: { ro: "refuzat", en: "refused" } }) };
    expect(message("abcdef", refused)).toBe("refuzat");
    expect(reason("abcdef", refused)).toBe("INVALID");
  });
});

describe("textSchema", () => {
  it("is one zod issue on the field, with the stored text as output", () => {
    const schema = textSchema(rule);
    expect(schema.parse("  Ion Pop ")).toBe("Ion Pop");
    expect(schema.safeParse("a\u0000bcd").error?.issues).toEqual([
      expect.objectContaining({ code: "custom", message: expect.stringMatching(/NUL/), params: { problem: expect.objectContaining({ reason: "INVALID_CHARACTERS" }) } }),
    ]);
  });
});

describe("a megabyte of hostile text", () => {
  // The shapes of the display name (2–50, no bidi) and report text (10–2,000) rules, and a rule that
  // collapses spaces (listing texts).
  const rules: Record<string, TextRule> = {
    name: { label: both("Numele"), min: 2, max: 50, tooShort: both("s"), tooLong: both("l"), refuseBidi: true },
    report: { label: both("Textul"), min: 10, max: 2000, tooShort: both("s"), tooLong: both("l") },
    listing: { label: both("Descrierea"), min: 80, max: 9000, tooShort: both("s"), tooLong: both("l"), collapseSpaces: true },
  };

  it.each(Object.entries(HOSTILE_UNITS))("%s: fold, visible length and every rule grow linearly, and refuse a megabyte", (_, unit) => {
    expect(growthOnHostileText(foldForMatching, unit), "foldForMatching").toBeLessThan(LINEAR_GROWTH_BOUND);
    expect(growthOnHostileText(visibleLength, unit), "visibleLength").toBeLessThan(LINEAR_GROWTH_BOUND);
    for (const [name, r] of Object.entries(rules)) {
      expect(growthOnHostileText((input) => textSchema(r).safeParse(input), unit), name).toBeLessThan(LINEAR_GROWTH_BOUND);
      expect(textSchema(r).safeParse(repeatTo(unit, 1 << 20)).success).toBe(false);
    }
  });
});
