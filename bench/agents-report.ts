/** The write-up of bench/agents.ts: its results as markdown. */
import type { LatencySummary, PhaseResult } from "./agents-browse.ts";
import { deploymentWorkerFlags, type MemoryUsage } from "./agents-setup.ts";
import type { Results, WindowCpu } from "./agents.ts";

const r2 = (n: number) => Math.round(n * 100) / 100;
const fmt = (n: number) => n.toLocaleString("en-US");
const ms = (s: LatencySummary | null | undefined, p: "p50" | "p90" | "p99" | "max" | "mean") => (s ? `${s[p]} ms` : "–");
const ratio = (a: number | undefined, b: number | undefined) => (a && b ? `${r2(b / a)}×` : "–");
const yes = (met: boolean) => (met ? "**met**" : "**missed**");

function targets(r: Results): string[] {
  const idle = r.browse.idle?.latencyMs;
  const burst = r.browse.burst?.latencyMs;
  const t = r.timings;
  const peak = Math.max(...r.workerMemory.peakHwmMB);
  const p99Ratio = idle && burst ? burst.p99 / idle.p99 : NaN;
  return [
    "| figure | idle | burst | burst / idle | target | |",
    "|---|--:|--:|--:|--:|---|",
    `| moderation runs/s (completed ÷ wall time, insert → last run final) | – | **${t.runsPerSecond}** | – | ≥ 200 | ${yes(t.runsPerSecond >= 200)} |`,
    `| runs/s between 10 % and 90 % done | – | ${t.steadyRunsPerSecond ?? "–"} | – | | |`,
    `| queue wait p50 / p99 (pg-boss started_on − created_on) | – | ${ms(t.queueWaitMs, "p50")} / **${ms(t.queueWaitMs, "p99")}** | – | | |`,
    `| browse p50 | ${ms(idle, "p50")} | ${ms(burst, "p50")} | ${ratio(idle?.p50, burst?.p50)} | | |`,
    `| browse p99 | ${ms(idle, "p99")} | ${ms(burst, "p99")} | **${ratio(idle?.p99, burst?.p99)}** | ≤ 2× | ${yes(p99Ratio <= 2)} |`,
    `| worker RSS: idle / steady (median of the burst's 2nd half) / peak (VmHWM) | ${r.workerMemory.idleRssMB.join(", ")} MB | ${r.workerMemory.steadyRssMB.join(", ")} MB / **${r.workerMemory.peakHwmMB.join(", ")} MB** | – | ≤ 120 MB | ${yes(peak <= 120)} |`,
  ];
}

function cpuRows(r: Results): string[] {
  const runs = Math.max(1, r.verification.runRows);
  const idle = r.idle.cpu;
  const burst = r.burst.cpu;
  const pct = (w: WindowCpu, name: string) => Math.round(((w.cpuMs[name] ?? 0) / (w.seconds * 1000)) * 100);
  const rows = ["| process | idle: % of a core | burst: % of a core | burst CPU ms per run | net of the idle rate, ms per run |", "|---|--:|--:|--:|--:|"];
  for (const name of Object.keys(burst.cpuMs)) {
    const used = burst.cpuMs[name]!;
    const baseline = ((idle.cpuMs[name] ?? 0) / idle.seconds) * burst.seconds;
    rows.push(`| ${name} | ${pct(idle, name)} % | ${pct(burst, name)} % | ${r2(used / runs)} | ${r2((used - baseline) / runs)} |`);
  }
  return rows;
}

/** What each worker's RSS is made of, after the idle phase and at the burst's end. */
function memoryRows(r: Results): string[] {
  const rows = ["| worker, moment | RSS MB | V8 heap total / used MB | external MB | array buffers MB | RSS − heap total − external MB |", "|---|--:|--:|--:|--:|--:|"];
  const { idle, end } = r.workerMemory.usage;
  const row = (label: string, u: MemoryUsage | null) =>
    u ? `| ${label} | ${u.rss} | ${u.heapTotal} / ${u.heapUsed} | ${u.external} | ${u.arrayBuffers} | ${r2(u.rss - u.heapTotal - u.external)} |` : `| ${label} | – | – | – | – | – |`;
  idle.forEach((u, i) => rows.push(row(`worker-${i + 1} after the idle phase`, u)));
  end.forEach((u, i) => rows.push(row(`worker-${i + 1} when the last run was final`, u)));
  return rows;
}

