import v8 from "node:v8";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHeapRoom } from "./heap-room.ts";

describe("room in the heap while photos arrive", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("fixes V8's growing factor from the first open upload until the linger after the last, then gives it back", () => {
    vi.useFakeTimers();
    const flags = vi.spyOn(v8, "setFlagsFromString").mockImplementation(() => {});
    const room = createHeapRoom(50, 1_000);
    const other = createHeapRoom(50, 1_000); // a second gateway in the process shares the count
    room.enter();
    other.enter();
    expect(flags.mock.calls).toEqual([["--heap-growing-percent=50"]]);
    room.leave();
    vi.advanceTimersByTime(5_000);
    expect(flags).toHaveBeenCalledTimes(1); // the other upload is still open
    other.leave();
    vi.advanceTimersByTime(500);
    room.enter(); // a new upload within the linger keeps the room without setting it again
    room.leave();
    vi.advanceTimersByTime(999);
    expect(flags).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(flags.mock.calls).toEqual([["--heap-growing-percent=50"], ["--heap-growing-percent=0"]]);
    room.enter();
    expect(flags.mock.calls.at(-1)).toEqual(["--heap-growing-percent=50"]);
    room.leave();
    vi.runAllTimers();
  });

  it("leaves V8's own factor alone when turned off (0)", () => {
    const flags = vi.spyOn(v8, "setFlagsFromString").mockImplementation(() => {});
    const room = createHeapRoom(0);
    room.enter();
    room.leave();
    expect(flags).not.toHaveBeenCalled();
  });
});
