/**
 * GraphQL over HTTP conformance: graphql-http's server audits against the running gateway. Every MUST
 * and SHOULD passes; the MAYs that do not are listed with the reason we keep them.
 */
import { serverAudits, type AuditResult } from "graphql-http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

/**
 * Optional audits we fail on purpose: a GET without a header a cross-site form cannot send is refused
 * (Apollo's CSRF prevention), so the bare GETs of these audits get 400.
 */
const DECLINED_MAY = ["5A70", "D6D5", "6A70"];

describeStack("GraphQL over HTTP (graphql-http server audits)", () => {
  let stack: Stack;
  let results: AuditResult[];
  beforeAll(async () => {
    stack = await startStack();
    // One at a time: the audits read like one client's requests, and the order keeps the log readable.
    results = [];
    for (const audit of serverAudits({ url: stack.url, fetchFn: fetch })) results.push(await audit.fn());
  });
  afterAll(() => stack?.stop());

  const failures = (status: AuditResult["status"]) =>
    results.filter((r) => r.status === status).map((r) => `${r.id} ${r.name}${"reason" in r ? `: ${r.reason}` : ""}`);

  it("passes every MUST", () => {
    expect(results.length).toBeGreaterThan(50);
    expect(failures("error")).toEqual([]);
  });

  it("passes every SHOULD", () => {
    expect(failures("warn")).toEqual([]);
  });

  it("fails only the MAYs it declines on purpose", () => {
    expect(results.filter((r) => r.status === "notice").map((r) => r.id).sort()).toEqual([...DECLINED_MAY].sort());
  });

  it("answers an application/json-only client 200 with the errors, a graphql-response+json client 400", async () => {
    const ask = (accept: string, query: string) =>
      fetch(stack.url, { method: "POST", headers: { "content-type": "application/json", accept }, body: JSON.stringify({ query }) });
    const tooCostly = `{ listings(first: 100) { edges { node { seller { listings(first: 100) { edges { node { id } } } } } } } }`;
    for (const query of ["{", "{ nope }", tooCostly]) {
      const legacy = await ask("application/json", query);
      expect(legacy.status).toBe(200);
      expect(legacy.headers.get("content-type")).toContain("application/json");
      expect(((await legacy.json()) as any).errors).toHaveLength(1);
      const modern = await ask("application/graphql-response+json", query);
      expect(modern.status).toBe(400);
      expect(modern.headers.get("content-type")).toContain("application/graphql-response+json");
    }
    // fetch's own default (*/*) is not a legacy client: it keeps the 400 (tests/query-limits.test.ts relies on it).
    expect((await ask("*/*", tooCostly)).status).toBe(400);
  });
});
