/**
 * Top self-time functions of a V8 .cpuprofile (as written by `node --cpu-prof`), aggregated by
 * function name + url:line, plus a summary by package. Used by `npm run bench:gateway -- --profile`;
 * also a CLI:
 *
 *   npx tsx bench/profile-top.ts <file.cpuprofile> [--top 25]
 *
 * Lines of files run through tsx are lines of the transpiled code (close to, not always equal to, the
 * .ts source lines).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTimeEntry {
  name: string;
  location: string;
  selfMs: number;
  /** Share of the busy time (all samples but (idle)). */
  pct: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  busyMs: number;
  functions: SelfTimeEntry[];
  packages: { name: string; selfMs: number; pct: number }[];
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rootUrl = pathToFileURL(root).href + "/";

function shortUrl(url: string): string {
  if (url.startsWith(rootUrl)) return url.slice(rootUrl.length);
  if (url.startsWith(root + "/")) return url.slice(root.length + 1);
  return url;
}

/** node_modules/<pkg>, node:internal, wasm, app/<dir>, or the special V8 nodes. */
function packageOf(frame: CallFrame): string {
  const url = shortUrl(frame.url);
  if (!url) return frame.functionName.startsWith("(") ? frame.functionName : "(native / V8 builtins)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const parts = url.slice(nm + "node_modules/".length).split("/");
    return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  if (url.startsWith("node:")) return "node: (core)";
  if (url.startsWith("wasm://")) return "wasm";
  if (url.startsWith("file://") || url.startsWith("/")) return url;
  return `app: ${url.split("/")[0]}`;
}

export function summarize(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  // A sample lasts until the next one: timeDeltas[i + 1]; the last one gets the mean interval.
  const meanDelta = timeDeltas.length ? (profile.endTime - profile.startTime) / timeDeltas.length : 0;
  for (let i = 0; i < samples.length; i++) {
    const us = i + 1 < timeDeltas.length ? timeDeltas[i + 1]! : meanDelta;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + Math.max(0, us));
  }

  const functions = new Map<string, { name: string; location: string; us: number }>();
  const packages = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const frame = node.callFrame;
    totalUs += us;
    if (frame.functionName === "(idle)") {
      idleUs += us;
      continue;
    }
    const name = frame.functionName || "(anonymous)";
    const location = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : "";
    const key = `${name}\u0000${location}`;
    const entry = functions.get(key) ?? { name, location, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    const pkg = packageOf(frame);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const pct = (us: number) => Math.round((us / (busyUs || 1)) * 1000) / 10;
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    totalMs: ms(totalUs),
    idleMs: ms(idleUs),
    busyMs: ms(busyUs),
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, location: f.location, selfMs: ms(f.us), pct: pct(f.us) })),
    packages: [...packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([name, us]) => ({ name, selfMs: ms(us), pct: pct(us) })),
  };
}

/** A frame's file (relative to the repository, or node_modules/…) and function name. */
export type FrameMatcher = (file: string, functionName: string) => boolean;

export interface InclusiveShares {
  /** Busy time of the samples considered (all, or those within the window). */
  busyMs: number;
  samples: number;
  /** Per group: the time of the samples whose stack holds a frame of the group (each sample counted once). */
  groups: Record<string, { ms: number; pct: number }>;
  /** Samples in any group. */
  any: { ms: number; pct: number };
}

/**
 * Inclusive time of groups of frames: a sample counts for a group when any frame of its stack belongs
 * to it (synchronous callers and callees; what a function awaits runs in another stack). `window`
 * (µs of the profile's clock, CLOCK_MONOTONIC as process.hrtime) limits it to the samples taken then.
 */
export function inclusiveShares(profile: CpuProfile, groups: Record<string, FrameMatcher>, window?: { startUs: number; endUs: number }): InclusiveShares {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const names = Object.keys(groups);
  // Which groups each node's stack (the node and its ancestors) belongs to, memoised per node.
  const memo = new Map<number, Set<string>>();
  const groupsOf = (id: number): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const set = new Set(up === undefined ? [] : groupsOf(up));
    if (node) {
      const file = shortUrl(node.callFrame.url);
      for (const name of names) if (groups[name]!(file, node.callFrame.functionName)) set.add(name);
    }
    memo.set(id, set);
    return set;
  };
  const { samples, timeDeltas } = profile;
  const meanDelta = timeDeltas.length ? (profile.endTime - profile.startTime) / timeDeltas.length : 0;
  const totals = Object.fromEntries(names.map((n) => [n, 0])) as Record<string, number>;
  let busyUs = 0;
  let anyUs = 0;
  let counted = 0;
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    at += timeDeltas[i] ?? 0;
    if (window && (at < window.startUs || at > window.endUs)) continue;
    const node = byId.get(samples[i]!);
    if (!node || node.callFrame.functionName === "(idle)") continue;
    const us = Math.max(0, i + 1 < timeDeltas.length ? timeDeltas[i + 1]! : meanDelta);
    busyUs += us;
    counted++;
    const inGroups = groupsOf(node.id);
    for (const name of inGroups) totals[name]! += us;
    if (inGroups.size) anyUs += us;
  }
  const share = (us: number) => ({ ms: Math.round(us / 100) / 10, pct: Math.round((us / (busyUs || 1)) * 1000) / 10 });
  return {
    busyMs: Math.round(busyUs / 100) / 10,
    samples: counted,
    groups: Object.fromEntries(names.map((n) => [n, share(totals[n]!)])),
    any: share(anyUs),
  };
}

// ---- side by side: several gateways' measured windows (bench/browse-builds.ts, bench/gateway-own-cpu.ts) ----

