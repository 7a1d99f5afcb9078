/**
 * Room in the gateway's heap while photos arrive. node:http hands an upload's body to JavaScript as
 * fresh buffers (~11 MB/s at 4 photos/s, uploads refused unread included), and V8 — which sizes the
 * room before its next full collection from how fast the process promotes objects — leaves the
 * gateway, which promotes little, ~10 MB: the buffers then set off a full mark-compact about every
 * second (bench:images --loop-delay: 19 and 33 in two runs against 3 and 3 with this room; pauses to
 * 58 ms, the browse query's p99 tail; bench/results/images-2026-12-03-gc-*.md).
 *
 * So while an upload is open, and `lingerMs` after the last, V8's factor is fixed at 1 + percent/100
 * (--heap-growing-percent, read at each full collection); then V8's own again. Not fixed for good:
 * under a heavy browse load V8's own factor is larger, and a fixed 1.5 cost 8–24 % more CPU per
 * request for half the peak RSS (bench/results/gateway-2026-12-03-memory-gc-growth.md).
 */
import v8 from "node:v8";

export interface HeapRoom {
  /** An upload started: give the heap room (if it has none yet). */
  enter(): void;
  /** That upload ended. */
  leave(): void;
}

// The flag is the process's, so is the count: gateways built in one process (tests) share it.
let open = 0;
let widened = false;
let timer: NodeJS.Timeout | undefined;
const setFactor = (percent: number) => v8.setFlagsFromString(`--heap-growing-percent=${percent}`);

export function createHeapRoom(percent: number, lingerMs = 15_000): HeapRoom {
  if (percent <= 0) return { enter() {}, leave() {} };
  return {
    enter() {
      open++;
      clearTimeout(timer);
      if (!widened) setFactor(percent);
      widened = true;
    },
    leave() {
      if (--open > 0) return;
      timer = setTimeout(() => {
        setFactor(0);
        widened = false;
      }, lingerMs).unref();
    },
  };
}
