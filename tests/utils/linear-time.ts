/**
 * Whether a text check stays linear on hostile input, told by how its time grows rather than by a
 * wall-clock bound: a linear scan takes about 8× as long on 8× the text, a quadratic one about 64×.
 * Both sizes are timed alternately in one process by CPU time (a fixed "< 50 ms" of wall time failed
 * CI at 51 and 73 ms under load while the scans were still linear).
 */

/** Input sizes in characters: a megabyte of text, and an eighth of it. */
const LARGE = 1 << 20;
const SMALL = LARGE / 8;
/** Below this a timing is mostly timer and call overhead; the ratio counts from here. */
const FLOOR_MS = 0.5;

/** `unit` repeated to at least `length` characters. */
export const repeatTo = (unit: string, length: number): string => unit.repeat(Math.ceil(length / unit.length));

/**
 * The ratio of the best time on a megabyte of `unit` to the best time on an eighth of it, the best
 * of a few alternated runs after a warm-up (the best run leaves out what other jobs add).
 */
export function growthOnHostileText(check: (input: string) => unknown, unit: string): number {
  const small = repeatTo(unit, SMALL);
  const large = repeatTo(unit, LARGE);
  check(small);
  check(large);
  let bestSmall = Infinity;
  let bestLarge = Infinity;
  for (let i = 0; i < 7; i++) {
    bestSmall = Math.min(bestSmall, timeMs(() => check(small)));
    bestLarge = Math.min(bestLarge, timeMs(() => check(large)));
  }
  return bestLarge / Math.max(bestSmall, FLOOR_MS);
}

/**
 * The bound the tests assert: 8× for linear work, with room for cache effects and noise, and far
 * below the 64× of a quadratic scan.
 */
export const LINEAR_GROWTH_BOUND = 24;

/**
 * The CPU time of `run`, not the wall time: on a busy machine a long run is preempted more often
 * than a short one, which skews a wall-clock ratio; the process's CPU time leaves waiting out.
 * Tests run in forked processes, so the process's time is this test's.
 */
function timeMs(run: () => unknown): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
