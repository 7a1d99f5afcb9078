import { describe, expect, it } from "vitest";
import { passwordProblem } from "./passwords.ts";

const ana = { email: "ana.ionescu@example.ro", displayName: "Ana Ionescu" };
/** The Romanian message of the refusal, undefined when the password is accepted. */
const message = (password: string, context?: Parameters<typeof passwordProblem>[1]) => passwordProblem(password, context)?.message.ro;

describe("passwordProblem", () => {
  it.each(["password", "PASSWORD", "Password", "iloveyou", "qwertyuiop", "12345678", "1qaz2wsx"])(
    "refuses the common password %s, whatever its case",
    (password) => {
      expect(message(password, ana)).toMatch(/printre cele mai folosite/);
      expect(passwordProblem(password, ana)).toMatchObject({ reason: "WEAK_PASSWORD", message: { en: expect.stringMatching(/most commonly used/) } });
    },
  );

  it.each([
    ["ana.ionescu@example.ro", "the e-mail"],
    ["ANA.IONESCU@EXAMPLE.RO", "the e-mail in capitals"],
    ["ana.ionescu", "the local part"],
    ["Ana.Ionescu-2026", "the local part with a year"],
    ["x-ana.ionescu@example.ro-x", "the e-mail inside it"],
  ])("refuses %s (%s)", (password) => {
    expect(message(password, ana)).toMatch(/adresa de e-mail/);
  });

  it.each([
    ["Ana Ionescu", "the display name"],
    ["anaionescu!!", "the name without its space"],
    ["Ana-Ionescu-2026", "the name with separators and a year"],
    ["Ștefan Mureșan 1", "the name with diacritics", "Stefan Muresan"],
  ])("refuses %s (%s)", (password, _why, displayName = "Ana Ionescu") => {
    expect(message(password, { email: "altcineva@example.ro", displayName })).toMatch(/numele afișat/);
  });

  it("refuses a short identifier only as the whole password", () => {
    expect(passwordProblem("ion-merge-la-munte", { email: "x@example.ro", displayName: "Ion" })).toBeUndefined();
    expect(message("I-o-n-!-!-!-!", { email: "x@example.ro", displayName: "Ion" })).toMatch(/numele afișat/);
  });

  it.each([
    ["parola-sigura-123", { email: "user-0a1b2c3d4e@example.ro", displayName: "Ion Popescu" }, "the test fixtures"],
    ["Parola-Demo-2026", { email: "andrei.popescu.12@example.ro", displayName: "Andrei Popescu" }, "the demo sellers"],
    ["Admin-Piata-2026!", { email: "ana.ionescu@example.ro", displayName: "Ana Ionescu" }, "the demo admin's password elsewhere"],
    ["cal verde sare gardul", ana, "a passphrase"],
  ])("accepts %s (%s)", (password, context) => {
    expect(passwordProblem(password, context)).toBeUndefined();
  });

  it("refuses the demo admin's password for the demo admin account itself, as it contains the e-mail's local part", () => {
    // Seeded accounts are hashed directly, so the demo admin still signs in with it; it could not be chosen anew.
    expect(message("Admin-Piata-2026!", { email: "admin@piata.ai", displayName: "Administrator Piața" })).toMatch(/adresa de e-mail/);
  });

  it("works without a context (only the common list applies)", () => {
    expect(passwordProblem("password")).toBeDefined();
    expect(passwordProblem("parola-sigura-123")).toBeUndefined();
  });
});
