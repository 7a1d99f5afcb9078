/* global fetch, location, URL, window */
// The API as this page uses it: GraphQL over HTTP with fetch, and agentRunUpdated over the gateway's
// graphql-ws endpoint with graphql-ws's own client (its browser build sets window.graphqlWs).

const ENDPOINT = "/graphql";

const RUN_FIELDS = "id agent goal status progress attempts output error createdAt startedAt finishedAt durationMs";

const SIGN_IN = `mutation AdminSignIn($email: String!, $password: String!) {
  signIn(email: $email, password: $password) { accessToken user { displayName } }
}`;
const SIGN_OUT = "mutation AdminSignOut { signOut }";
const AGENTS = `query AdminAgents {
  agents {
    name description inputSchema schedule enabled
    health { ok detail }
    lastRun { id status createdAt }
    runCounts { queued running succeeded failed cancelled }
    p95DurationMs
  }
}`;
const RUNS = `query AdminAgentRuns($first: Int) { agentRuns(first: $first) { edges { node { ${RUN_FIELDS} } } } }`;
const RUN_AGENT = `mutation AdminRunAgent($agent: String!, $goal: String!, $input: JSON) {
  runAgent(agent: $agent, goal: $goal, input: $input) { ${RUN_FIELDS} }
}`;
const CANCEL = `mutation AdminCancelRun($id: ID!) { cancelAgentRun(id: $id) { ${RUN_FIELDS} } }`;
const RETRY = `mutation AdminRetryRun($id: ID!) { retryAgentRun(id: $id) { ${RUN_FIELDS} } }`;
const RUN_UPDATED = `subscription AdminRunUpdated { agentRunUpdated { ${RUN_FIELDS} } }`;

/** The API's refusal: `code` is its extensions.code (FORBIDDEN, UNAUTHENTICATED, BAD_USER_INPUT, …). */
export class ApiError extends Error {
  constructor(errors) {
    super(errors.map((e) => describe(e)).join(" "));
    this.code = errors[0]?.extensions?.code ?? "ERROR";
  }
}

/** A BAD_USER_INPUT names its fields: "input.text: …" reads better than the message alone. */
function describe(error) {
  const fields = error.extensions?.fields;
  if (!Array.isArray(fields) || !fields.length) return error.message;
  return `${error.message} (${fields.map((f) => [f.field, f.message].filter(Boolean).join(": ")).join("; ")})`;
}

async function request(query, variables, token) {
  const headers = { "content-type": "application/json", accept: "application/graphql-response+json, application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(ENDPOINT, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new ApiError([{ message: "API-ul nu răspunde.", extensions: { code: "NETWORK" } }]);
  }
  const body = await response.json().catch(() => ({ errors: [{ message: `Răspuns neașteptat de la API (HTTP ${response.status}).` }] }));
  if (body.errors?.length) throw new ApiError(body.errors);
  return body.data;
}

export const api = {
  signIn: async (email, password) => (await request(SIGN_IN, { email, password })).signIn,
  signOut: (token) => request(SIGN_OUT, {}, token),
  agents: async (token) => (await request(AGENTS, {}, token)).agents,
  runs: async (token, first) => (await request(RUNS, { first }, token)).agentRuns.edges.map((e) => e.node),
  runAgent: async (token, agent, goal, input) => (await request(RUN_AGENT, { agent, goal, input }, token)).runAgent,
  cancelRun: async (token, id) => (await request(CANCEL, { id }, token)).cancelAgentRun,
  retryRun: async (token, id) => (await request(RETRY, { id }, token)).retryAgentRun,
};

/**
 * Every run's changes, live. `onState` hears "connecting", "connected" (also after a reconnect: events
 * may have been missed, so reload what is shown) and "closed"; `onEnd` the error that ended it for good.
 * Returns a function that stops it.
 */
export function watchRuns(token, { onRun, onState, onEnd }) {
  const url = new URL(ENDPOINT, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const client = window.graphqlWs.createClient({
    url: url.href,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 5,
    on: {
      connecting: () => onState("connecting"),
      connected: () => onState("connected"),
      closed: () => onState("closed"),
    },
  });
  const stop = client.subscribe(
    { query: RUN_UPDATED },
    {
      next: (result) => (result.errors ? onEnd(new ApiError(result.errors)) : onRun(result.data.agentRunUpdated)),
      error: (error) => onEnd(asApiError(error)),
      complete: () => onEnd(new ApiError([{ message: "Fluxul live s-a încheiat.", extensions: { code: "CLOSED" } }])),
    },
  );
  return () => {
    stop();
    client.dispose();
  };
}

/** graphql-ws ends a subscription with GraphQL errors, a CloseEvent or an Error. */
function asApiError(error) {
  if (Array.isArray(error)) return new ApiError(error);
  if (error && typeof error.code === "number") {
    // 4403: the gateway refused the socket's token (expired, revoked): sign in again.
    const code = error.code === 4403 ? "UNAUTHENTICATED" : "CLOSED";
    return new ApiError([{ message: `Conexiunea live s-a închis (${error.code}${error.reason ? `: ${error.reason}` : ""}).`, extensions: { code } }]);
  }
  return new ApiError([{ message: `Conexiunea live a eșuat (${error?.message ?? error}).`, extensions: { code: "NETWORK" } }]);
}
