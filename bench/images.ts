/**
 * Photos under load (issue 10): `npm run bench:images -- [--uploads 20] [--rate 4] [--seconds 20] [--rounds 3] [--burst 50] [--out images-<date>]`
 *
 * One gateway process (every subgraph in it, production mode) on a copy of the PostgreSQL data set
 * `piata_bench_2000` (bench/datasets.ts makes it when missing), uploads of a 12-megapixel JPEG made here
 * with sharp (4000 × 3000 by default, smooth colour fields and grain like a phone photo), through `POST /uploads`:
 *
 * 1. **Variants per second**: `--uploads` photos, as many at once as the gateway has media workers;
 *    9 variants each (3 sizes × WebP, JPEG, AVIF), and the CPU per photo of the gateway with its photo process.
 * 2. **Browse while uploading**: the browse query at 20/s (open loop, bench/agents-browse.ts) for
 *    `--seconds` idle, then as long again while photos arrive at `--rate` a second, `--rounds` times over;
 *    the p99 ratio of the pooled latencies (target ≤ 1.5×), and each round's.
 * 3. **Burst**: `--burst` uploads at once; the RSS of the gateway and its photo process sampled every 50 ms (bounded: the queue
 *    refuses with 503 beyond MEDIA_QUEUE_LIMIT rather than holding every body), answers by status.
 *
 * The gateway runs with MALLOC_ARENA_MAX=2, as `npm start` and the image do (--env MALLOC_ARENA_MAX=8 to
 * see glibc's default). Results: bench/results/<out>.json and .md. The machine is shared: read the CPU
 * and the ratios.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { createLogger } from "../lib/logger.ts";
import { summarize, type BrowseResult, type PhaseResult } from "./agents-browse.ts";
import { BrowseLoad, copyDatabase, dropDatabase } from "./agents-setup.ts";
import { prepareDataset, repoRoot } from "./datasets.ts";
import { CLK_TCK, gitState, localDate, post, procTimes, round2, serverEnv, sleep, startServer, stopServers, UNLIMITED_RATE, type Server } from "./harness.ts";

const { values: args } = parseArgs({
  options: {
    uploads: { type: "string", default: "20" },
    rate: { type: "string", default: "4" },
    seconds: { type: "string", default: "20" },
    /**
     * Idle and uploading windows alternate this many times, and each side's latencies are pooled: the
     * machine is shared, and one pair of windows reads whatever else ran meanwhile (a p99 ratio of
     * 1.36× and 2.59× in two runs back to back), while alternation spreads that over both sides.
     */
    rounds: { type: "string", default: "3" },
    burst: { type: "string", default: "50" },
    /** The photo's size: 12 (4000 × 3000, a phone camera's) or less (an app that resizes before sending). */
    megapixels: { type: "string", default: "12" },
    "admin-url": { type: "string", default: process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
    /**
     * The database copied for the run (default piata_bench_2000, made when missing). Another one when
     * that is in use by a session that stays (a copy needs a template nobody is connected to), e.g. a
     * pg_dump of it restored under another name.
     */
    template: { type: "string" },
    out: { type: "string", default: `images-${localDate()}` },
    /** Extra environment of the gateway, e.g. --env MALLOC_ARENA_MAX=2 (repeatable). */
    env: { type: "string", multiple: true, default: [] },
    /** Write the gateway's CPU profile (node --cpu-prof) into this folder: `npx tsx bench/profile-top.ts` reads it. */
    "cpu-prof-dir": { type: "string" },
    /**
     * The gateway's event-loop delay, second by second (perf_hooks.monitorEventLoopDelay, 5 ms resolution,
     * loaded with --import into its main thread): the worst and the p99 per phase.
     */
    "loop-delay": { type: "boolean", default: false },
    /**
     * With --loop-delay: a sampling heap profile of the gateway's main thread over the first uploading
     * window, objects the GC has collected included (what the uploads allocate, not only what they keep),
     * written to this file (.heapprofile: Chrome DevTools, or bench/heap-profile-top.ts).
     */
    "heap-profile": { type: "string" },
  },
});
const UPLOADS = Number(args.uploads);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const ROUNDS = Number(args.rounds);
const BURST = Number(args.burst);
const WIDTH = Math.round(Math.sqrt((Number(args.megapixels) * 1e6 * 4) / 3));
const HEIGHT = Math.round((WIDTH * 3) / 4);
const DATABASE = "piata_bench_images";
const BROWSE = `{ listings(first: 20) { edges { node { id title price { amount } coverImage { url(size: CARD) } } } } }`;

