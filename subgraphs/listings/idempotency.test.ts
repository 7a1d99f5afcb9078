import { describe, expect, it } from "vitest";
import type { GraphQLError } from "graphql";
import { canonicalJson, inputHash, parseIdempotencyKey } from "./idempotency.ts";

describe("idempotency keys", () => {
  it.each(["12345678", "0b6f1c9e-2f4e-4c1a-9d38-5b8e2f7a1c44", "abc_DEF-123", "a".repeat(128)])("accepts %s", (key) => {
    expect(parseIdempotencyKey(key)).toBe(key);
  });

  it.each(["", "1234567", "a".repeat(129), "cheie cu spații", "cheie/slash", "ăîșțâ12345", "key\n12345"])("refuses %j", (key) => {
    let error: GraphQLError | undefined;
    try {
      parseIdempotencyKey(key);
    } catch (e) {
      error = e as GraphQLError;
    }
    expect(error?.extensions).toMatchObject({ code: "BAD_USER_INPUT", fields: [expect.objectContaining({ field: "idempotencyKey" })] });
  });
});

describe("input hashes", () => {
  it("ignores the order of object keys at every level", () => {
    const a = { title: "Dacia", price: { amount: 1, currency: "RON" }, attributes: { km: 1, year: 2016 } };
    const b = { attributes: { year: 2016, km: 1 }, price: { currency: "RON", amount: 1 }, title: "Dacia" };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(inputHash(a)).toBe(inputHash(b));
  });

  it("treats an absent field like an undefined one, but not like null", () => {
    expect(inputHash({ a: 1, b: undefined })).toBe(inputHash({ a: 1 }));
    expect(inputHash({ a: 1, b: null })).not.toBe(inputHash({ a: 1 }));
  });

  it("tells different inputs apart, array order included", () => {
    expect(inputHash({ a: 1 })).not.toBe(inputHash({ a: 2 }));
    expect(inputHash({ a: [1, 2] })).not.toBe(inputHash({ a: [2, 1] }));
    expect(inputHash({ a: "1" })).not.toBe(inputHash({ a: 1 }));
  });

  it("handles objects without a prototype, as GraphQL builds input objects", () => {
    const input = Object.assign(Object.create(null) as object, { b: 2, a: 1 });
    expect(canonicalJson(input)).toBe('{"a":1,"b":2}');
    expect(inputHash(input)).toMatch(/^[0-9a-f]{64}$/);
  });
});
