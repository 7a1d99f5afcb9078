import { describe, expect, it } from "vitest";
import { capitalsRatio, containsEmail, containsPhone, description, formatMoney, title, toRonBani } from "./listing-rules.ts";

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
