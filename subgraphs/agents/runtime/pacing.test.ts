/**
 * The pacer on a fake clock: what it grants in each window, counted, never timed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { pacerOf, type Pacer } from "./pacing.ts";

/** A caller that takes as fast as it is granted, as the runner's fetch loop does with a full queue. */
function greedy(pacer: Pacer, wanted: number, signal: AbortSignal): { grants: { at: number; runs: number }[]; done: Promise<void> } {
  const grants: { at: number; runs: number }[] = [];
  const done = (async () => {
    for (;;) {
      const runs = await pacer.take(wanted, signal);
      if (!runs) return;
      grants.push({ at: Date.now(), runs });
    }
  })();
  return { grants, done };
}

/** Runs granted in each consecutive window of `ms` from t0, for `windows` windows. */
function perWindow(grants: { at: number; runs: number }[], t0: number, ms: number, windows: number): number[] {
  const counts = Array.from({ length: windows }, () => 0);
  for (const { at, runs } of grants) {
    const i = Math.floor((at - t0) / ms);
    if (i >= 0 && i < windows) counts[i]! += runs;
  }
  return counts;
}

describe("pacing runs (fake clock)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-12-03T05:00:00.000Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("is off at 0 (unpaced)", () => {
    expect(pacerOf(0)).toBeNull();
  });

  it("grants 300 runs a second at 300/s, at most 30 in any 100 ms window, in batches the size of the slots", async () => {
    const pacer = pacerOf(300)!;
    expect(pacer.batch).toBe(30);
    const stop = new AbortController();
    const t0 = Date.now();
    const { grants, done } = greedy(pacer, 16, stop.signal);
    // 2 s of fake time, in 1 ms steps: every timer the limiter sets fires when due.
    for (let ms = 0; ms < 2_000; ms++) await vi.advanceTimersByTimeAsync(1);
    stop.abort();
    await vi.advanceTimersByTimeAsync(200);
    await done;

    const windows = perWindow(grants, t0, 100, 20);
    expect(windows.length).toBe(20);
    // Each window is spent and no window exceeds its share: 16 + 14.
    expect(windows.every((n) => n === 30)).toBe(true);
    expect(perWindow(grants, t0, 1_000, 2)).toEqual([300, 300]);
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.every((g) => g.runs >= 1 && g.runs <= 16)).toBe(true);
  });

  it("spreads a low rate over longer windows: 5/s is one run every 200 ms", async () => {
    const pacer = pacerOf(5)!;
    expect(pacer.batch).toBe(1);
    const stop = new AbortController();
    const t0 = Date.now();
    const { grants, done } = greedy(pacer, 16, stop.signal);
    for (let ms = 0; ms < 2_000; ms++) await vi.advanceTimersByTimeAsync(1);
    stop.abort();
    await vi.advanceTimersByTimeAsync(500);
    await done;
    expect(perWindow(grants, t0, 200, 10)).toEqual(Array.from({ length: 10 }, () => 1));
  });

  it("takes back a refund within the window only, so no window grants more than its share", async () => {
    const pacer = pacerOf(300)!;
    const signal = new AbortController().signal;
    expect(await pacer.take(16, signal)).toBe(16);
    // The queue had 4 of the 16: 12 back, and this window still holds 30 − 4.
    await pacer.refund(12);
    expect(await pacer.take(16, signal)).toBe(16);
    expect(await pacer.take(16, signal)).toBe(10);
    // Past the window's end a refund is dropped: the next window grants 30, not more.
    await vi.advanceTimersByTimeAsync(150);
    await pacer.refund(10);
    const next = [await pacer.take(16, signal), await pacer.take(16, signal)];
    expect(next).toEqual([16, 14]);
  });

  it("answers 0 at once when the worker stops while it waits for a window", async () => {
    const pacer = pacerOf(10)!;
    const stop = new AbortController();
    expect(await pacer.take(1, stop.signal)).toBe(1);
    const waiting = pacer.take(1, stop.signal);
    stop.abort();
    expect(await waiting).toBe(0);
  });
});
