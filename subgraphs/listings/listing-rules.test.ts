import { describe, expect, it } from "vitest";
import { validateAttributes } from "./catalog/attributes.ts";
import { Catalog } from "./catalog/catalog.ts";
import { capitalsRatio, contactProblem, containsEmail, containsPhone, description, formatMoney, title } from "./listing-rules.ts";
import { toRonBani } from "../../lib/money.ts";
import { growthOnHostileText, LINEAR_GROWTH_BOUND } from "../../tests/utils/linear-time.ts";

const DESCRIPTION = { ro: "Descrierea", en: "The description" };

describe("listing text rules", () => {
  it.each(["0722 123 456", "0722123456", "+40 722 123 456", "+40-722-123-456", "0040722123456", "0264.123.456", "(0722) 123-456"])(
    "finds the phone number %s",
    (phone) => expect(containsPhone(`Sunați la ${phone} după ora 18.`)).toBe(true),
  );

  it.each(["148.000 km", "Preț 12.500 lei", "An 2016, 1.598 cm³", "Apartament 54 mp, etaj 3 din 10", "cod 12345"])(
    "does not mistake %s for a phone number",
    (text) => expect(containsPhone(text)).toBe(false),
  );

  it("finds e-mail addresses, with or without diacritics around them", () => {
    expect(containsEmail("scrie-mi la ion.popescu@example.ro")).toBe(true);
    expect(containsEmail("contact: vânzări@firmă.ro")).toBe(true);
    expect(containsEmail("preț @ negociabil")).toBe(false);
  });

  it("measures capitals over letters only", () => {
    expect(capitalsRatio("BMW X5 xDrive, full options")).toBeLessThan(0.5);
    expect(capitalsRatio("VÂND URGENT")).toBe(1);
    expect(capitalsRatio("12.500 !!!")).toBe(0);
  });

  it("trims and collapses spaces before measuring a title", () => {
    expect(title.parse("   Bicicletă   de  oraș, ca nouă   ")).toBe("Bicicletă de oraș, ca nouă");
    expect(title.safeParse("a".repeat(15)).success).toBe(false);
    expect(title.safeParse("a".repeat(16)).success).toBe(true);
    expect(title.safeParse("a".repeat(71)).success).toBe(false);
  });

  it("bounds descriptions to 80–9,000 characters", () => {
    expect(description.safeParse("x".repeat(79)).success).toBe(false);
    expect(description.safeParse("x".repeat(80)).success).toBe(true);
    expect(description.safeParse("x".repeat(9001)).success).toBe(false);
  });
});

describe("contact details written around the rules", () => {
  it.each([
    ["spelled digits", "zero sapte doi doi unu doi trei"],
    ["spelled digits with diacritics", "Sunați: zero șapte două două unu două trei patru cinci șase"],
    ["spelled and written digits", "07 doi doi 123 456"],
    ["zero-width spaces between digits", "0\u200B7\u200B2\u200B2\u200B1\u200B2\u200B3\u200B4\u200B5\u200B6"],
    ["bidi controls between digits", "0722\u202E123\u202C456"],
    ["full-width digits", "０７２２ １２３ ４５６"],
    ["Arabic-Indic digits", "٠٧٢٢١٢٣٤٥٦"],
    ["letters for digits", "O722I23456"],
    ["lower-case look-alikes", "o722l23456"],
    ["a mobile number without its 0", "722123456"],
    ["a mobile number without its 0, grouped", "722 123 456"],
    ["+40 spaced out", "+ 4 0 7 2 2 1 2 3 4 5 6"],
    ["pipes as separators", "0722|123|456"],
    ["a pipe for a 1", "0722|23456"],
  ])("finds a phone number in %s", (_, text) => {
    expect(containsPhone(`Detalii: ${text} după ora 18.`)).toBe(true);
  });

  it.each([
    ["[at]", "andrei [at] gmail com"],
    ["(at) and (dot)", "andrei(at)gmail(dot)com"],
    ["{at} and [dot]", "andrei{at}yahoo[dot]ro"],
    ["at and dot as words", "andrei at gmail dot com"],
    ["at and punct", "andrei at yahoo punct ro"],
    ["arond", "andrei arond gmail.com"],
    ["spaces around @ and .", "andrei @ gmail . com"],
    ["line breaks around @", "andrei\n@\ngmail.com"],
    ["spaces inside the brackets", "andrei [ at ] gmail ( dot ) com"],
    ["a full-width @", "andrei＠gmail．com"],
    ["an invisible character in the domain", "andrei@gm\u200Bail.com"],
  ])("finds an e-mail address written with %s", (_, text) => {
    expect(containsEmail(`Scrieți-mi la ${text} pentru detalii.`)).toBe(true);
  });

  it.each([
    "Vând bicicletă la 2 ani, 21 viteze, roți de 26 inch",
    "an fabricație 2016, 148000 km",
    "Preț 4.500 euro",
    "Preț 4.500 euro, negociabil. Mașina are 148.000 km, 1.598 cm³, 105 CP.",
    "Mărimi disponibile: 36 37 38 39 40 41",
    "Apartament 2 camere, 54 mp, etaj 3 din 10, an 1985",
    "Vând 3 (trei) scaune și o masă, doi ani vechime",
    "Canistră 20l, 5l și 100l",
    "Intel Core I7 4790, 16 GB RAM, SSD 512 GB",
    "Golf 4 1.9 TDI 2003, 150 CP, 5 uși",
    "Dimensiuni 200 x 180 x 30 cm, greutate 45 kg",
    "Look at this, com toate actele",
    "preț @ negociabil. Sunați seara",
    "Telefon Samsung A52, 128 GB, ecran 6.5 inch, baterie 4500 mAh",
    "Cod produs 12345, lot 678",
  ])("leaves ordinary listing text alone: %s", (text) => {
    expect(contactProblem(DESCRIPTION, text)).toBeUndefined();
  });

  it("names the field in its message, in each language, with the reason CONTAINS_CONTACT", () => {
    expect(contactProblem({ ro: "Model", en: "The model" }, "Logan, sunați 0722 123 456")).toEqual({
      reason: "CONTAINS_CONTACT",
      message: { ro: "Model nu poate conține numere de telefon.", en: "The model cannot contain phone numbers." },
    });
    expect(contactProblem({ ro: "Titlul", en: "The title" }, "scrie la ion[at]gmail com")).toEqual({
      reason: "CONTAINS_CONTACT",
      message: { ro: "Titlul nu poate conține adrese de e-mail.", en: "The title cannot contain e-mail addresses." },
    });
  });
});

