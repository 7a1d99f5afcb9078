/**
 * The allocation sites of a sampling heap profile (.heapprofile, e.g. bench:images --heap-profile):
 * `npx tsx bench/heap-profile-top.ts <file> [--top 25]` prints the functions that allocated the most
 * bytes (self), with their file and line, and the share of the whole.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: "string", default: "25" } } });
const profile = JSON.parse(fs.readFileSync(positionals[0]!, "utf8")) as { head: HeapNode };
const bySite = new Map<string, number>();
let total = 0;
const visit = (node: HeapNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const site = `${functionName || "(anonymous)"} ${url.replace(/^.*node_modules\//, "~/").replace(/^file:\/\/.*?\/(gateway|lib|subgraphs)\//, "$1/")}:${lineNumber + 1}`;
  bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
  total += node.selfSize;
  node.children.forEach(visit);
};
visit(profile.head);
console.log(`sampled bytes allocated: ${(total / 1e6).toFixed(1)} MB`);
for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(`${((100 * bytes) / total).toFixed(1).padStart(5)} %  ${(bytes / 1e6).toFixed(2).padStart(8)} MB  ${site}`);
}