/** A photo-like JPEG (WIDTH × HEIGHT): a colour field upscaled from a small noisy image (smooth areas, some detail). */
async function photoJpeg(): Promise<Buffer> {
  const small = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 120, g: 150, b: 90 }, noise: { type: "gaussian", mean: 128, sigma: 60 } } })
    .png()
    .toBuffer();
  const field = await sharp(small).resize(WIDTH, HEIGHT, { kernel: "cubic" }).raw().toBuffer({ resolveWithObject: true });
  // Grain on top, as a camera sensor gives: JPEG cannot throw it all away, so the file is photo-sized.
  const grain = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: "#000", noise: { type: "gaussian", mean: 0, sigma: 6 } } }).raw().toBuffer();
  const pixels = Buffer.alloc(field.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.max(0, Math.min(255, field.data[i]! + grain[i]! - 3));
  return sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: 88 }).toBuffer();
}

interface UploadAnswer {
  status: number;
  ms: number;
}

async function upload(baseUrl: string, token: string, photo: Buffer): Promise<UploadAnswer> {
  const form = new FormData();
  form.append("file", new Blob([photo], { type: "image/jpeg" }), "photo.jpg");
  const started = performance.now();
  try {
    const response = await fetch(`${baseUrl}/uploads`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (process.env.BENCH_DEBUG) console.error("upload failed:", (error as Error).message, cause?.code, cause?.message);
    return { status: 0, ms: performance.now() - started };
  }
}

/** CPU of the gateway's main thread alone (the event loop serving GraphQL), from /proc/<pid>/task/<pid>/stat. */
function mainThreadCpuMs(pid: number): number {
  const t = procTimes(`${pid}/task/${pid}`);
  if (!t) throw new Error(`process ${pid} is gone`);
  return ((t[0]! + t[1]!) * 1000) / CLK_TCK;
}

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0; // ended meanwhile
  }
}

/** The processes `pid` started that still run, and theirs (the gateway's photo process: lib/media/processing.ts). */
function descendants(pid: number): number[] {
  let tids: string[] = [];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const direct = tids.flatMap((tid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
  return direct.flatMap((child) => [child, ...descendants(child)]);
}

/** RSS of the gateway and of every process under it, MB. */
function treeRssMb(pid: number): { total: number; children: number } {
  const children = descendants(pid).reduce((sum, child) => sum + rssMb(child), 0);
  return { total: rssMb(pid) + children, children };
}

/**
 * CPU of the gateway with every process under it: its own, its reaped children's (cutime/cstime: a photo
 * process let go after a quiet minute, or one that died), and the running children's.
 */
function treeCpuMs(pid: number): number {
  const all = (p: number) => {
    const t = procTimes(p);
    return t ? t[0]! + t[1]! + t[2]! + t[3]! : 0;
  };
  const own = procTimes(pid);
  if (!own) throw new Error(`process ${pid} is gone`);
  return ((all(pid) + descendants(pid).reduce((sum, child) => sum + all(child), 0)) * 1000) / CLK_TCK;
}

/**
 * The scheduler's view of every thread of a process (Linux /proc/<pid>/task/<tid>/schedstat): CPU time,
 * time spent runnable but waiting for a core, and how many times it got one. A thread that ended
 * between two readings is missing from the difference (the photo process ends after an idle minute).
 */
type ThreadSched = Map<string, { name: string; cpuNs: number; waitNs: number; slices: number }>;

function threadSched(pid: number, label = ""): ThreadSched {
  const threads: ThreadSched = new Map();
  let tids: string[] = [];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const [cpuNs, waitNs, slices] = fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").trim().split(" ").map(Number);
      const name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      // Field 19 of stat: the nice value (libuv's and V8's threads are named "node").
      const nice = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ")[16];
      threads.set(tid, { name: label + (tid === String(pid) && !label ? "(main)" : `${name} (nice ${nice})`), cpuNs: cpuNs!, waitNs: waitNs!, slices: slices! });
    } catch {
      // ended meanwhile
    }
  }
  return threads;
}

/** The gateway's threads, and those of the processes under it (named "photo process: …"). */
function gatewaySched(pid: number): ThreadSched {
  return new Map([...threadSched(pid), ...descendants(pid).flatMap((child) => [...threadSched(child, "photo process: ")])]);
}

