/**
 * Pacing: at most so many runs of an agent started per second by one worker process, so background
 * work leaves the API (the gateway and PostgreSQL, on the same cores) room when a burst is queued. An
 * unpaced worker takes runs as fast as the CPU lets it: 600+ moderator runs/s on 2 cores held the
 * browse query's p99 at 2.2–2.6× idle (bench/results/agents-2026-12-03-summary.md), where 200/s is
 * what the product needs. The queue itself keeps what waits: a paced burst drains later, not lossily.
 *
 * Counted by rate-limiter-flexible (already the API's rate limiter) in short fixed windows: a window
 * of about 100 ms holds rate/10 runs, so a batch is still fetched, claimed and written as one
 * (runner.ts), and no window lets a second's worth start at once. RateLimiterQueue waits for the next
 * window when this one is spent.
 */
import { RateLimiterMemory, RateLimiterQueue } from "rate-limiter-flexible";

/** What the runner asks before it fetches runs to start. */
export interface Pacer {
  /** The most runs one take() grants (the window's size). */
  readonly batch: number;
  /**
   * Waits until at least one run may start, then grants up to `wanted` (at most `batch`) at once.
   * Resolves 0 when the signal fires first (the worker stopping).
   */
  take(wanted: number, signal: AbortSignal): Promise<number>;
  /** Gives back what was granted and not used (the queue had fewer jobs). */
  refund(runs: number): Promise<void>;
}

/** The window's target length: short enough to spread a second's runs, long enough to batch them. */
const WINDOW_SECONDS = 0.1;
const KEY = "runs";

/** A pacer of `runsPerSecond`; none when 0 (unpaced). */
export function pacerOf(runsPerSecond: number): Pacer | null {
  if (!(runsPerSecond > 0) || !Number.isFinite(runsPerSecond)) return null;
  return new WindowPacer(runsPerSecond);
}

class WindowPacer implements Pacer {
  readonly batch: number;
  private readonly limiter: RateLimiterMemory;
  private readonly queue: RateLimiterQueue;

  constructor(runsPerSecond: number) {
    // Whole runs per window, the window stretched to keep the rate exact: 300/s → 30 per 100 ms,
    // 5/s → 1 per 200 ms, 0.5/s → 1 per 2 s.
    this.batch = Math.max(1, Math.round(runsPerSecond * WINDOW_SECONDS));
    this.limiter = new RateLimiterMemory({ points: this.batch, duration: this.batch / runsPerSecond });
    this.queue = new RateLimiterQueue(this.limiter);
  }

  async take(wanted: number, signal: AbortSignal): Promise<number> {
    if (signal.aborted || wanted < 1) return 0;
    const remaining = await this.queue.getTokensRemaining(KEY);
    // What this window has left, or (spent) a whole batch from the next one.
    const runs = Math.min(wanted, this.batch, remaining >= 1 ? remaining : this.batch);
    return untilAborted(this.queue.removeTokens(runs, KEY).then(() => runs), signal);
  }

  /**
   * Into the window the runs were taken from only: a refund after it ended would open the next one
   * with credit, and more than `batch` runs could start in it.
   */
  async refund(runs: number): Promise<void> {
    const window = await this.limiter.get(KEY);
    if (!window || window.msBeforeNext <= 0) return;
    const back = Math.min(runs, window.consumedPoints);
    if (back > 0) await this.limiter.reward(KEY, back);
  }
}

/** The grant, or 0 as soon as the signal fires (its listener removed either way: takes are many). */
function untilAborted(granted: Promise<number>, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(0);
    // It may have fired while take() read the window.
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    granted.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
