import { describe, expect, it } from "vitest";
import { foldWord, MAX_QUERY_LENGTH, parseQuery } from "./search-query.ts";

describe("parseQuery", () => {
  it("splits words, quoted phrases and exclusions", () => {
    expect(parseQuery('"dacia logan" -avariat diesel')).toEqual({ words: ["diesel"], phrases: ["dacia logan"], excluded: ["avariat"] });
    expect(parseQuery('bicicletă -"roți mici"')).toEqual({ words: ["bicicletă"], phrases: [], excluded: ["roți mici"] });
    expect(parseQuery('"iphone"')).toEqual({ words: [], phrases: ["iphone"], excluded: [] });
  });

  it("reads query syntax and stray punctuation as separators only", () => {
    expect(parseQuery("a & | ! b:*")).toEqual({ words: ["a", "b"], phrases: [], excluded: [] });
    expect(parseQuery('"dacia logan')).toEqual({ words: [], phrases: ["dacia logan"], excluded: [] });
    expect(parseQuery("Cluj-Napoca")).toEqual({ words: ["Cluj", "Napoca"], phrases: [], excluded: [] });
    expect(parseQuery("' OR 1=1 --")).toEqual({ words: ["OR", "1", "1"], phrases: [], excluded: [] });
  });

  it("gives null for nothing to search", () => {
    for (const text of [null, undefined, "", "   ", "&|!", '""', "-"]) expect(parseQuery(text), String(text)).toBeNull();
  });

  it("refuses a long query or too many parts", () => {
    expect(() => parseQuery("a".repeat(MAX_QUERY_LENGTH + 1))).toThrow(/200/);
    expect(() => parseQuery("a b c d e f g h i j k")).toThrow(/10/);
    expect(parseQuery("a".repeat(MAX_QUERY_LENGTH))?.words).toHaveLength(1);
  });
});

describe("foldWord", () => {
  it("keeps [a-z0-9] of a word without accents, cedilla forms included", () => {
    expect(foldWord("Mașină")).toBe("masina");
    expect(foldWord("ŞCOALĂ")).toBe("scoala");
    expect(foldWord("ţeavă")).toBe("teava");
    expect(foldWord("über-cool!")).toBe("ubercool");
  });
});
