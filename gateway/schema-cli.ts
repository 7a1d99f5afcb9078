/**
 * The public contract's two commands (rules in gateway/schema-contract.ts):
 *   npm run schema         writes schema.graphql from the code, unless that would commit a breaking
 *                          change CHANGELOG.md does not record
 *   npm run schema:check   (part of `npm run check`) fails when schema.graphql is not what the code
 *                          composes, or when the code breaks the schema.graphql of a git revision
 *                          (`--base <rev>`, default HEAD; CI on a branch: `-- --base origin/main`)
 *                          without CHANGELOG.md entries. Without git or that file there, that part is skipped.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { SUBGRAPHS } from "../subgraphs/index.ts";
import { composeSupergraph } from "./compose.ts";
import { checkBreaking, checkDrift, describeChanges, printApiSchema } from "./schema-contract.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const SCHEMA_FILE = new URL("../schema.graphql", import.meta.url);
const CHANGELOG_FILE = new URL("../CHANGELOG.md", import.meta.url);

const read = (file: URL) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined);

function codeSchema(): string {
  const subgraphs = Object.entries(SUBGRAPHS).map(([name, entry]) => ({ name, typeDefs: entry.typeDefs }));
  return printApiSchema(composeSupergraph(subgraphs));
}

function atRevision(revision: string): string | undefined {
  try {
    return execFileSync("git", ["show", `${revision}:schema.graphql`], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return undefined;
  }
}

const unrecordedHelp = (coordinates: string[]) =>
  `Record each in CHANGELOG.md under "## Unreleased" → "### Breaking", naming it in backticks, e.g.\n` +
  coordinates.map((c) => `  - \`${c}\`: what changed and what clients do instead`).join("\n");

async function write(): Promise<boolean> {
  const code = codeSchema();
  const committed = read(SCHEMA_FILE);
  if (committed !== undefined) {
    const report = await checkBreaking(committed, code, read(CHANGELOG_FILE) ?? "");
    if (!report.ok) {
      console.error(`schema.graphql not written: breaking changes without a CHANGELOG.md entry:\n${describeChanges(report.unrecorded)}`);
      console.error(unrecordedHelp(report.unrecorded.map((c) => c.coordinate)));
      return false;
    }
    if (committed === code) {
      console.log("schema.graphql is up to date.");
      return true;
    }
  }
  fs.writeFileSync(SCHEMA_FILE, code);
  console.log("schema.graphql written.");
  return true;
}

async function check(base: string): Promise<boolean> {
  const code = codeSchema();
  const committed = read(SCHEMA_FILE);
  let ok = true;
  if (committed === undefined) {
    console.error("schema.graphql is missing: run `npm run schema`.");
    ok = false;
  } else {
    const drift = await checkDrift(committed, code);
    if (!drift.ok) {
      console.error(`schema.graphql differs from the schema the code composes; run \`npm run schema\`:\n${describeChanges(drift.changes)}`);
      ok = false;
    }
  }
  const baseline = atRevision(base);
  if (baseline === undefined) {
    console.log(`schema:check: no schema.graphql at git revision ${base}; breaking changes not checked against it.`);
  } else {
    const report = await checkBreaking(baseline, code, read(CHANGELOG_FILE) ?? "");
    if (!report.ok) {
      console.error(`Breaking changes since ${base} without a CHANGELOG.md entry:\n${describeChanges(report.unrecorded)}`);
      console.error(unrecordedHelp(report.unrecorded.map((c) => c.coordinate)));
      ok = false;
    } else if (report.breaking.length) {
      console.log(`Breaking changes since ${base}, recorded in CHANGELOG.md:\n${describeChanges(report.breaking)}`);
    }
  }
  if (ok) console.log("schema.graphql matches the code.");
  return ok;
}

const [command, ...args] = process.argv.slice(2);
const baseFlag = args.indexOf("--base");
const base = baseFlag >= 0 ? args[baseFlag + 1] : "HEAD";
if (command === "write") {
  process.exitCode = (await write()) ? 0 : 1;
} else if (command === "check" && base) {
  process.exitCode = (await check(base)) ? 0 : 1;
} else {
  console.error("usage: tsx gateway/schema-cli.ts write | check [--base <git revision>]");
  process.exitCode = 2;
}