/** Single-threaded processes (PostgreSQL's backends of the bench database, the browse load), summed. */
function processesSched(pids: number[]): ThreadSched {
  const all: ThreadSched = new Map();
  for (const pid of pids) {
    try {
      const [cpuNs, waitNs, slices] = fs.readFileSync(`/proc/${pid}/schedstat`, "utf8").trim().split(" ").map(Number);
      all.set(String(pid), { name: "all", cpuNs: cpuNs!, waitNs: waitNs!, slices: slices! });
    } catch {
      // ended meanwhile
    }
  }
  return all;
}

/** Every thread under one name, "all" (this process: the client sending the uploads). */
function together(threads: ThreadSched): ThreadSched {
  return new Map([...threads].map(([tid, t]) => [tid, { ...t, name: "all" }]));
}

/** PostgreSQL backends serving the bench database (their command line names it). */
function backendPids(): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, "latin1").includes(` ${DATABASE} `)) pids.push(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return pids;
}

interface SchedFigures {
  cpuMs: number;
  /** Runnable, waiting for a core. */
  waitMs: number;
  slices: number;
  /** waitMs per slice: how long a wake-up waited for a core on average. */
  waitPerSliceMs: number;
  threads: number;
}

/** Over the windows from `a` to `b`, per thread name: CPU, run-queue wait and slices (per second of `seconds`, the windows' total). */
function schedDelta(windows: [ThreadSched, ThreadSched][], seconds: number): Record<string, SchedFigures> {
  const out: Record<string, SchedFigures> = {};
  for (const [a, b] of windows) {
    const seen = new Set<string>();
    for (const [tid, now] of b) {
      const was = a.get(tid) ?? { cpuNs: 0, waitNs: 0, slices: 0 };
      const f = (out[now.name] ??= { cpuMs: 0, waitMs: 0, slices: 0, waitPerSliceMs: 0, threads: 0 });
      f.cpuMs += (now.cpuNs - was.cpuNs) / 1e6;
      f.waitMs += (now.waitNs - was.waitNs) / 1e6;
      f.slices += now.slices - was.slices;
      if (!seen.has(`${now.name}:${tid}`)) f.threads++;
      seen.add(`${now.name}:${tid}`);
    }
  }
  for (const f of Object.values(out)) {
    f.waitPerSliceMs = round2(f.waitMs / Math.max(1, f.slices));
    // per second of the phase
    f.cpuMs = round2(f.cpuMs / seconds);
    f.waitMs = round2(f.waitMs / seconds);
    f.slices = round2(f.slices / seconds);
  }
  return out;
}

/**
 * The event-loop probe, loaded into the gateway with --import: one JSON line a second into BENCH_LOOP_FILE,
 * with that second's garbage collections on the main thread (PerformanceObserver "gc": scavenges and
 * mark-compacts, their count and pause) and its heap, external and ArrayBuffer memory.
 */
const LOOP_PROBE = `
import { isMainThread } from "node:worker_threads";
import v8 from "node:v8";
import { constants, monitorEventLoopDelay, performance, PerformanceObserver } from "node:perf_hooks";
import fs from "node:fs";
const file = process.env.BENCH_LOOP_FILE;
if (isMainThread && file) {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const fresh = () => ({ minor: 0, minorMs: 0, major: 0, majorMs: 0, maxMs: 0, majorFlags: {} });
  let gc = fresh();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const major = e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
      if (major) { gc.major++; gc.majorMs += e.duration; gc.majorFlags[e.detail.flags] = (gc.majorFlags[e.detail.flags] ?? 0) + 1; } else { gc.minor++; gc.minorMs += e.duration; }
      gc.maxMs = Math.max(gc.maxMs, e.duration);
    }
  }).observe({ entryTypes: ["gc"] });
  let elu = performance.eventLoopUtilization();
  // Growth of the old and large-object spaces between samples (what promotion and big objects add; a
  // mark-compact's drop is not subtracted), sampled every 100 ms: where the old generation's limit is reached from.
  const spaces = () => Object.fromEntries(v8.getHeapSpaceStatistics().map((sp) => [sp.space_name, sp.space_used_size]));
  let last = spaces();
  let grew = { old: 0, large: 0 };
  setInterval(() => {
    const now = spaces();
    grew.old += Math.max(0, now.old_space - last.old_space);
    grew.large += Math.max(0, now.large_object_space - last.large_object_space);
    last = now;
  }, 100).unref();
  setInterval(() => {
    const now = performance.eventLoopUtilization();
    const used = performance.eventLoopUtilization(now, elu).utilization;
    elu = now;
    const m = process.memoryUsage();
    const mb = (n) => Math.round(n / 1e5) / 10;
    fs.appendFileSync(file, JSON.stringify({ t: performance.timeOrigin + performance.now(), max: h.max / 1e6, p99: h.percentile(99) / 1e6, mean: h.mean / 1e6, elu: used, gc, heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external), arrayBuffersMb: mb(m.arrayBuffers), oldGrewMb: mb(grew.old), largeGrewMb: mb(grew.large) }) + String.fromCharCode(10));
    grew = { old: 0, large: 0 };
    h.reset();
    gc = fresh();
  }, 1000).unref();
}
const heapFile = process.env.BENCH_HEAP_FILE;
if (isMainThread && heapFile) {
  const { Session } = await import("node:inspector");
  const session = new Session();
  session.connect();
  let sampling = false;
  process.on("SIGUSR2", () => {
    if (!sampling) {
      sampling = true;
      session.post("HeapProfiler.startSampling", { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      return;
    }
    session.post("HeapProfiler.stopSampling", (error, result) => {
      fs.writeFileSync(heapFile, error ? JSON.stringify({ error: String(error) }) : JSON.stringify(result.profile));
    });
  });
}
`;

