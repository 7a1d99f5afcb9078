/**
 * The agent worker's memory: two V8 flags, set from the process because its command line belongs to
 * the deployment (package.json, the Dockerfile, compose). Both are read when they apply (at each full
 * collection; when a WASM module is compiled), so setting them before the rest of the worker is loaded
 * works — worker.ts imports this module first.
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
 */
import v8 from "node:v8";

v8.setFlagsFromString("--heap-growing-percent=25");
v8.setFlagsFromString("--liftoff-only");
