/**
 * The agent worker's memory: V8 set from the process because its command line belongs to the
 * deployment (package.json, the Dockerfile, compose). worker.ts imports this module first.
 *
 * - The heap grows by a quarter at most between full collections (heap_growing_percent), not by V8's
 *   own factor (up to 4×). A burst of moderator runs leaves mostly garbage — ~34 MB live after a
 *   collection whatever the number of runs — yet V8 let the heap reach 135–150 MB first. Measured on
 *   the moderator alone (bench/agents-moderator-cpu.ts, 4,000 runs in batches of 16): heap 98–150 →
 *   78–79 MB, peak RSS 264–300 → 225–232 MB, for ≈ 10 % more CPU in the process.
 * - WASM compiled by Liftoff only, never re-optimised by TurboFan: Prisma's query compiler (WASM,
 *   instantiated on the first query) is most of the worker's RSS beyond node itself (+54–69 MB). Measured
 *   the same way (2,000 runs, twice): peak RSS 263–266 → 227–228 MB, CPU per run unchanged (1.28 / 1.39
 *   → 1.30 / 1.22 ms): Prisma caches its query plans, so the compiler seldom runs.
 * - The young generation held at semi-spaces of 4 MB (lib/young-generation.ts, which also holds it
 *   smaller while the worker starts): in a burst V8 grows them to its maximum, 16 MB each (it grows by
 *   bytes survived, cumulatively, so any long burst gets there), and both are resident. bench:agents,
 *   10,000 moderation runs, alternated (bench/results/agents-2026-12-03-m55-summary.md): node's
 *   --max-semi-space-size=8 peaked at 119.0–125.0 MB (missing the issue's 120 MB in one of three), 4
 *   at 106.8–114.0 MB, for ≈ +15 % worker CPU per run (1.40 → 1.61 ms, means of three) — more
 *   scavenges, at the worker's low priority (AGENT_WORKER_NICE) and within the paced rate. Without a
 *   cap the peak was 134–139 MB (2026-12-03-h9n). The flag on the command line does it better than this
 *   hold (the heap is sized for it from the start), so the deployment's commands pass it (package.json
 *   start:worker, compose.yaml; bench:agents reads package.json); V8 reads that flag only when the heap
 *   is made, and this hold covers a worker started without it.
 */
import v8 from "node:v8";
import { capYoungGeneration } from "../../../lib/young-generation.ts";

v8.setFlagsFromString("--heap-growing-percent=25");
v8.setFlagsFromString("--liftoff-only");

/** The semi-spaces' size the worker's young generation stops growing at (V8's default maximum: 16). */
export const SEMI_SPACE_CAP_MB = 4;

/** The worker's hold on its young generation (removed only by tests: tests/agents-memory.test.ts). */
export const releaseYoungGeneration = capYoungGeneration(SEMI_SPACE_CAP_MB);