interface LoopSecond {
  t: number;
  max: number;
  p99: number;
  mean: number;
  elu: number;
  /** majorFlags: mark-compacts by their perf_hooks flags (e.g. 32 = NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY, external memory pressure). */
  gc: { minor: number; minorMs: number; major: number; majorMs: number; maxMs: number; majorFlags: Record<string, number> };
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  oldGrewMb: number;
  largeGrewMb: number;
}

/** The probe's seconds within the windows (wall-clock from, to): worst delay, median of the per-second p99s, mean utilisation. */
function loopPhase(seconds: LoopSecond[], windows: [number, number][]) {
  const within = seconds.filter((s) => windows.some(([from, to]) => s.t > from && s.t <= to));
  if (!within.length) return null;
  const p99s = within.map((s) => s.p99).sort((a, b) => a - b);
  const maxes = within.map((s) => s.max).sort((a, b) => a - b);
  return {
    seconds: within.length,
    worstMs: round2(maxes.at(-1)!),
    secondsOver20Ms: within.filter((s) => s.max > 20).length,
    medianSecondMaxMs: round2(maxes[Math.floor(maxes.length / 2)]!),
    medianSecondP99Ms: round2(p99s[Math.floor(p99s.length / 2)]!),
    utilisation: round2(within.reduce((a, s) => a + s.elu, 0) / within.length),
    gc: gcPhase(within),
  };
}

/** The main thread's collections over the probe's seconds (per second of the phase), and its memory at the phase's end. */
function gcPhase(within: LoopSecond[]) {
  const sum = (pick: (s: LoopSecond) => number) => within.reduce((a, s) => a + pick(s), 0);
  const last = within.at(-1)!;
  const perSecond = (n: number) => round2(n / within.length);
  return {
    scavengesPerS: perSecond(sum((s) => s.gc.minor)),
    scavengeMsPerS: perSecond(sum((s) => s.gc.minorMs)),
    markCompacts: sum((s) => s.gc.major),
    markCompactMs: round2(sum((s) => s.gc.majorMs)),
    markCompactsByFlags: within.reduce<Record<string, number>>((all, s) => {
      for (const [flags, n] of Object.entries(s.gc.majorFlags)) all[flags] = (all[flags] ?? 0) + n;
      return all;
    }, {}),
    longestPauseMs: round2(Math.max(...within.map((s) => s.gc.maxMs))),
    oldSpaceGrowthMbPerS: perSecond(sum((s) => s.oldGrewMb)),
    largeObjectGrowthMbPerS: perSecond(sum((s) => s.largeGrewMb)),
    heapUsedMaxMb: Math.max(...within.map((s) => s.heapUsedMb)),
    heapTotalMaxMb: Math.max(...within.map((s) => s.heapTotalMb)),
    arrayBuffersMaxMb: Math.max(...within.map((s) => s.arrayBuffersMb)),
    atEnd: { heapUsedMb: last.heapUsedMb, externalMb: last.externalMb, arrayBuffersMb: last.arrayBuffersMb },
  };
}

const byStatus = (answers: UploadAnswer[]) => answers.reduce<Record<string, number>>((counts, a) => ({ ...counts, [a.status]: (counts[a.status] ?? 0) + 1 }), {});

