/**
 * Imported by gateway/index.ts before gateway.ts, so before anything loads @apollo/gateway (issue 11: the
 * gateway's own CPU per uncached request).
 *
 * @apollo/federation-internals re-exports its names through getters (TypeScript's CommonJS
 * `export *`: `get: function () { return m[k]; }`), and @apollo/gateway reads them at every call,
 * `(0, federation_internals_1.assert)(…)`, a dozen times per value its result shaping visits: 0.06 ms of
 * a BROWSE request's CPU in getters that return the same function every time. Its exports never change
 * once loaded (no `export let` in it), so the module's cache entry becomes a plain copy of them, which
 * every later `require` (@apollo/gateway, @apollo/query-planner, @apollo/composition) gets instead.
 * A module that required it before keeps the original, which works the same, only slower.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export function plainFederationExports(): boolean {
  const id = require.resolve("@apollo/federation-internals");
  const loaded = require(id) as Record<string, unknown>;
  const entry = require.cache[id];
  if (!entry || entry.exports !== loaded) return false;
  const plain: Record<string, unknown> = {};
  for (const name of Object.keys(loaded)) Object.defineProperty(plain, name, { value: loaded[name], enumerable: true });
  Object.defineProperty(plain, "__esModule", { value: true });
  entry.exports = plain;
  return true;
}

plainFederationExports();
