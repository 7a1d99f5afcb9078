import { describe, expect, it } from "vitest";
import { INTERNAL_MESSAGE, maskError } from "./errors.ts";

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

  it("passes everything through in development", () => {
    expect(maskError(internal, { production: false })).toBe(internal);
  });

  it("treats errors without a code as internal", () => {
    expect(maskError({ message: "TypeError: x is undefined" }, { production: true }).message).toBe(INTERNAL_MESSAGE);
  });
});
