/**
 * Holds on the size of V8's young generation, from a running process.
 *
 * `--max-semi-space-size` does it from the command line, but V8 reads that flag only when the heap is
 * made, and a process's command line belongs to its deployment. V8 reads its growth factor
 * (`--semi-space-growth-factor`, 2: a semi-space doubles when it grows, from 1 MB) whenever it grows
 * one, so after each collection the factor is set to 1 (no growth) once the new space (two
 * semi-spaces) has reached the smallest cap held, and to 2 again while it is smaller. Semi-spaces grow
 * 1, 2, 4, 8 MB…, so a power of two is where a cap stops them. V8's memory reducer still shrinks the
 * young generation when the process is idle; nothing here shrinks it.
 *
 * The bound is checked after collections, as the event loop delivers their entries: in one long
 * synchronous stretch (start-up loading modules, a busy machine) V8 may collect several times and grow
 * a step or two past a cap above its current size before the check (seen: a 2 MB hold at 8 MB under
 * load). A hold of 0 is strict: the factor is 1 from the moment it is made, so the young generation
 * stays at the size it has then. On Node 24 (V8 13.6) the young generation grows in V8's own steps,
 * which this factor does not bound: the holds do nothing there (lib/young-generation.test.ts).
 *
 * Two users, one mechanism (they would undo each other's factor otherwise): a server's start-up
 * (lib/process.ts) and the agent worker's lasting cap (subgraphs/agents/runtime/lean-memory.ts).
 *
 * V8 raises the factor back to 2 whenever it makes a heap (Heap::ConfigureHeap: a factor below 2 is set
 * to 2), and every worker thread is a new heap: the PGlite thread (lib/db/pglite-thread.ts) undid the
 * gateway's start-up hold that way, and its young generation grew to 2 × 16 MB before ready. So while a
 * hold is in force the factor is set again as each worker thread comes online.
 */
import { PerformanceObserver } from "node:perf_hooks";
import v8 from "node:v8";
import type { Worker } from "node:worker_threads";

const MB = 1024 * 1024;
const caps = new Set<{ semiSpaceMb: number }>();
let factor = 2;
let observer: PerformanceObserver | null = null;

function newSpaceBytes(): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === "new_space")?.space_size ?? 0;
}

function setFactor(next: 1 | 2): void {
  if (next === factor) return;
  v8.setFlagsFromString(`--semi-space-growth-factor=${next}`);
  factor = next;
}

function check(): void {
  if (!caps.size) return setFactor(2);
  const cap = 2 * Math.min(...[...caps].map((c) => c.semiSpaceMb)) * MB;
  setFactor(newSpaceBytes() >= cap ? 1 : 2);
}

/** A new worker's heap has set the factor to 2 by the time the worker runs its first line. */
function afterWorkerHeap(worker: Worker): void {
  worker.once("online", () => {
    factor = 2;
    check();
  });
}

/**
 * Holds the young generation at semi-spaces of `semiSpaceMb` at most (the smallest of the holds in
 * force wins) until the returned function is called.
 */
export function capYoungGeneration(semiSpaceMb: number): () => void {
  const cap = { semiSpaceMb };
  caps.add(cap);
  if (!observer) {
    // A gc entry follows every collection, delivered on the event loop soon after it: a semi-space
    // grows only after several collections at its size, so none goes past the cap unseen.
    observer = new PerformanceObserver(check);
    observer.observe({ entryTypes: ["gc"] });
    process.on("worker", afterWorkerHeap);
  }
  check();
  return () => {
    if (!caps.delete(cap)) return;
    if (!caps.size) {
      observer?.disconnect();
      observer = null;
      process.off("worker", afterWorkerHeap);
    }
    check();
  };
}

/** The growth factor this module last set (tests). */
export function youngGenerationGrowthFactor(): number {
  return factor;
}
