import { describe, expect, it } from "vitest";
import { localizedInteger, negotiateLocale } from "./i18n.ts";

describe("negotiateLocale", () => {
  it.each([
    [undefined, "ro"],
    ["", "ro"],
    ["en", "en"],
    ["EN-gb", "en"],
    ["en-US,en;q=0.9", "en"],
    ["ro-RO,ro;q=0.9,en;q=0.8", "ro"],
    ["fr-FR,fr;q=0.9,en;q=0.5", "en"],
    ["de, fr", "ro"],
    ["*", "ro"],
    ["ro;q=0.5, en;q=0.8", "en"],
    ["en;q=0", "ro"],
    ["en;q=abc", "ro"],
    [["fr", "en"], "en"],
  ] as const)("%j → %s", (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });

  it("reads only the first ranges of an overlong header", () => {
    expect(negotiateLocale(`${"xx, ".repeat(10_000)}en`)).toBe("ro");
  });
});

describe("localizedInteger", () => {
  it("writes thousands as each language does", () => {
    expect(localizedInteger(9000)).toEqual({ ro: "9.000", en: "9,000" });
  });
});
