/* global document, sessionStorage, setTimeout, clearTimeout, FormData, Option */
// The agents' admin page: sign in (admins only), the agents, a form that starts a run, and the runs
// as they change, live over graphql-ws. The API decides everything; this only shows what it says.
import { api, watchRuns } from "./api.js";
import { agentRow, inputTemplate, runRow } from "./view.js";

const TOKEN_KEY = "piata-admin-token";
const NAME_KEY = "piata-admin-name";
const SHOWN_RUNS = 50;
const FINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);
const LIVE_TEXT = { connecting: "live: se conectează…", connected: "live: conectat", closed: "live: deconectat" };

const $ = (selector) => document.querySelector(selector);

const page = {
  token: sessionStorage.getItem(TOKEN_KEY),
  agents: [],
  /** Run id → the newest state seen of it (events and answers may arrive out of order). */
  runs: new Map(),
  stopLive: undefined,
  agentsReload: undefined,
};

// ---------------------------------------------------------------------------------------------------
// Signing in and out

function say(text) {
  const notice = $("#notice");
  notice.textContent = text ?? "";
  notice.hidden = !text;
}

function showSignIn(message) {
  page.stopLive?.();
  page.stopLive = undefined;
  $("#console").hidden = true;
  $("#sign-out").hidden = true;
  $("#who").textContent = "";
  $("#sign-in").hidden = false;
  say(message);
}

function forget() {
  page.token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(NAME_KEY);
}

/** What the API's refusal means here: the page's own rule is only "an admin's token, or sign in". */
function refused(error) {
  if (error.code === "FORBIDDEN") {
    api.signOut(page.token).catch(() => {});
    forget();
    return showSignIn("Doar administratorii au acces la această pagină: contul acesta nu este administrator (FORBIDDEN).");
  }
  if (error.code === "UNAUTHENTICATED") {
    forget();
    return showSignIn("Sesiunea a expirat sau a fost închisă: autentifică-te din nou.");
  }
  say(error.message);
}

$("#sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const { email, password } = Object.fromEntries(new FormData(form));
  form.querySelector("button").disabled = true;
  try {
    const { accessToken, user } = await api.signIn(email, password);
    page.token = accessToken;
    sessionStorage.setItem(TOKEN_KEY, accessToken);
    sessionStorage.setItem(NAME_KEY, user.displayName);
    form.reset();
    await enter();
  } catch (error) {
    say(error.message);
  } finally {
    form.querySelector("button").disabled = false;
  }
});

$("#sign-out").addEventListener("click", () => {
  api.signOut(page.token).catch(() => {});
  forget();
  showSignIn();
});

async function enter() {
  try {
    const [agents, runs] = await Promise.all([api.agents(page.token), api.runs(page.token, SHOWN_RUNS)]);
    say();
    $("#sign-in").hidden = true;
    $("#console").hidden = false;
    $("#sign-out").hidden = false;
    $("#who").textContent = sessionStorage.getItem(NAME_KEY) ?? "";
    showAgents(agents);
    runs.forEach(showRun);
    goLive();
  } catch (error) {
    refused(error);
  }
}

// ---------------------------------------------------------------------------------------------------
// Agents and the run form

function showAgents(agents) {
  page.agents = agents;
  $("#agents tbody").replaceChildren(...agents.map((agent) => agentRow(agent, pick)));
  const select = $("#run-form select");
  const chosen = select.value;
  select.replaceChildren(...agents.map((agent) => new Option(agent.name, agent.name)));
  if (agents.some((agent) => agent.name === chosen)) select.value = chosen;
  else describeInput();
}

/** Counts, last run and p95 change when runs end: read them again, once per burst of endings. */
function reloadAgentsSoon() {
  clearTimeout(page.agentsReload);
  page.agentsReload = setTimeout(() => api.agents(page.token).then(showAgents, refused), 300);
}