async function signUp(graphqlUrl: string): Promise<string> {
  const reply = await post(graphqlUrl, JSON.stringify({
    query: `mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken } }`,
    variables: { input: { email: `photos-${Date.now()}@example.ro`, password: "parola-sigura-123", displayName: "Bench Photos" } },
  }));
  const token = (reply.json.data?.signUp as { accessToken?: string } | undefined)?.accessToken;
  if (!token) throw new Error(`signUp failed: ${JSON.stringify(reply.json.errors)}`);
  return token;
}

/** Phase 1: `count` photos, `parallel` at a time. */
async function throughput(server: Server, baseUrl: string, token: string, photo: Buffer, count: number, parallel: number) {
  for (let i = 0; i < 2; i++) await upload(baseUrl, token, photo); // warm the workers
  const cpuBefore = treeCpuMs(server.pid);
  const mainBefore = mainThreadCpuMs(server.pid);
  const started = performance.now();
  const answers: UploadAnswer[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) {
      next++;
      answers.push(await upload(baseUrl, token, photo));
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const ok = answers.filter((a) => a.status === 201).length;
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  return {
    photos: count,
    parallel,
    statuses: byStatus(answers),
    seconds: round2(seconds),
    variantsPerSecond: round2((ok * 9) / seconds),
    photosPerSecond: round2(ok / seconds),
    gatewayCpuMsPerPhoto: round2((treeCpuMs(server.pid) - cpuBefore) / Math.max(1, ok)),
    mainThreadCpuMsPerPhoto: round2((mainThreadCpuMs(server.pid) - mainBefore) / Math.max(1, ok)),
    uploadMs: { p50: round2(ms[Math.floor(ms.length / 2)]!), max: round2(ms.at(-1)!) },
  };
}

/** Phase 2: browse idle, then browse while photos arrive at `rate` a second (open loop), `rounds` times over. */
async function browseWhileUploading(server: Server, baseUrl: string, graphqlUrl: string, token: string, photo: Buffer) {
  const load = await BrowseLoad.start({ url: graphqlUrl, body: JSON.stringify({ query: BROWSE }), connections: 8, rate: 20, maxInFlight: 64 });
  await sleep(3_000);
  const sched = () => ({ gateway: gatewaySched(server.pid), postgres: processesSched(backendPids()), load: processesSched([load.pid]), client: together(threadSched(process.pid)), wall: Date.now(), main: mainThreadCpuMs(server.pid) });
  type Mark = ReturnType<typeof sched>;
  const windows: { idle: [Mark, Mark][]; uploading: [Mark, Mark][] } = { idle: [], uploading: [] };
  const answers: UploadAnswer[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    load.phase(`idle-${round}`);
    const idleStart = sched();
    await sleep(SECONDS * 1000);
    load.phase(`uploads-${round}`);
    const busyStart = sched();
    windows.idle.push([idleStart, busyStart]);
    const profiling = round === 1 && args["loop-delay"] && args["heap-profile"];
    if (profiling) process.kill(server.pid, "SIGUSR2");
    answers.push(...(await uploadFor(baseUrl, token, photo)));
    if (profiling) process.kill(server.pid, "SIGUSR2");
    windows.uploading.push([busyStart, sched()]);
  }
  load.phase("after");
  const browse: BrowseResult = await load.stop();
  const pooled = (kind: "idle" | "uploads") => {
    const phases = Array.from({ length: ROUNDS }, (_, i) => browse[`${kind}-${i + 1}`]!);
    const sum = (pick: (p: PhaseResult) => number) => phases.reduce((total, p) => total + pick(p), 0);
    return { latency: summarize(phases.flatMap((p) => p.latencies)), ok: sum((p) => p.ok), bad: sum((p) => p.bad), seconds: round2(sum((p) => p.seconds)), rounds: phases.map((p) => p.latencyMs) };
  };
  const idle = pooled("idle");
  const busy = pooled("uploads");
  const windowSeconds = (list: [Mark, Mark][]) => list.reduce((total, [a, b]) => total + (b.wall - a.wall) / 1000, 0);
  // Share of one core the main thread used: the browse load alone, then with photos arriving.
  const share = (list: [Mark, Mark][]) => round2(list.reduce((total, [a, b]) => total + b.main - a.main, 0) / 1000 / windowSeconds(list));
  return {
    uploadRate: RATE,
    rounds: ROUNDS,
    uploads: byStatus(answers),
    idle: { ...idle.latency!, ok: idle.ok, bad: idle.bad },
    uploading: { ...busy.latency!, ok: busy.ok, bad: busy.bad, seconds: busy.seconds },
    p99Ratio: idle.latency && busy.latency ? round2(busy.latency.p99 / idle.latency.p99) : null,
    p50Ratio: idle.latency && busy.latency ? round2(busy.latency.p50 / idle.latency.p50) : null,
    /** Each round's own p99 ratio: how far one window's tail moves with the machine. */
    roundP99Ratios: idle.rounds.map((p, i) => (p && busy.rounds[i] ? round2(busy.rounds[i]!.p99 / p.p99) : null)),
    mainThreadCpuShare: { idle: share(windows.idle), uploading: share(windows.uploading) },
    /** Per second of each phase (all rounds), by thread name (the gateway) or summed (PostgreSQL's backends, the browse load). */
    scheduler: Object.fromEntries(
      (["gateway", "postgres", "load", "client"] as const).map((who) => [
        who,
        {
          idle: schedDelta(windows.idle.map(([a, b]) => [a[who], b[who]]), windowSeconds(windows.idle)),
          uploading: schedDelta(windows.uploading.map(([a, b]) => [a[who], b[who]]), windowSeconds(windows.uploading)),
        },
      ]),
    ),
    windows: { idle: windows.idle.map(([a, b]) => [a.wall, b.wall] as [number, number]), uploading: windows.uploading.map(([a, b]) => [a.wall, b.wall] as [number, number]) },
  };
}

/** Photos at `RATE` a second for `SECONDS` (open loop: one is sent when due, answered or not); their answers. */
async function uploadFor(baseUrl: string, token: string, photo: Buffer): Promise<UploadAnswer[]> {
  const pending: Promise<UploadAnswer>[] = [];
  const started = performance.now();
  for (let i = 0; performance.now() - started < SECONDS * 1000; i++) {
    pending.push(upload(baseUrl, token, photo));
    await sleep(Math.max(0, started + ((i + 1) * 1000) / RATE - performance.now()));
  }
  return Promise.all(pending);
}

/** Phase 3: `count` uploads at once; the RSS of the gateway and its photo process while they are handled. */
async function burst(server: Server, baseUrl: string, token: string, photo: Buffer, count: number) {
  const before = treeRssMb(server.pid);
  let peak = before;
  const sampler = setInterval(() => {
    const now = treeRssMb(server.pid);
    if (now.total > peak.total) peak = now;
  }, 50);
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: count }, () => upload(baseUrl, token, photo)));
  clearInterval(sampler);
  await sleep(2_000);
  const after = treeRssMb(server.pid);
  return {
    uploads: count,
    statuses: byStatus(answers),
    seconds: round2((performance.now() - started) / 1000),
    rssMb: { before: round2(before.total), peak: round2(peak.total), after: round2(after.total) },
    /** Of those, the processes under the gateway (its photo process). */
    childRssMb: { before: round2(before.children), peak: round2(peak.children), after: round2(after.children) },
  };
}

