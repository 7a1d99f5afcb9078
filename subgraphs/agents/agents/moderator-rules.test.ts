import { describe, expect, it } from "vitest";
import { judge, judgeMessage, type ModerationInput } from "./moderator-rules.ts";

const clean: ModerationInput = {
  title: "Bicicletă de oraș Pegas, roți 28",
  description: "Bicicletă folosită două sezoane, frâne noi, lanț schimbat în primăvară. Se poate vedea în Cluj-Napoca.",
  priceRon: 900,
  categoryMedianRon: 1_100,
  sameTextSellers: 0,
};
const codes = (input: Partial<ModerationInput>) => judge({ ...clean, ...input }).reasons.map((r) => r.code);

describe("moderator rules", () => {
  it("approves an ordinary listing with no reasons", () => {
    expect(judge(clean)).toEqual({ decision: "APPROVED", reasons: [], score: 0 });
  });

  it("rejects prohibited goods, in Romanian with or without diacritics and in English", () => {
    for (const title of ["Vând muniție pentru vânătoare", "Vand munitie", "Glock 19 for sale", "Acte false la comandă"]) {
      const verdict = judge({ ...clean, title });
      expect(verdict.decision, title).toBe("REJECTED");
      expect(verdict.reasons.length, title).toBeGreaterThan(0);
      expect(verdict.reasons[0]!.message, title).toMatch(/nu pot fi vândute/);
    }
  });

  it("does not mistake tools or words inside other words for prohibited goods", () => {
    expect(codes({ title: "Pistol de lipit 60W", description: "Pistol de lipit cu fludor, aproape nou." })).toEqual([]);
    expect(codes({ description: "Cutie de munitiebox? nu: cutie de scule." })).toEqual([]);
  });

  it("sends scam phrasing to review, and rejects it when it piles up", () => {
    expect(judge({ ...clean, description: "Plata în avans, apoi trimit coletul." }).decision).toBe("NEEDS_REVIEW");
    expect(judge({ ...clean, description: "Plata în avans prin Western Union, apoi trimit coletul." }).decision).toBe("REJECTED");
    const piled = judge({ ...clean, description: "Sunt în străinătate, trimit prin curier după plată; vă trimit link de plată pe WhatsApp." });
    expect(piled.decision).toBe("REJECTED");
    expect(piled.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(["COURIER_SCAM", "OFF_PLATFORM_CONTACT"]));
  });

  it("flags links and e-mail, bait prices, copied text and shouting", () => {
    expect(codes({ description: "Detalii pe www.exemplu-magazin.ro sau ion@exemplu.ro" })).toEqual(["LINK_OR_EMAIL"]);
    expect(codes({ priceRon: 100 })).toEqual(["PRICE_FAR_BELOW_MEDIAN"]);
    expect(codes({ priceRon: 100, categoryMedianRon: null })).toEqual([]);
    expect(codes({ sameTextSellers: 2 })).toEqual(["DUPLICATE_TEXT"]);
    expect(codes({ title: "BICICLETA SUPER OFERTA DOAR AZI" })).toEqual(["SHOUTING"]);
    expect(codes({ description: "Ocazie!!!" })).toEqual(["SHOUTING"]);
  });

  it("adds independent signals: a bait price with copied text is for an admin to decide", () => {
    const verdict = judge({ ...clean, priceRon: 100, sameTextSellers: 1 });
    expect(verdict.score).toBeCloseTo(1 - 0.55 * 0.5, 3);
    expect(verdict.decision).toBe("NEEDS_REVIEW");
  });
});

describe("moderator rules for chat messages", () => {
  it("flags scam phrasing and links for admins, never more than NEEDS_REVIEW", () => {
    const scam = judgeMessage("Sunt în străinătate, îți trimit link de plată de la Fan Courier, completezi datele cardului.");
    expect(scam.decision).toBe("NEEDS_REVIEW");
    expect(scam.reasons.map((r) => r.code)).toEqual(["COURIER_SCAM"]);
    expect(scam.score).toBeGreaterThan(0.9);
    expect(judgeMessage("Scrie-mi pe WhatsApp, vezi și www.oferte-bune.xyz").reasons.map((r) => r.code)).toEqual(["OFF_PLATFORM_CONTACT", "LINK_OR_EMAIL"]);
  });

  it("lets ordinary talk through, prohibited-goods words included", () => {
    expect(judgeMessage("Bună ziua, mai este disponibilă bicicleta? Pot veni mâine după-amiază.")).toEqual({ decision: "APPROVED", reasons: [], score: 0 });
    expect(judgeMessage("Aveți și un pistol de lipit sau muniție pentru airsoft?").decision).toBe("APPROVED");
  });
});
