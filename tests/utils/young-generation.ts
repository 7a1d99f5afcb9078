/**
 * The largest new space (MB) a child process sees while it allocates as a server does under load
 * (objects alive across turns of the event loop, most dropped soon), after `prelude` ran in it: for the
 * tests of holds on V8's young generation, which set V8's flags in the process that makes them (a
 * child's, not vitest's). `prelude` is module code; what it prints last as JSON is merged with the result.
 */
import { execFile } from "node:child_process";

export function largestNewSpace<T extends object>(prelude: string): Promise<T & { largest: number }> {
  const script = `
    const v8 = await import("node:v8");
    const reported = await (async () => { ${prelude} })() ?? {};
    const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;
    const live = [];
    let largest = 0;
    for (let turn = 0; turn < 1500; turn++) {
      for (let i = 0; i < 2000; i++) live.push({ text: "listing " + turn + " " + i, words: [i, turn], row: { id: i } });
      if (live.length > 60000) live.splice(0, 30000);
      largest = Math.max(largest, newSpace());
      await new Promise((resolve) => setImmediate(resolve));
    }
    console.log(JSON.stringify({ ...reported, largest: largest / 1048576 }));
  `;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { timeout: 60_000 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout.trim().split("\n").at(-1)!) as T & { largest: number }),
    ),
  );
}