async function main() {
  const log = createLogger({ LOG_LEVEL: "warn" });
  const adminUrl = args["admin-url"];
  if (!args.template) await prepareDataset(2000, adminUrl, log, { pglite: false, postgres: true, bulk: true });
  const databaseUrl = await copyDatabase(adminUrl, args.template ?? "piata_bench_2000", DATABASE);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-bench-images-"));
  const photo = await photoJpeg();
  console.log(`  photo: ${WIDTH} × ${HEIGHT} JPEG, ${(photo.length / 1e6).toFixed(2)} MB`);
  const servers: Server[] = [];
  try {
    const extra = Object.fromEntries(args.env.map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
    const env = { ...serverEnv("production", { DATABASE_URL: databaseUrl }), DATA_DIR: dataDir, RATE_LIMIT_UPLOADS_PER_MINUTE: UNLIMITED_RATE, AGENT_WORKERS: "off", MALLOC_ARENA_MAX: "2", ...extra };
    const profile = args["cpu-prof-dir"] ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(args["cpu-prof-dir"])] : [];
    const loopFile = path.join(dataDir, "loop-delay.jsonl");
    const probe = args["loop-delay"] ? ["--import", `data:text/javascript,${encodeURIComponent(LOOP_PROBE)}`] : [];
    const gateway = await startServer("gateway", "gateway/index.ts", [], { ...env, ...(args["loop-delay"] ? { BENCH_LOOP_FILE: loopFile } : {}), ...(args["heap-profile"] ? { BENCH_HEAP_FILE: path.resolve(args["heap-profile"]) } : {}) }, "/readyz", [...profile, ...probe]);
    servers.push(gateway);
    const baseUrl = `http://127.0.0.1:${gateway.port}`;
    await sleep(3_000);
    const startRssMb = round2(treeRssMb(gateway.pid).total);
    const token = await signUp(gateway.graphqlUrl);
    const workers = Math.max(1, Math.min(os.availableParallelism() - 1, 4));
    console.log("  1. variants per second");
    const variants = await throughput(gateway, baseUrl, token, photo, UPLOADS, workers);
    console.log(`     ${JSON.stringify(variants)}`);
    console.log(`  2. browse: ${ROUNDS} × (${SECONDS} s idle, ${SECONDS} s with ${RATE} uploads/s)`);
    const browse = await browseWhileUploading(gateway, baseUrl, gateway.graphqlUrl, token, photo);
    console.log(`     ${JSON.stringify({ ...browse, scheduler: undefined })}`);
    let loopDelay: Record<string, ReturnType<typeof loopPhase>> | undefined;
    if (args["loop-delay"]) {
      await sleep(1_100);
      const seconds = fs.readFileSync(loopFile, "utf8").trim().split("\n").map((line) => JSON.parse(line) as LoopSecond);
      loopDelay = { idle: loopPhase(seconds, browse.windows.idle), uploading: loopPhase(seconds, browse.windows.uploading) };
      console.log(`     event-loop delay: ${JSON.stringify(loopDelay)}`);
    }
    console.log(`  3. burst of ${BURST}`);
    const burstResult = await burst(gateway, baseUrl, token, photo, BURST);
    console.log(`     ${JSON.stringify(burstResult)}`);
    write({ git: gitState(), at: new Date().toISOString(), template: args.template ?? "piata_bench_2000", env: extra, loadAverage: os.loadavg().map(round2), photoBytes: photo.length, startRssMb, variants, browse, ...(loopDelay ? { loopDelay } : {}), burst: burstResult });
  } finally {
    await stopServers(servers);
    fs.rmSync(dataDir, { recursive: true, force: true });
    await dropDatabase(adminUrl, DATABASE);
  }
}

