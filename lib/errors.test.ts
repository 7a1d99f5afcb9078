import { describe, expect, it } from "vitest";
import { z } from "zod";
import { addProblem, badInput, INPUT_REASONS, InputProblems, INTERNAL_MESSAGE, invalidInput, localizeError, maskError, problemsFromZod } from "./errors.ts";

describe("maskError", () => {
  const internal = { message: "connect ECONNREFUSED postgres://admin:hunter2@db", extensions: { code: "INTERNAL_SERVER_ERROR", serviceName: "listings", stacktrace: ["at x"] } };
  const typed = { message: "Anunțul nu există.", extensions: { code: "NOT_FOUND", serviceName: "listings" } };

  it("hides internal errors in production and keeps the request id", () => {
    expect(maskError(internal, { production: true, requestId: "r1" })).toEqual({
      message: INTERNAL_MESSAGE,
      extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "r1" },
    });
  });

  it("keeps typed errors but strips the subgraph name in production", () => {
    expect(maskError(typed, { production: true })).toEqual({ message: "Anunțul nu există.", extensions: { code: "NOT_FOUND" } });
  });

  it("passes internal errors through in development, stack trace included", () => {
    expect(maskError(internal, { production: false })).toBe(internal);
  });

  it("drops the stack trace of public errors in development too, keeping the rest", () => {
    const unauthenticated = { message: "Trebuie să fii autentificat.", extensions: { code: "UNAUTHENTICATED", stacktrace: ["GraphQLError: …", "at gateway"] } };
    expect(maskError(unauthenticated, { production: false })).toEqual({ message: "Trebuie să fii autentificat.", extensions: { code: "UNAUTHENTICATED" } });
    expect(maskError({ ...typed, extensions: { ...typed.extensions, stacktrace: ["at x"] } }, { production: false })).toEqual(typed);
    expect(maskError(typed, { production: false })).toBe(typed);
  });

  it("treats errors without a code as internal", () => {
    expect(maskError({ message: "TypeError: x is undefined" }, { production: true }).message).toBe(INTERNAL_MESSAGE);
  });

  it("gives graphql-js's variable errors the fields shape", () => {
    const invalid = maskError(
      { message: 'Variable "$input" got invalid value -1.5 at "input.price.amount"; Int cannot represent non-integer value: -1.5', extensions: { code: "BAD_USER_INPUT" } },
      { production: true },
    );
    expect(invalid.extensions!.fields).toEqual([{ field: "input.price.amount", reason: "INVALID_FORMAT", message: invalid.message }]);
    const missing = maskError({ message: 'Variable "$id" of required type "ID!" was not provided.', extensions: { code: "BAD_USER_INPUT" } }, { production: false });
    expect(missing.extensions!.fields).toEqual([{ field: "id", reason: "REQUIRED", message: missing.message }]);
  });
});

describe("input errors", () => {
  const problems = [
    { field: "title", reason: "TOO_SHORT", message: { ro: "Titlul e scurt.", en: "The title is short." } },
    { field: "price.amount", reason: "OUT_OF_RANGE", message: { ro: "Prețul e negativ.", en: "The price is negative." } },
  ] as const;

  it("names every problem in one BAD_USER_INPUT, in Romanian unless localized", () => {
    const error = invalidInput(problems);
    expect(error.extensions.code).toBe("BAD_USER_INPUT");
    expect(error.message).toBe("Datele trimise au 2 probleme: title, price.amount.");
    expect(JSON.parse(JSON.stringify(error.toJSON()))).toEqual({
      message: "Datele trimise au 2 probleme: title, price.amount.",
      extensions: {
        code: "BAD_USER_INPUT",
        fields: [
          { field: "title", reason: "TOO_SHORT", message: "Titlul e scurt." },
          { field: "price.amount", reason: "OUT_OF_RANGE", message: "Prețul e negativ." },
        ],
      },
    });
  });

  it("answers in the request's language, summary included", () => {
    const english = localizeError(invalidInput(problems).toJSON(), "en");
    expect(english.message).toBe("The input has 2 problems: title, price.amount.");
    expect(english.extensions!.fields).toEqual([
      { field: "title", reason: "TOO_SHORT", message: "The title is short." },
      { field: "price.amount", reason: "OUT_OF_RANGE", message: "The price is negative." },
    ]);
    expect(Object.getOwnPropertySymbols(english.extensions)).toEqual([]);
    const single = localizeError(invalidInput([problems[0]]).toJSON(), "en");
    expect(single.message).toBe("The title is short.");
    const other = { message: "x", extensions: { code: "NOT_FOUND" } };
    expect(localizeError(other, "en")).toBe(other);
  });

  it("keeps a summary short whatever the number of problems", () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ field: `attributes.a${i}`, reason: "REQUIRED" as const, message: { ro: "lipsă", en: "missing" } }));
    expect(invalidInput(many).message).toBe("Datele trimise au 25 de probleme: attributes.a0, attributes.a1, attributes.a2, attributes.a3, attributes.a4, ….");
  });

  it("shapes a single-field error the same way, with INVALID when no reason is given", () => {
    expect(badInput("Cursor invalid.", "after").extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      fields: [{ field: "after", reason: "INVALID", message: "Cursor invalid." }],
    });
    expect(localizeError(badInput({ ro: "Nu.", en: "No." }, "listingId", "NOT_ALLOWED").toJSON(), "en").extensions!.fields).toEqual([
      { field: "listingId", reason: "NOT_ALLOWED", message: "No." },
    ]);
  });

  it("reads reasons and messages from zod issues, and a reason from zod's own codes", () => {
    const schema = z.object({
      name: z.string().superRefine((v, ctx) => {
        if (v.length < 3) addProblem(ctx, { reason: "TOO_SHORT", message: { ro: "Scurt.", en: "Short." } });
      }),
      age: z.number(),
    });
    const result = schema.safeParse({ name: "Io" }, { reportInput: true });
    expect(problemsFromZod(result.error!, "input")).toEqual([
      { field: "input.name", reason: "TOO_SHORT", message: { ro: "Scurt.", en: "Short." } },
      { field: "input.age", reason: "REQUIRED", message: expect.objectContaining({ en: "This field is required." }) },
    ]);
  });

  it("collects problems field by field and refuses once", () => {
    const collected = new InputProblems();
    expect(collected.parse("age", z.number(), 3)).toBe(3);
    expect(collected.parse("name", z.string(), 3)).toBeUndefined();
    collected.add("price.min", { reason: "OUT_OF_RANGE", message: { ro: "a", en: "b" } });
    collected.add("price.max", undefined);
    expect(collected.has("price")).toBe(true);
    expect(collected.has("age")).toBe(false);
    expect(() => collected.throwIfAny()).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ fields: [expect.objectContaining({ field: "name", reason: "INVALID_FORMAT" }), expect.objectContaining({ field: "price.min" })] }) }));
    expect(() => new InputProblems().throwIfAny()).not.toThrow();
  });

  it("documents every reason", () => {
    for (const [reason, meaning] of Object.entries(INPUT_REASONS)) expect(meaning.length, reason).toBeGreaterThan(10);
  });
});
