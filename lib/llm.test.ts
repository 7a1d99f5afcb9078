import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeLlm, type FakeLlm } from "../tests/utils/fake-llm.ts";
import { loadConfig } from "./env.ts";
import { ChatCompletionsClient, LlmError, llmFromConfig } from "./llm.ts";

const KEY = "sk-test-0123456789abcdef-secret";

describe("ChatCompletionsClient", () => {
  let fake: FakeLlm;
  let client: ChatCompletionsClient;

  beforeAll(async () => {
    fake = await startFakeLlm({ content: "Bicicletă de oraș, bine întreținută." });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.models = ["test-model"];
    fake.behave({ kind: "answer", content: "Bicicletă de oraș, bine întreținută." });
    client = new ChatCompletionsClient({ baseUrl: `${fake.baseUrl}/`, apiKey: KEY, model: "test-model", timeoutMs: 2_000 });
  });

  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LlmError);
    expect(String((error as Error).message)).not.toContain(KEY);
    return error as LlmError;
  };

  it("posts the model, the messages and max_tokens with the bearer key, and returns the first choice", async () => {
    const text = await client.complete("Anunțul: bicicletă", { system: "Ești un redactor.", maxTokens: 300 });
    expect(text).toBe("Bicicletă de oraș, bine întreținută.");
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: "POST", path: "/v1/chat/completions" });
    expect(request!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.body).toEqual({
      model: "test-model",
      messages: [
        { role: "system", content: "Ești un redactor." },
        { role: "user", content: "Anunțul: bicicletă" },
      ],
      max_tokens: 300,
    });
  });

  it("sends no authorization without a key, and no system message without instructions", async () => {
    const open = new ChatCompletionsClient({ baseUrl: fake.baseUrl, model: "test-model", timeoutMs: 2_000 });
    await open.complete("salut");
    expect(fake.requests[0]!.headers.authorization).toBeUndefined();
    expect(fake.requests[0]!.body.messages).toEqual([{ role: "user", content: "salut" }]);
  });

  it("reports an HTTP error by status and OpenAI's error code, never the endpoint's text", async () => {
    fake.behave({ kind: "status", status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}`, code: "invalid_api_key" } }) });
    const error = await failure(client.complete("x"));
    expect(error).toMatchObject({ code: "LLM_HTTP_ERROR", status: 401 });
    expect(error.message).toBe(`The LLM endpoint (${new URL(fake.baseUrl).host}) answered HTTP 401 (invalid_api_key).`);
    fake.behave({ kind: "status", status: 500, body: "Internal Server Error" });
    expect(await failure(client.complete("x"))).toMatchObject({ code: "LLM_HTTP_ERROR", status: 500, message: expect.stringMatching(/answered HTTP 500\.$/) });
  });

  it("refuses an answer that is not a chat completion", async () => {
    fake.behave({ kind: "garbage" });
    expect(await failure(client.complete("x"))).toMatchObject({ code: "LLM_BAD_RESPONSE" });
  });

  it("gives up on a silent endpoint after its timeout", async () => {
    fake.behave({ kind: "silent" });
    const slow = new ChatCompletionsClient({ baseUrl: fake.baseUrl, apiKey: KEY, model: "test-model", timeoutMs: 300 });
    const started = Date.now();
    expect(await failure(slow.complete("x"))).toMatchObject({ code: "LLM_TIMEOUT", message: expect.stringContaining("within 0.3 s") });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("stops reading an answer past its size cap, declared or streamed", async () => {
    const small = new ChatCompletionsClient({ baseUrl: fake.baseUrl, model: "test-model", timeoutMs: 5_000, maxResponseBytes: 50_000 });
    fake.behave({ kind: "flood", bytes: 10_000_000, declared: true });
    expect(await failure(small.complete("x"))).toMatchObject({ code: "LLM_RESPONSE_TOO_LARGE" });
    fake.behave({ kind: "flood", bytes: 10_000_000, declared: false });
    expect(await failure(small.complete("x"))).toMatchObject({ code: "LLM_RESPONSE_TOO_LARGE" });
  });

  it("ends with the caller's reason when the caller aborts", async () => {
    fake.behave({ kind: "silent" });
    const controller = new AbortController();
    const reason = new Error("cancelled by an admin");
    setTimeout(() => controller.abort(reason), 50);
    await expect(client.complete("x", { signal: controller.signal })).rejects.toBe(reason);
  });

  it("names an endpoint it cannot reach by host and socket error", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const gone = new ChatCompletionsClient({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: KEY, model: "m", timeoutMs: 2_000 });
    expect(await failure(gone.complete("x"))).toMatchObject({ code: "LLM_UNREACHABLE", message: `The LLM endpoint (127.0.0.1:${port}) could not be reached (ECONNREFUSED).` });
  });

  it("does not follow a redirect (the key would go with it)", async () => {
    const elsewhere = await startFakeLlm();
    try {
      fake.behave({ kind: "redirect", location: `${elsewhere.baseUrl}/chat/completions` });
      expect(await failure(client.complete("x"))).toMatchObject({ code: "LLM_UNREACHABLE" });
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it("checks the endpoint by its model list, once per 30 s", async () => {
    expect(await client.check()).toEqual({ ok: true, detail: `${new URL(fake.baseUrl).host}, model test-model` });
    await client.check();
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /v1/models"]);
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);

    fake.models = ["alt-model"];
    const other = new ChatCompletionsClient({ baseUrl: fake.baseUrl, model: "test-model", timeoutMs: 2_000 });
    expect(await other.check()).toMatchObject({ ok: false, detail: expect.stringContaining("does not list the model test-model") });
    fake.models = null;
    const unlisted = new ChatCompletionsClient({ baseUrl: fake.baseUrl, model: "test-model", timeoutMs: 2_000 });
    expect(await unlisted.check()).toMatchObject({ ok: true });
    const gone = new ChatCompletionsClient({ baseUrl: "http://127.0.0.1:1/v1", apiKey: KEY, model: "m", timeoutMs: 2_000 });
    const down = await gone.check();
    expect(down).toMatchObject({ ok: false, detail: expect.stringContaining("could not be reached") });
    expect(JSON.stringify(down)).not.toContain(KEY);
  });
});

describe("llmFromConfig", () => {
  it("makes no client without LLM_BASE_URL, and wants a model with one", () => {
    expect(llmFromConfig(loadConfig({}))).toBeUndefined();
    expect(() => loadConfig({ LLM_BASE_URL: "http://127.0.0.1:8080/v1" })).toThrow(/LLM_MODEL/);
    expect(() => loadConfig({ LLM_BASE_URL: "ftp://127.0.0.1/v1", LLM_MODEL: "m" })).toThrow(/LLM_BASE_URL/);
    expect(() => loadConfig({ LLM_BASE_URL: "https://user:pass@llm.example/v1", LLM_MODEL: "m" })).toThrow(/LLM_BASE_URL: .*without credentials/);
    const client = llmFromConfig(loadConfig({ LLM_BASE_URL: "http://127.0.0.1:8080/v1", LLM_MODEL: "qwen2.5", LLM_API_KEY: KEY }));
    expect(client?.model).toBe("qwen2.5");
    // The key lives in a private field: logging or serialising the client shows none of it.
    expect(JSON.stringify(client)).not.toContain(KEY);
  });
});