function pick(agent) {
  $("#run-form select").value = agent.name;
  describeInput();
  $("#run-form [name=goal]").focus();
}

function describeInput() {
  const agent = page.agents.find((a) => a.name === $("#run-form select").value);
  $("#input-schema").textContent = agent ? JSON.stringify(agent.inputSchema, null, 2) : "";
  $("#run-form textarea").value = agent ? inputTemplate(agent.inputSchema) : "{}";
}

$("#run-form select").addEventListener("change", describeInput);

$("#run-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const { agent, goal, input } = Object.fromEntries(new FormData(form));
  const message = $("#run-message");
  let parsed;
  try {
    parsed = input.trim() ? JSON.parse(input) : null;
  } catch (error) {
    message.textContent = `Intrarea nu este JSON valid: ${error.message}`;
    return;
  }
  try {
    const run = await api.runAgent(page.token, agent, goal, parsed);
    showRun(run);
    message.textContent = `Rularea ${run.id.slice(0, 8)} a intrat în coadă.`;
  } catch (error) {
    if (error.code === "FORBIDDEN" || error.code === "UNAUTHENTICATED") return refused(error);
    message.textContent = error.message;
  }
});

// ---------------------------------------------------------------------------------------------------
// Runs

/** Which of two states of one run is later: final beats active; then attempts, RUNNING, progress. */
function isNewer(next, known) {
  const key = (run) => [FINAL.has(run.status) ? 1 : 0, run.attempts, run.status === "RUNNING" ? 1 : 0, run.progress.length];
  const [a, b] = [key(next), key(known)];
  const differs = a.findIndex((value, i) => value !== b[i]);
  return differs === -1 || a[differs] > b[differs];
}

const actions = {
  onCancel: (run) => act(() => api.cancelRun(page.token, run.id)),
  onRetry: (run) => act(() => api.retryRun(page.token, run.id)),
};

async function act(call) {
  try {
    showRun(await call());
  } catch (error) {
    refused(error);
  }
}

/** Shows a state of a run unless a later one is shown already; true when it did. */
function showRun(run) {
  const known = page.runs.get(run.id);
  if (known && !isNewer(run, known)) return false;
  page.runs.set(run.id, run);
  const tbody = $("#runs tbody");
  const row = runRow(run, actions);
  const shown = [...tbody.rows].find((tr) => tr.dataset.runId === run.id);
  if (shown) {
    shown.replaceWith(row);
    return true;
  }
  // Newest first; beyond SHOWN_RUNS the oldest go.
  const older = [...tbody.rows].find((tr) => page.runs.get(tr.dataset.runId).createdAt < run.createdAt);
  tbody.insertBefore(row, older ?? null);
  for (const extra of [...tbody.rows].slice(SHOWN_RUNS)) {
    page.runs.delete(extra.dataset.runId);
    extra.remove();
  }
  return true;
}

function goLive() {
  page.stopLive?.();
  page.stopLive = watchRuns(page.token, {
    onRun: (run) => {
      if (showRun(run) && FINAL.has(run.status)) reloadAgentsSoon();
    },
    onState: (state) => {
      if (state !== "connected") return showLive(state);
      // Events sent while the socket was down are lost: read the runs again on every (re)connection,
      // and say "connected" once what is shown is current.
      api.runs(page.token, SHOWN_RUNS).then((runs) => {
        runs.forEach(showRun);
        showLive("connected");
      }, refused);
    },
    onEnd: (error) => {
      page.stopLive = undefined;
      showLive("closed", error.message);
      if (error.code === "FORBIDDEN" || error.code === "UNAUTHENTICATED") refused(error);
    },
  });
}

function showLive(state, detail) {
  const live = $("#live");
  live.dataset.state = state;
  live.textContent = detail ? `${LIVE_TEXT[state]}: ${detail}` : LIVE_TEXT[state];
}

if (page.token) enter();
else showSignIn();
