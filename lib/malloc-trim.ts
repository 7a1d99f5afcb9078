/**
 * Hands back to the operating system the memory glibc's malloc keeps free after a server's start-up.
 *
 * Start-up frees much of what it mallocs (V8's parser and compiler zones, the WebAssembly compilers of
 * PGlite and of Prisma's query compiler: V8 reports peaks of 40–55 MB malloced per thread, ~1 MB in use
 * once ready), and glibc returns to the system only the free memory at the top of an arena: the rest stays
 * resident in holes between chunks still in use. `malloc_trim(0)` releases every free page in every
 * arena (glibc ≥ 2.8 madvises the holes too), in about 2 ms: an embedded gateway 5 s after ready, net
 * of koffi's own ~1 MB, 276–279 → 261 MB on PGlite and 177 → 168 on PostgreSQL (alternated starts,
 * bench/results/gateway-2026-12-03-memory-h58-summary.md). Node has no binding for it, so it is called
 * through koffi (a C FFI that ships its prebuilt binaries in the package), loaded at the first call
 * only; where koffi is not installed, or the C library is not glibc (musl, macOS: no malloc_trim),
 * there is nothing to call and nothing happens.
 */
import { createRequire } from "node:module";

/** The part of koffi's API used here (koffi is optional: its types are not required to build). */
interface Koffi {
  load(library: string): { func(signature: string): (pad: number) => number };
}

type Trim = (pad: number) => number;

let trim: Trim | null | undefined;

function loadTrim(): Trim | null {
  if (process.platform !== "linux") return null;
  try {
    const koffi = createRequire(import.meta.url)("koffi") as Koffi;
    return koffi.load("libc.so.6").func("int malloc_trim(size_t pad)");
  } catch {
    return null; // koffi not installed, or no glibc
  }
}

/**
 * Releases the free memory malloc holds (see above). Returns whether malloc_trim could be called:
 * false where it does not exist here.
 */
export function releaseFreedMemory(): boolean {
  trim ??= loadTrim();
  if (!trim) return false;
  trim(0);
  return true;
}