describe("listing text hygiene", () => {
  it("refuses NUL, invisible-only text and bidi overrides in titles", () => {
    expect(title.safeParse("Bicicletă de oraș\u0000 ca nouă").error?.issues[0]?.message).toMatch(/^Titlul conține caracterul NUL/);
    expect(description.safeParse(`${"Descriere lungă și cinstită. ".repeat(4)}\u0000`).success).toBe(false);
    expect(title.safeParse("\u200B".repeat(20)).error?.issues[0]?.message).toBe("Titlul trebuie să aibă cel puțin 16 caractere.");
    expect(title.safeParse("Bicicletă \u202Eaș vând\u202C de oraș").success).toBe(false);
    expect(title.safeParse("Bicicletă \u2066de oraș\u2069 ca nouă").success).toBe(false);
  });

  it("stores the text as written: trimmed and with spaces collapsed, nothing folded", () => {
    expect(title.parse("  Bicicletă ＢＭＸ,  ca nouă 👨‍👩‍👧 ")).toBe("Bicicletă ＢＭＸ, ca nouă 👨‍👩‍👧");
  });

  it("checks text attributes like listing text", () => {
    const catalog = new Catalog();
    const cars = catalog.attributesOf(catalog.get("101")!);
    const car = { make: "dacia", year: 2016, km: 148_000, fuel: "diesel" };
    const issues = (model: string) => validateAttributes(cars, { ...car, model }).issues.map((i) => `${i.field}: ${i.message.ro}`);
    expect(issues("Logan")).toEqual([]);
    expect(issues("Logan 0722 123 456")).toEqual(["attributes.model: Model nu poate conține numere de telefon."]);
    expect(issues("Logan ion(at)gmail(dot)com")).toEqual(["attributes.model: Model nu poate conține adrese de e-mail."]);
    expect(issues("Logan\u0000")).toEqual([expect.stringMatching(/^attributes\.model: Model conține caracterul NUL/)]);
    expect(issues("\u200B\u200B")).toEqual(["attributes.model: Model trebuie să fie un text."]);
    expect(issues("Logan \u202E")).toEqual([expect.stringMatching(/direcția textului/)]);
  });
});

describe("a megabyte of hostile text", () => {
  // The shapes that were worst for the old patterns (letters: the e-mail pattern retried from every
  // start, 12.8 s on 100,000 of them), and the worst for the new scans (dense digits, "@"s, invisibles),
  // each as the unit repeated to a megabyte.
  const units: Record<string, string> = {
    letters: "a",
    "a.": "a.",
    "digits and spaces": "1 ",
    "digit groups that never make a number": "12 45 78 ",
    digits: "7",
    spaces: " ",
    "a@": "a@",
    "zero-width spaces between digits": "1\u200B",
    "Romanian letters": "ăș",
    "full-width digits": "１",
  };
  const catalog = new Catalog();
  const cars = catalog.attributesOf(catalog.get("101")!);
  const rules: Record<string, (input: string) => unknown> = {
    title: (input) => title.safeParse(input),
    description: (input) => description.safeParse(input),
    "attribute text": (input) => validateAttributes(cars, { make: "dacia", year: 2016, km: 1, fuel: "diesel", model: input }),
    containsEmail,
    containsPhone,
    contactProblem: (input) => contactProblem(DESCRIPTION, input),
  };

  it.each(Object.entries(units))("%s: every listing text rule grows linearly", (_, unit) => {
    for (const [name, rule] of Object.entries(rules)) {
      expect(growthOnHostileText(rule, unit), name).toBeLessThan(LINEAR_GROWTH_BOUND);
    }
  });
});

describe("money", () => {
  it("formats minor units the Romanian way", () => {
    expect(formatMoney(1_250_000, "RON")).toBe("12.500 lei");
    expect(formatMoney(890_000, "EUR")).toBe("8.900 €");
    expect(formatMoney(1250, "RON")).toBe("12,50 lei");
  });

  it("converts to RON bani for comparison at the configured rate", () => {
    expect(toRonBani(100, "RON", 4.97)).toBe(100n);
    expect(toRonBani(100, "EUR", 4.97)).toBe(497n);
  });
});
