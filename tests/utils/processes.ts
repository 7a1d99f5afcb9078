/** Real server processes for tests that need them: restarts, crashes, the distributed topology. */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface ServerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts `node [...nodeArgs] --import tsx <script> [...args]` from the repo root with the given
 * environment (nodeArgs: flags such as --cpu-prof, which NODE_OPTIONS does not accept).
 */
export function spawnServer(script: string, args: string[], env: Record<string, string>, nodeArgs: string[] = []): ServerProcess {
  return spawnCommand(process.execPath, [...nodeArgs, "--import", "tsx", script, ...args], env);
}

/** Starts any command from the repo root with only the given environment (plus PATH and HOME), output kept for failures. */
export function spawnCommand(command: string, args: string[], env: Record<string, string>): ServerProcess {
  const child = spawn(command, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Polls a URL until it answers 200, or fails with the process output when it dies or times out. */
export async function waitUntilReady(server: ServerProcess, url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void server.exited.then(() => (dead = true));
  while (Date.now() < deadline) {
    if (dead) throw new Error(`process exited before it was ready:\n${server.output()}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  server.child.kill("SIGKILL");
  throw new Error(`not ready after ${timeoutMs} ms:\n${server.output()}`);
}