/** Waits for a core (run queue), per second of the phase and per slice: idle → with uploads. */
function schedRows(scheduler: Record<string, { idle: Record<string, SchedFigures>; uploading: Record<string, SchedFigures> }>): string[] {
  const row = (label: string, idle?: SchedFigures, busy?: SchedFigures) =>
    idle && busy
      ? [`| ${label}: CPU ms/s, run-queue wait ms/s, wait per slice ms — idle → with uploads | ${idle.cpuMs} → ${busy.cpuMs}; ${idle.waitMs} → ${busy.waitMs}; ${idle.waitPerSliceMs} → ${busy.waitPerSliceMs} | |`]
      : [];
  const g = scheduler.gateway!;
  const others = Object.keys(g.uploading).filter((name) => name !== "(main)" && (g.uploading[name]!.cpuMs > 5 || (g.idle[name]?.cpuMs ?? 0) > 5));
  return [
    ...row("gateway main thread", g.idle["(main)"], g.uploading["(main)"]),
    ...others.map((name) => row(`gateway threads "${name}"`, g.idle[name] ?? { cpuMs: 0, waitMs: 0, slices: 0, waitPerSliceMs: 0, threads: 0 }, g.uploading[name])[0]!),
    ...row("PostgreSQL backends", scheduler.postgres!.idle.all, scheduler.postgres!.uploading.all),
    ...row("browse load generator", scheduler.load!.idle.all, scheduler.load!.uploading.all),
    ...row("this process (sends the uploads)", scheduler.client?.idle.all, scheduler.client?.uploading.all),
  ];
}

function loopRows(loop: Record<string, ReturnType<typeof loopPhase>>): string[] {
  const { idle, uploading } = loop;
  if (!idle || !uploading) return [];
  return [
    `| gateway event-loop delay, worst / median of per-second worst / median per-second p99 — idle | ${idle.worstMs} / ${idle.medianSecondMaxMs} / ${idle.medianSecondP99Ms} ms (${idle.secondsOver20Ms} of ${idle.seconds} s over 20 ms; loop busy ${idle.utilisation}) | |`,
    `| the same with uploads | ${uploading.worstMs} / ${uploading.medianSecondMaxMs} / ${uploading.medianSecondP99Ms} ms (${uploading.secondsOver20Ms} of ${uploading.seconds} s over 20 ms; loop busy ${uploading.utilisation}) | |`,
    `| gateway main thread's GC — idle: scavenges/s, their ms/s; mark-compacts, their ms; longest pause | ${gcCells(idle.gc)} | |`,
    `| the same with uploads | ${gcCells(uploading.gc)} | |`,
  ];
}

