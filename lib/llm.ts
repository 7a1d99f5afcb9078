/**
 * An OpenAI-compatible chat-completions client: the agents' optional LLM (LLM_BASE_URL, LLM_API_KEY,
 * LLM_MODEL). OpenAI, Azure-style gateways, vLLM, llama.cpp's server, Ollama's /v1 and LiteLLM all
 * answer POST {base}/chat/completions and GET {base}/models the same way.
 *
 * Plain fetch rather than the `openai` SDK: we make one JSON POST and read one field, and the SDK's own
 * retries and streaming would sit beside the job queue's retries (which decide here) for nothing.
 *
 * Its errors are LlmError with a code, written for an admin reading a failed run: they name the
 * endpoint's host, never its path or query (a key may travel there) and never the key; the endpoint's
 * own error text is not repeated either (OpenAI's echoes part of a refused key).
 */
import type { Config } from "./env.ts";

export type LlmErrorCode = "LLM_UNREACHABLE" | "LLM_TIMEOUT" | "LLM_HTTP_ERROR" | "LLM_BAD_RESPONSE" | "LLM_RESPONSE_TOO_LARGE";

export class LlmError extends Error {
  constructor(
    readonly code: LlmErrorCode,
    message: string,
    /** The endpoint's HTTP status, for LLM_HTTP_ERROR. */
    readonly status?: number,
  ) {
    super(message);
    this.name = "LlmError";
  }
}

export interface LlmSettings {
  /** Up to the API version: https://api.openai.com/v1, http://127.0.0.1:11434/v1. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** One request, the answer's body included. */
  timeoutMs: number;
  /** A completion's body is a few KB; past this the endpoint is misbehaving. */
  maxResponseBytes?: number;
}

export interface LlmHealth {
  ok: boolean;
  detail?: string;
}

const DEFAULT_MAX_RESPONSE_BYTES = 1_000_000;
const DEFAULT_MAX_TOKENS = 1_024;
/** health() runs on every `agents` query: one look at the endpoint serves them for this long. */
const HEALTH_TTL_MS = 30_000;
const HEALTH_TIMEOUT_MS = 5_000;

/** The agents' LlmProvider (subgraphs/agents/runtime/contract.ts), which it satisfies structurally. */
export class ChatCompletionsClient {
  readonly model: string;
  readonly #apiKey: string | undefined;
  readonly #base: string;
  readonly #host: string;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  #health: { at: number; result: Promise<LlmHealth> } | undefined;

  constructor(settings: LlmSettings) {
    this.model = settings.model;
    this.#apiKey = settings.apiKey;
    this.#base = settings.baseUrl.replace(/\/+$/, "");
    this.#host = new URL(settings.baseUrl).host;
    this.#timeoutMs = settings.timeoutMs;
    this.#maxResponseBytes = settings.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  /** The first choice's text. Throws LlmError, or the caller's abort reason when `signal` fires. */
  async complete(prompt: string, options: { signal?: AbortSignal; maxTokens?: number; system?: string } = {}): Promise<string> {
    const messages = [...(options.system ? [{ role: "system", content: options.system }] : []), { role: "user", content: prompt }];
    const body = { model: this.model, messages, max_tokens: options.maxTokens ?? DEFAULT_MAX_TOKENS };
    const answer = await this.#request("chat/completions", { method: "POST", body: JSON.stringify(body) }, this.#timeoutMs, options.signal);
    const content = (answer as ChatCompletion | null)?.choices?.[0]?.message?.content;
    if (typeof content !== "string") throw new LlmError("LLM_BAD_RESPONSE", `The LLM endpoint (${this.#host}) answered something that is not a chat completion.`);
    return content;
  }

  /** Whether the endpoint answers and knows the model (GET {base}/models), looked at once per 30 s. */
  check(signal?: AbortSignal): Promise<LlmHealth> {
    if (this.#health && Date.now() - this.#health.at < HEALTH_TTL_MS) return this.#health.result;
    const result = this.#look(signal);
    this.#health = { at: Date.now(), result };
    return result;
  }

  async #look(signal?: AbortSignal): Promise<LlmHealth> {
    try {
      const list = (await this.#request("models", { method: "GET" }, Math.min(HEALTH_TIMEOUT_MS, this.#timeoutMs), signal)) as ModelList | null;
      const ids = Array.isArray(list?.data) ? list.data.map((m) => m?.id) : undefined;
      if (ids && !ids.includes(this.model)) return { ok: false, detail: `${this.#host} answers, but does not list the model ${this.model}` };
      return { ok: true, detail: `${this.#host}, model ${this.model}` };
    } catch (error) {
      // A server without the optional /models list still answered.
      if (error instanceof LlmError && error.status === 404) return { ok: true, detail: `${this.#host} answers (it lists no models), model ${this.model}` };
      return { ok: false, detail: error instanceof LlmError ? error.message : "the LLM endpoint could not be checked" };
    }
  }

  async #request(path: string, init: { method: string; body?: string }, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const headers: Record<string, string> = { accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}) };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    try {
      const response = await fetch(`${this.#base}/${path}`, {
        ...init,
        headers,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        // An API endpoint does not redirect; following one would carry the key elsewhere.
        redirect: "error",
      });
      const text = await readBounded(response, this.#maxResponseBytes, this.#host);
      if (!response.ok) throw new LlmError("LLM_HTTP_ERROR", `The LLM endpoint (${this.#host}) answered HTTP ${response.status}${errorCode(text)}.`, response.status);
      return parseJson(text);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) throw new LlmError("LLM_TIMEOUT", `The LLM endpoint (${this.#host}) did not answer within ${formatSeconds(timeoutMs)}.`);
      if (error instanceof LlmError) throw error;
      throw new LlmError("LLM_UNREACHABLE", `The LLM endpoint (${this.#host}) could not be reached${causeCode(error)}.`);
    }
  }
}

/** The configured endpoint, or none: the agents then work without an LLM. */
export function llmFromConfig(config: Pick<Config, "LLM_BASE_URL" | "LLM_API_KEY" | "LLM_MODEL" | "LLM_TIMEOUT_MS">): ChatCompletionsClient | undefined {
  if (!config.LLM_BASE_URL || !config.LLM_MODEL) return undefined;
  return new ChatCompletionsClient({ baseUrl: config.LLM_BASE_URL, apiKey: config.LLM_API_KEY, model: config.LLM_MODEL, timeoutMs: config.LLM_TIMEOUT_MS });
}

interface ChatCompletion {
  choices?: { message?: { content?: unknown } }[];
}

interface ModelList {
  data?: { id?: unknown }[];
}

/** The body as text, refusing it past `limit` bytes (declared or streamed) without reading the rest. */
async function readBounded(response: Response, limit: number, host: string): Promise<string> {
  const tooLarge = () => new LlmError("LLM_RESPONSE_TOO_LARGE", `The LLM endpoint's (${host}) answer passed ${limit.toLocaleString("en")} bytes.`);
  if (Number(response.headers.get("content-length")) > limit) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** OpenAI's machine-readable error code (`invalid_api_key`, `model_not_found`), never its message. */
function errorCode(text: string): string {
  const error = (parseJson(text) as { error?: { code?: unknown; type?: unknown } } | null)?.error;
  const code = [error?.code, error?.type].find((c): c is string => typeof c === "string" && /^[\w.-]{1,64}$/.test(c));
  return code ? ` (${code})` : "";
}

/** ECONNREFUSED, ENOTFOUND, …: undici puts the socket's error under `cause`. */
function causeCode(error: unknown): string {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === "string" && /^[A-Z_]{2,40}$/.test(code) ? ` (${code})` : "";
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
