import { createRequire } from "node:module";
import { expect, it } from "vitest";
import { plainFederationExports } from "./federation-exports.ts";

const require = createRequire(import.meta.url);

it("leaves every later require of federation-internals the same names and values, as plain properties", () => {
  const id = require.resolve("@apollo/federation-internals");
  const before = require(id) as Record<string, unknown>;
  const names = Object.keys(before);
  expect(plainFederationExports()).toBe(true);
  const after = require(id) as Record<string, unknown>;
  expect(Object.keys(after)).toEqual(names);
  for (const name of names) {
    expect(after[name], name).toBe(before[name]);
    expect(Object.getOwnPropertyDescriptor(after, name)?.get, name).toBeUndefined();
  }
  expect(after.__esModule).toBe(true);
  expect(names.length).toBeGreaterThan(100);
});