/** One gateway's self time per request over one measured window, by function (name + place) and by package. */
export interface WindowProfile {
  /** Which gateway (a build, a tree, stock). */
  name: string;
  query: string;
  round: number;
  busyMsPerRequest: number;
  functions: Map<string, number>;
  packages: Map<string, number>;
}

/** A frame's place without the tree's directory: node_modules/<…>, app:<path>, or as V8 gave it. */
function placeOf(url: string, dir: string): string {
  const file = url.startsWith("file://") ? url.slice("file://".length) : url;
  const nm = file.lastIndexOf("node_modules/");
  if (nm >= 0) return file.slice(nm);
  if (file.startsWith(dir + "/")) return `app:${file.slice(dir.length + 1)}`;
  return file;
}

function packageOfPlace(place: string, name: string): string {
  if (!place) return name.startsWith("(") ? name : "(native / V8 builtins)";
  if (place.startsWith("node_modules/")) {
    const parts = place.slice("node_modules/".length).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (place.startsWith("node:")) return "node: (core)";
  if (place.startsWith("wasm://")) return "wasm";
  if (place.startsWith("app:")) return `app: ${place.slice(4).split("/")[0]}`;
  return place;
}

/**
 * Self time per request (ms) of the samples within `window` (µs of the profile's clock, as Measured's
 * windowUs), by function and by package; `dir` is the tree (or build) the process ran from.
 */
export function windowSelfTime(
  profile: CpuProfile,
  dir: string,
  window: { startUs: number; endUs: number },
  requests: number,
): Pick<WindowProfile, "busyMsPerRequest" | "functions" | "packages"> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  const meanDelta = profile.timeDeltas.length ? (profile.endTime - profile.startTime) / profile.timeDeltas.length : 0;
  let busyUs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < window.startUs || at > window.endUs) continue;
    const node = byId.get(profile.samples[i]!);
    if (!node || node.callFrame.functionName === "(idle)") continue;
    const us = Math.max(0, i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1]! : meanDelta);
    busyUs += us;
    const place = node.callFrame.url ? `${placeOf(node.callFrame.url, dir)}:${node.callFrame.lineNumber + 1}` : "";
    const name = node.callFrame.functionName || "(anonymous)";
    const key = `${name}  ${place}`;
    functions.set(key, (functions.get(key) ?? 0) + us / 1000 / requests);
    const pkg = packageOfPlace(node.callFrame.url ? placeOf(node.callFrame.url, dir) : "", name);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us / 1000 / requests);
  }
  return { busyMsPerRequest: busyUs / 1000 / requests, functions, packages };
}

/** The windows of every gateway side by side (means over rounds), per query: busy ms/request, by package, by function. */
export function formatSideBySide(title: string, names: string[], queries: { name: string; label: string }[], profiles: WindowProfile[], top: number): string {
  const out: string[] = [title, ""];
  for (const query of queries) {
    const of = names.map((n) => profiles.filter((p) => p.name === n && p.query === query.name));
    const avg = (list: WindowProfile[], pick: (p: WindowProfile) => Map<string, number>, key: string) =>
      list.reduce((a, p) => a + (pick(p).get(key) ?? 0), 0) / Math.max(1, list.length);
    const head = `${"".padEnd(100)}${names.map((n) => n.padStart(12)).join("")}`;
    out.push(`## ${query.label}`, "", `busy ms/request: ${of.map((l, i) => `${names[i]} ${(l.reduce((a, p) => a + p.busyMsPerRequest, 0) / Math.max(1, l.length)).toFixed(3)}`).join(", ")}`, "");
    for (const [heading, pick, limit, only] of [
      ["by package", (p: WindowProfile) => p.packages, 20, undefined],
      ["by function (the largest in any gateway)", (p: WindowProfile) => p.functions, top, undefined],
      // The code a gateway of ours can change, however small each function is.
      ["the app's own functions and @apollo/server's", (p: WindowProfile) => p.functions, top, (k: string) => k.includes("app:") || k.includes("@apollo/server/")],
    ] as const) {
      const keys = new Set(of.flat().flatMap((p) => [...pick(p).keys()].filter((k) => !only || only(k))));
      const rows = [...keys].map((k) => ({ k, v: of.map((l) => avg(l, pick, k)) })).sort((a, b) => Math.max(...b.v) - Math.max(...a.v));
      out.push(heading, head);
      for (const r of rows.slice(0, limit)) out.push(`${r.k.slice(0, 99).padEnd(100)}${r.v.map((v) => v.toFixed(3).padStart(12)).join("")}`);
      out.push("");
    }
  }
  return out.join("\n");
}

export function formatSummary(summary: ProfileSummary): string {
  const lines: string[] = [];
  lines.push(`sampled ${summary.totalMs} ms: busy ${summary.busyMs} ms, idle ${summary.idleMs} ms (percentages are of busy time)`);
  lines.push("");
  lines.push(`top ${summary.functions.length} functions by self time`);
  lines.push("   #   self ms      %  function  (location)");
  summary.functions.forEach((f, i) => {
    lines.push(
      `${String(i + 1).padStart(4)}  ${f.selfMs.toFixed(1).padStart(8)}  ${f.pct.toFixed(1).padStart(5)}  ${f.name}${f.location ? `  (${f.location})` : ""}`,
    );
  });
  lines.push("");
  lines.push("self time by package");
  for (const p of summary.packages) lines.push(`  ${p.selfMs.toFixed(1).padStart(9)} ms ${p.pct.toFixed(1).padStart(5)} %  ${p.name}`);
  return lines.join("\n");
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: npx tsx bench/profile-top.ts <file.cpuprofile> [--top 25]");
    process.exit(2);
  }
  const topIndex = process.argv.indexOf("--top");
  const top = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 25;
  console.log(formatSummary(summarize(readProfile(file), top)));
}