/** Statements and Redis commands per run: the burst's count, and net of the idle phase's rate. */
function countRows(r: Results): string[] {
  const runs = Math.max(1, r.verification.runRows);
  const idle = r.idle.cpu;
  const burst = r.burst.cpu;
  const net = (b: number, i: number) => r2((b - (i / idle.seconds) * burst.seconds) / runs);
  const commands = [...new Set([...Object.keys(burst.redisCalls), ...Object.keys(idle.redisCalls)])].sort();
  const rows = ["| per run | burst | net of the idle rate |", "|---|--:|--:|"];
  rows.push(`| PostgreSQL transactions of the bench database (≈ statements: each outside a transaction is one) | ${r2(burst.transactions / runs)} | ${net(burst.transactions, idle.transactions)} |`);
  for (const c of commands) rows.push(`| Redis ${c.toUpperCase()} | ${r2((burst.redisCalls[c] ?? 0) / runs)} | ${net(burst.redisCalls[c] ?? 0, idle.redisCalls[c] ?? 0)} |`);
  return rows;
}

function browseRows(r: Results): string[] {
  const rows = ["| phase | s | answers | per s | p50 | p90 | p99 | max | bad / errors / skipped |", "|---|--:|--:|--:|--:|--:|--:|--:|--:|"];
  for (const [name, p] of Object.entries(r.browse) as [string, PhaseResult][]) {
    if (!p.ok && !p.bad && !p.errors) continue;
    rows.push(`| ${name} | ${p.seconds} | ${fmt(p.ok)} | ${r2(p.ok / Math.max(0.001, p.seconds))} | ${ms(p.latencyMs, "p50")} | ${ms(p.latencyMs, "p90")} | ${ms(p.latencyMs, "p99")} | ${ms(p.latencyMs, "max")} | ${p.bad} / ${p.errors} / ${p.skipped} |`);
  }
  return rows;
}

function series(r: Results): string[] {
  const samples = r.burst.samples;
  const step = Math.max(1, Math.ceil(samples.length / 30));
  const burstBrowse = r.browse.burst?.perSecond ?? [];
  const rows = ["| t (s) | final runs | runs/s (last s) | jobs by state | verdicts waiting | worker RSS MB | worker CPU % | browse p99 that second |", "|--:|--:|--:|---|--:|--:|--:|--:|"];
  samples.forEach((s, i) => {
    if (i % step !== 0 && i !== samples.length - 1) return;
    const browse = burstBrowse.find((b) => b.t === Math.floor(s.t) - 1);
    rows.push(`| ${s.t} | ${fmt(s.final)} | ${s.runsPerSecond} | ${Object.entries(s.jobs).map(([k, n]) => `${k} ${n}`).join(", ")} | ${s.verdictsPending} | ${s.workerRssMB.join(", ")} | ${s.workerCpuPct.join(", ")} | ${browse ? `${browse.p99} ms` : "–"} |`);
  });
  return rows;
}

function verification(r: Results): string[] {
  const v = r.verification;
  const list = (o: Record<string, number>) => Object.entries(o).map(([k, n]) => `${k} ${fmt(n)}`).join(", ") || "none";
  return [
    `${v.ok ? "**Every run ended SUCCEEDED exactly once.**" : "**NOT every run ended SUCCEEDED exactly once — see below.**"} For the ${fmt(v.jobs)} jobs inserted:`,
    "",
    `- AgentRun rows: ${fmt(v.runRows)} (${fmt(v.distinctRunRows)} distinct ids); by status: ${list(v.byStatus)}; attempts: ${list(v.attempts)}`,
    `- pg-boss jobs by state: ${list(v.jobStates)}; by retry_count: ${list(v.jobRetries)}`,
    `- decisions: ${list(v.decisions)}`,
    r.options.replies
      ? `- replies on listing-moderation-verdicts: ${fmt(v.replies)} for ${fmt(v.distinctReplies)} distinct runs; ListingModeration rows naming one of these runs: ${fmt(v.moderationRows)} (a listing keeps only its latest verdict, and a verdict about a version since changed is not applied)`
      : "- no replies asked (--no-replies)",
    `- runs of other agents meanwhile (schedules): ${list(r.otherRuns)}`,
  ];
}

