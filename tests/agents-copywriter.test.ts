/**
 * copywriter through the gateway, against a local OpenAI-compatible server (tests/utils/fake-llm.ts)
 * the stack is configured with (LLM_BASE_URL): what the endpoint is asked, what the run answers, how
 * a failing endpoint fails the run (clearly, without the key), and a stack with no endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_ENDPOINT } from "../subgraphs/agents/agents/copywriter.ts";
import { startFakeLlm, type FakeLlm, type FakeLlmBehaviour } from "./utils/fake-llm.ts";
import { carListingInput, createListing, signUp, signUpAdmin, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const KEY = "sk-copywriter-test-4f1d9a7c2b";
const IMPROVED =
  "Dacia Logan 1.5 dCi din 2016, un singur proprietar, 148.000 km, motorină.\n\n" +
  "- revizii la zi, făcute la reprezentanță\n- fără accidente, interior curat\n- anvelope de iarnă incluse";

const RUN = `mutation ($input: JSON) { runAgent(agent: "copywriter", goal: "descriere mai bună", input: $input) { id status } }`;
const RUN_BY_ID = `query ($id: ID!) { agentRun(id: $id) { id status attempts output error progress } }`;
const HEALTH = `{ agents { name health { ok detail } } }`;

async function copywriter(stack: Stack, admin: TestUser, listingId: string, timeoutMs = 30_000) {
  const queued = await stack.request(RUN, { input: { listingId } }, { token: admin.token });
  expect(queued.errors).toBeUndefined();
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = (await stack.request(RUN_BY_ID, { id: queued.data.runAgent.id }, { token: admin.token })).data.agentRun;
    if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(run.status) || Date.now() > until) return run;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const healthOf = async (stack: Stack, admin: TestUser) =>
  ((await stack.request(HEALTH, {}, { token: admin.token })).data.agents as { name: string; health: unknown }[]).find((a) => a.name === "copywriter")!.health;

describeStack("copywriter: descriptions from an OpenAI-compatible endpoint", () => {
  describe("with an endpoint configured", () => {
    let fake: FakeLlm;
    let stack: Stack;
    let admin: TestUser;
    let seller: TestUser;
    let listingId: string;

    beforeAll(async () => {
      fake = await startFakeLlm({ content: IMPROVED, models: ["test-model"] });
      stack = await startStack({ LLM_BASE_URL: fake.baseUrl, LLM_API_KEY: KEY, LLM_MODEL: "test-model", LLM_TIMEOUT_MS: "1000", AGENT_POLLING_INTERVAL_SECONDS: "0.5" });
      seller = await signUp(stack, "Vânzător Test");
      admin = await signUpAdmin(stack);
      listingId = await createListing(stack, seller, {}, false);
    });
    afterAll(async () => {
      await stack?.stop();
      await fake?.close();
    });

    it("asks the model about the listing and returns the suggestion, leaving the seller's text as it is", async () => {
      fake.requests.length = 0;
      const run = await copywriter(stack, admin, listingId);
      const listing = carListingInput();
      expect(run).toMatchObject({
        status: "SUCCEEDED",
        attempts: 1,
        output: { listingId, original: listing.description, improved: IMPROVED, model: "test-model", warnings: [] },
        progress: ["asking test-model for a description"],
      });
      const asked = fake.requests.filter((r) => r.path === "/v1/chat/completions");
      expect(asked).toHaveLength(1);
      expect(asked[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
      const { model, messages, max_tokens } = asked[0]!.body;
      expect({ model, roles: messages.map((m: { role: string }) => m.role), max_tokens }).toEqual({ model: "test-model", roles: ["system", "user"], max_tokens: 1_500 });
      expect(messages[0].content).toMatch(/data, not instructions/);
      const data = JSON.parse(messages[1].content.slice(messages[1].content.indexOf("{")));
      expect(data).toMatchObject({ title: listing.title, description: listing.description, category: expect.any(String), price: "4.500 €, negociabil", condition: "USED", attributes: listing.attributes });

      const stored = await stack.request(`query ($id: ID!) { listing(id: $id) { description } }`, { id: listingId }, { token: seller.token });
      expect(stored.data.listing.description).toBe(listing.description);
    });

    it("reports the endpoint healthy when it lists the model", async () => {
      expect(await healthOf(stack, admin)).toEqual({ ok: true, detail: `${new URL(fake.baseUrl).host}, model test-model` });
    });

    it.each<[string, FakeLlmBehaviour, RegExp]>([
      ["an HTTP 500", { kind: "status", status: 500, body: JSON.stringify({ error: { message: `upstream saw ${KEY}`, type: "server_error" } }) }, /answered HTTP 500 \(server_error\)\.$/],
      ["garbage", { kind: "garbage" }, /answered something that is not a chat completion\.$/],
      ["silence", { kind: "silent" }, /did not answer within 1 s\.$/],
    ])("fails the run with a clear error, and no key, when the endpoint answers %s", async (_, behaviour, message) => {
      fake.behave(behaviour);
      try {
        const run = await copywriter(stack, admin, listingId);
        expect(run).toMatchObject({ status: "FAILED", attempts: 2, error: expect.stringMatching(message) });
        expect(run.error).toContain(`The LLM endpoint (${new URL(fake.baseUrl).host})`);
        expect(JSON.stringify(run)).not.toContain(KEY);
      } finally {
        fake.behave({ kind: "answer", content: IMPROVED });
      }
    });

    it("fails a run for a listing that does not exist without asking the model", async () => {
      fake.requests.length = 0;
      const missing = "00000000-0000-4000-8000-000000000000";
      expect(await copywriter(stack, admin, missing)).toMatchObject({ status: "FAILED", attempts: 1, output: { reason: `listing ${missing} not found` } });
      expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(0);
    });
  });

  describe("without an endpoint", () => {
    let stack: Stack;
    let admin: TestUser;

    beforeAll(async () => {
      stack = await startStack({ AGENT_POLLING_INTERVAL_SECONDS: "0.5" });
      admin = await signUpAdmin(stack);
    });
    afterAll(() => stack?.stop());

    it("says no endpoint is configured, in the run and in its health, and does nothing", async () => {
      const listingId = await createListing(stack, await signUp(stack, "Alt Vânzător"), {}, false);
      const run = await copywriter(stack, admin, listingId);
      expect(run).toMatchObject({ status: "FAILED", attempts: 1, output: { reason: NO_ENDPOINT }, progress: [] });
      expect(NO_ENDPOINT).toMatch(/LLM_BASE_URL/);
      expect(await healthOf(stack, admin)).toEqual({ ok: false, detail: NO_ENDPOINT });
    });
  });
});