function gcCells(gc: ReturnType<typeof gcPhase>): string {
  return `${gc.scavengesPerS} /s, ${gc.scavengeMsPerS} ms/s; ${gc.markCompacts}, ${gc.markCompactMs} ms (by flags ${JSON.stringify(gc.markCompactsByFlags)}); ${gc.longestPauseMs} ms; old space grew ${gc.oldSpaceGrowthMbPerS} MB/s, large objects ${gc.largeObjectGrowthMbPerS} MB/s (heap used ≤ ${gc.heapUsedMaxMb} MB, total ≤ ${gc.heapTotalMaxMb} MB, ArrayBuffers ≤ ${gc.arrayBuffersMaxMb} MB)`;
}

function write(result: Record<string, unknown> & { variants: Awaited<ReturnType<typeof throughput>>; browse: Awaited<ReturnType<typeof browseWhileUploading>>; burst: Awaited<ReturnType<typeof burst>> }) {
  const file = path.join(repoRoot, "bench/results", args.out);
  fs.writeFileSync(`${file}.json`, JSON.stringify(result, null, 2) + "\n");
  const { variants: v, browse: b, burst: u } = result;
  const md = [
    `# Photos benchmark — ${result.at}`,
    "",
    `\`npm run bench:images -- --uploads ${UPLOADS} --rate ${RATE} --seconds ${SECONDS} --rounds ${ROUNDS} --burst ${BURST}\` — one gateway (production, every subgraph in process) on a copy of ${result.template} (PostgreSQL)${Object.keys(result.env as object).length ? `, gateway environment ${JSON.stringify(result.env)}` : ""}; a ${WIDTH} × ${HEIGHT} JPEG of ${(Number(result.photoBytes) / 1e6).toFixed(2)} MB. Load average at the end: ${(result.loadAverage as number[]).join(" / ")} (2 cores, shared).`,
    "",
    "| figure | value | target |",
    "| --- | --- | --- |",
    `| variants per second (${v.photos} photos, ${v.parallel} at a time; 9 variants each) | ${v.variantsPerSecond} (${v.photosPerSecond} photos/s; answers ${JSON.stringify(v.statuses)}) | |`,
    `| gateway CPU per photo, its photo process included (decode, 9 encodes, store, row) | ${v.gatewayCpuMsPerPhoto} ms (main thread ${v.mainThreadCpuMsPerPhoto} ms) | |`,
    `| upload answered, p50 / max | ${v.uploadMs.p50} / ${v.uploadMs.max} ms | |`,
    `| browse p50 / p99 idle | ${b.idle?.p50} / ${b.idle?.p99} ms (${b.idle.ok} answers) | |`,
    `| browse p50 / p99 with ${b.uploadRate} uploads/s | ${b.uploading?.p50} / ${b.uploading?.p99} ms (${b.uploading.ok} answers; uploads ${JSON.stringify(b.uploads)}) | |`,
    `| browse p99 uploading ÷ idle, ${b.rounds} alternating rounds pooled | **${b.p99Ratio}×** (p50 ${b.p50Ratio}×; each round's p99 ratio: ${b.roundP99Ratios.map((r) => `${r}×`).join(", ")}) | ≤ 1.5× |`,
    `| gateway main thread's CPU, share of a core: browse idle / with uploads | ${b.mainThreadCpuShare.idle} / ${b.mainThreadCpuShare.uploading} | |`,
    ...schedRows(b.scheduler),
    ...(result.loopDelay ? loopRows(result.loopDelay as Record<string, ReturnType<typeof loopPhase>>) : []),
    `| burst of ${u.uploads} at once: answers | ${JSON.stringify(u.statuses)} in ${u.seconds} s | 503 beyond the queue |`,
    `| RSS of the gateway and its photo process once started / before the burst / peak / after | ${result.startRssMb} / ${u.rssMb.before} / ${u.rssMb.peak} / ${u.rssMb.after} MB (photo process ${u.childRssMb.before} / ${u.childRssMb.peak} / ${u.childRssMb.after}) | bounded |`,
    "",
  ].join("\n");
  fs.writeFileSync(`${file}.md`, md);
  console.log(`  written: ${file}.md / .json`);
}

await main();
process.exit(0);