/** How far the listings subgraph got with the verdicts: at the burst's end, and after the wait. */
function verdictsText(r: Results): string {
  const v = r.verdicts!;
  const waiting = r.burst.samples.at(-1)?.verdictsPending ?? 0;
  const applied = v.cpu.redisCalls.publish ?? 0;
  return v.seconds !== null
    ? ` ${fmt(waiting)} verdicts were still waiting when the last run ended; all were applied ${v.seconds} s later.`
    : ` ${fmt(waiting)} verdicts were still waiting when the last run ended; ${v.cpu.seconds} s later (the wait's end) some were still waiting (≈ ${fmt(applied)} status events published meanwhile, one per verdict applied: ${r2(applied / v.cpu.seconds)}/s).`;
}

const envText = (label: string, env: Record<string, string>) => (Object.keys(env).length ? ` ${label}: ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(", ")}.` : "");

export function markdown(r: Results): string {
  const o = r.options;
  const out: string[] = [];
  const la = r.meta.loadavg;
  out.push(`# Agents benchmark: a burst of ${fmt(o.runs)} moderation runs — ${r.meta.date}`);
  out.push("");
  out.push(`\`${r.meta.command}\` — commit ${(r.meta.git as { head: string }).head.slice(0, 10)}${(r.meta.git as { dirty: string[] }).dirty.length ? ` (files changed by others meanwhile: ${(r.meta.git as { dirty: string[] }).dirty.join(", ")})` : ""}, ${r.meta.startedAt} → ${r.meta.finishedAt ?? "?"}.`);
  out.push("");
  out.push(
    `Deployment: PostgreSQL ${r.setup.dataset} copied (${fmt(r.setup.listings)} active listings)${modelText(r.setup.agentsData)}, the gateway with every subgraph in one process (AGENT_WORKERS=off), ${o.workers} worker process(es), a redis-server of the benchmark's own; NODE_ENV=production. Browse load: \`${"{ listings(first: 20) { edges { node { id title price { amount } } } } }"}\` at ${o.browseRate}/s (open loop, ${o.browseConnections} keep-alive sockets). ${o.replies ? "Jobs carry replyTo: the gateway's listings subgraph applies the verdicts, as after publishListing." : "Jobs carry no replyTo."}${envText("Extra environment", o.env)}${envText("Workers' extra environment", o.workerEnv)}${o.workerNice ? ` Workers at nice ${o.workerNice} (every thread).` : ""} Workers' node flags: ${o.workerFlags ? `\`${o.workerFlags.join(" ")}\` (--worker-flags)` : `the deployment's (\`${deploymentWorkerFlags().join(" ")}\`)`}. Processes run ${o.runtime === "dist" ? "compiled (`node dist/…`, as the Dockerfile; built into bench/.data/dist)" : "from the sources through tsx (`node --import tsx`, as `npm start` and the other benchmarks)"}.`,
  );
  out.push("");
  out.push(
    `Machine: ${(r.meta.machine as { cpuCount: number }).cpuCount} cores shared with other sessions. Load average (1/5/15 min): ${la.start?.join(" ")} at the start, ${la.burstStart?.join(" ")} when the burst began, ${la.burstEnd?.join(" ")} when it ended. Machine busy ${r.idle.cpu.machineBusyPct} % idle phase / ${r.burst.cpu.machineBusyPct} % burst, of which other processes ${r.idle.cpu.otherLoadPct} % / ${r.burst.cpu.otherLoadPct} %. CPU probe ${(r.meta.cpuProbeMs as { start: number }).start} ms at the start, ${(r.meta.cpuProbeMs as { end?: number }).end ?? "–"} ms at the end (lower is faster).`,
  );
  out.push("");
  out.push("## Against the targets");
  out.push("");
  out.push(...targets(r));
  out.push("");
  out.push(
    `Insert of ${fmt(o.runs)} jobs (one pg-boss \`insert\`): ${r.burst.insertMs} ms, on ${fmt(r.burst.distinctListings)} distinct listings. Last run final ${r.timings.wallSeconds} s after the insert began${r.burst.completed ? "" : " — **the burst did not finish**"}. A run itself (finishedAt − startedAt): p50 ${ms(r.timings.runMs, "p50")}, p99 ${ms(r.timings.runMs, "p99")}; inserted → completed p50 ${ms(r.timings.endToEndMs, "p50")}, p99 ${ms(r.timings.endToEndMs, "p99")}.` +
      (r.verdicts ? verdictsText(r) : ""),
  );
  out.push("");
  out.push(...memoryRows(r));
  out.push("");
  out.push("## CPU");
  out.push("");
  out.push(...cpuRows(r));
  out.push("");
  out.push(
    `postgres = the backends of the bench database (${r.burst.cpu.postgresBackends} seen in the burst; others' tests use the same server). "net of the idle rate" subtracts what the process used per second in the idle phase (browse load, polling) times the burst's length: what the runs cost on top.`,
  );
  out.push("");
  out.push(...countRows(r));
  out.push("");
  out.push("## Verification");
  out.push("");
  out.push(...verification(r));
  out.push("");
  out.push("## Browse latency by phase");
  out.push("");
  out.push(...browseRows(r));
  out.push("");
  out.push("## The burst over time (a sample every 1 s plus the time its queries take; at most 30 shown)");
  out.push("");
  out.push(...series(r));
  out.push("");
  out.push("## Method");
  out.push("");
  out.push(
    [
      `- Set-up: \`bench/datasets.ts\` seeds piata_bench_${o.size} once (seedDemoData, ${o.size} listings); each run copies it (CREATE DATABASE … TEMPLATE) into piata_bench_agents and drops it at the end. Start-up: ${Object.entries(r.setup.startSeconds).map(([k, s]) => `${k} ${s} s`).join(", ")}.`,
      `- Phases on one unbroken browse load: ${o.warmupSeconds} s warm-up, ${o.idleSeconds} s idle (no runs), then the burst (from the insert until every run is final), then${r.verdicts ? " until the listings subgraph has applied every verdict" : " stop"}. The browse client sends each request when due (every 1/${o.browseRate} s) whatever the answers before it, and times it from when it was due.`,
      "- runs/s: runs final ÷ (last finishedAt − the insert's start), DB clock. Queue wait: pg-boss's started_on − created_on per job (the whole burst is created at once, so the p99 is about the time the queue takes to drain). Time series: AgentRun counts every ~1 s.",
      `- CPU: utime+stime from /proc/<pid>/stat of each process over the phase; PostgreSQL: the bench database's backends (pg_stat_activity, sampled every second). Memory: VmRSS every second, VmHWM at the burst's end, /proc/<pid>/status. Worker RSS "steady" is the median of the samples of the burst's second half.`,
      "- Every run verified in the database after the burst: AgentRun rows (one per job, SUCCEEDED, attempts = 1), pg-boss job state and retry_count, replies on the verdicts queue.",
    ].join("\n"),
  );
  out.push("");
  if (Object.keys(r.outputs).length) {
    out.push("## Process output (beyond start-up lines)");
    out.push("");
    out.push("```");
    for (const [name, text] of Object.entries(r.outputs)) out.push(`[${name}]\n${text.slice(0, 1500)}`);
    out.push("```");
    out.push("");
  }
  return out.join("\n");
}

/** The categorizer model the moderator classified with, and the schedules switched off (older results have neither). */
function modelText(data: Results["setup"]["agentsData"] | undefined): string {
  if (!data) return "";
  const m = data.model;
  const how = m.trainedHere ? `trained in the copy before the run (${m.seconds} s)` : "found in the copy";
  return ` with a categorizer model ${how}: ${m.trainedOn} listings, ${m.categories} categories, vocabulary ${m.vocabulary}, held-out top-1 ${m.heldOutTop1.toFixed(3)}; schedules of ${data.schedulesOff.join(", ") || "no agent"} switched off`;
}
