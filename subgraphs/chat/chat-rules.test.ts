import type { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { MAX_MESSAGE_IMAGES, messageBody, messageImageIds, reportText } from "./chat-rules.ts";

/** The one field problem a refusal names. */
function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    const { code, fields } = (error as GraphQLError).extensions as { code: string; fields: { field: string; reason: string; message: string }[] };
    expect(code).toBe("BAD_USER_INPUT");
    expect(fields).toHaveLength(1);
    return fields[0];
  }
  throw new Error("accepted");
}

describe("message body", () => {
  it("keeps what was written, trimmed, line breaks and spacing inside included", () => {
    expect(messageBody("  Bună ziua!\n\nMai este disponibil?  ")).toBe("Bună ziua!\n\nMai este disponibil?");
    expect(messageBody("Preț:    4.500 €")).toBe("Preț:    4.500 €");
  });

  it("allows phone numbers and e-mail addresses, which listing text refuses", () => {
    expect(messageBody("Sunați la 0722 123 456 sau la ion@example.ro")).toBe("Sunați la 0722 123 456 sau la ion@example.ro");
  });

  it("accepts 1 to 5,000 characters", () => {
    expect(messageBody("k")).toBe("k");
    expect(messageBody("a".repeat(5000))).toHaveLength(5000);
    expect(refusal(() => messageBody("a".repeat(5001)))).toEqual({ field: "body", reason: "TOO_LONG", message: "Mesajul poate avea cel mult 5.000 de caractere." });
  });

  it("refuses a message with nothing to read: empty, blank, invisible characters only", () => {
    for (const blank of ["", " \n\t ", "\u200b\u200d\ufeff"]) {
      expect(refusal(() => messageBody(blank))).toEqual({ field: "body", reason: "TOO_SHORT", message: "Mesajul nu poate fi gol." });
    }
  });

  it("refuses NUL, broken Unicode and direction overrides, but keeps emoji sequences", () => {
    for (const bad of ["a\u0000b", "a\ud800b", "Plată: \u202Etxt.exe"]) {
      expect(refusal(() => messageBody(bad))).toMatchObject({ field: "body", reason: "INVALID_CHARACTERS" });
    }
    expect(messageBody("Mulțumesc 👨‍👩‍👧")).toBe("Mulțumesc 👨‍👩‍👧");
  });
});

describe("a message with photos", () => {
  it("may have no text; any text it has follows the same rules", () => {
    expect(messageBody("", true)).toBe("");
    expect(messageBody("  \n ", true)).toBe("");
    expect(messageBody("  Uite poza  ", true)).toBe("Uite poza");
    expect(refusal(() => messageBody("", false))).toMatchObject({ field: "body", reason: "TOO_SHORT" });
    expect(refusal(() => messageBody("a".repeat(5001), true))).toMatchObject({ field: "body", reason: "TOO_LONG" });
    expect(refusal(() => messageBody("Plată: \u202Etxt.exe", true))).toMatchObject({ field: "body", reason: "INVALID_CHARACTERS" });
  });

  it("carries up to 4 photos, each once", () => {
    const ids = ["a", "b", "c", "d", "e"];
    expect(messageImageIds(null)).toEqual([]);
    expect(messageImageIds(ids.slice(0, MAX_MESSAGE_IMAGES))).toEqual(["a", "b", "c", "d"]);
    expect(refusal(() => messageImageIds(ids))).toMatchObject({ field: "imageIds", reason: "OUT_OF_RANGE" });
    expect(refusal(() => messageImageIds(["a", "b", "a"]))).toMatchObject({ field: "imageIds", reason: "INVALID" });
  });
});

describe("report text", () => {
  it("wants 10 to 2,000 characters", () => {
    expect(reportText("  Mă insultă fără motiv.  ")).toBe("Mă insultă fără motiv.");
    expect(refusal(() => reportText("scurt"))).toMatchObject({ field: "text", reason: "TOO_SHORT" });
    expect(refusal(() => reportText("x".repeat(2001)))).toMatchObject({ field: "text", reason: "TOO_LONG" });
  });
});
