/* global document */
// The page's rows and cells, built from text nodes only: nothing the API returns is ever parsed as HTML.

/** An element: `props` become attributes (`data` → data-*, `onClick` → a listener); strings become text. */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "data") Object.assign(node.dataset, value);
    else if (key === "onClick") node.addEventListener("click", value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

const when = (iso) => (iso ? new Date(iso).toLocaleString("ro-RO") : "—");

export function duration(ms) {
  if (ms === null || ms === undefined) return "—";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function summary(value, max = 160) {
  if (value === null || value === undefined) return "";
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function counts({ queued, running, succeeded, failed, cancelled }) {
  const active = queued + running;
  return `reușite ${succeeded} · eșuate ${failed} · anulate ${cancelled}${active ? ` · active ${active}` : ""}`;
}

export function agentRow(agent, onPick) {
  const { health, lastRun } = agent;
  return h(
    "tr",
    { data: { agent: agent.name } },
    h("td", {}, h("code", {}, agent.name)),
    h("td", {}, agent.description),
    h("td", {}, agent.schedule ?? "—"),
    h("td", { data: { field: "enabled" } }, agent.enabled ? "da" : "nu"),
    h("td", { class: health.ok ? "ok" : "bad" }, health.ok ? "bună" : `problemă${health.detail ? `: ${health.detail}` : ""}`),
    h("td", {}, lastRun ? `${lastRun.status} · ${when(lastRun.createdAt)}` : "—"),
    h("td", { data: { field: "counts" } }, counts(agent.runCounts)),
    h("td", {}, duration(agent.p95DurationMs)),
    h("td", {}, h("button", { type: "button", data: { action: "pick" }, onClick: () => onPick(agent) }, "Rulează…")),
  );
}

const ACTIVE = new Set(["QUEUED", "RUNNING"]);

export function runRow(run, { onCancel, onRetry }) {
  const lastStep = run.progress.at(-1);
  const action = ACTIVE.has(run.status)
    ? h("button", { type: "button", data: { action: "cancel" }, onClick: () => onCancel(run) }, "Anulează")
    : run.status !== "SUCCEEDED"
      ? h("button", { type: "button", data: { action: "retry" }, onClick: () => onRetry(run) }, "Reîncearcă")
      : undefined;
  return h(
    "tr",
    { data: { runId: run.id, status: run.status } },
    h("td", { title: run.id }, h("code", {}, run.id.slice(0, 8))),
    h("td", {}, run.agent),
    h("td", {}, run.goal),
    h("td", { data: { field: "status" } }, h("span", { class: `status status-${run.status.toLowerCase()}` }, run.status)),
    h("td", { data: { field: "progress" }, title: run.progress.join("\n") }, lastStep ?? ""),
    h("td", {}, String(run.attempts)),
    h("td", {}, when(run.createdAt)),
    h("td", {}, duration(run.durationMs)),
    h("td", { data: { field: "result" }, class: run.error ? "bad" : undefined }, run.error ?? summary(run.output)),
    h("td", {}, action),
  );
}

/** A starting input for an agent: its required properties with empty values of their types. */
export function inputTemplate(schema) {
  const properties = schema?.properties ?? {};
  const empty = { string: "", number: 0, integer: 0, boolean: false, array: [], object: {} };
  const input = {};
  for (const name of schema?.required ?? []) {
    const property = properties[name] ?? {};
    if (property.default === undefined) input[name] = empty[property.type] ?? null;
  }
  return JSON.stringify(input, null, 2);
}
