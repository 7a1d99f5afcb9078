/**
 * The public contract: the API schema clients see (the supergraph without federation's machinery),
 * printed sorted so that the committed schema.graphql changes only when the API does. Two rules:
 *   drift     schema.graphql must be exactly what the code composes (`npm run schema` writes it)
 *   breaking  a breaking change (graphql-inspector's criticality) needs a CHANGELOG.md entry under
 *             "## Unreleased" → "### Breaking" naming its schema coordinate in backticks, e.g.
 *             "- `Query.listings`: removed, use `Query.search`". An entry for a type or field also
 *             covers what is under it (`Listing` covers `Listing.price`, `Query.listings` its arguments).
 * Pure functions: gateway/schema-cli.ts reads and writes the files.
 */
import { Supergraph } from "@apollo/federation-internals";
import { CriticalityLevel, diff } from "@graphql-inspector/core";
import { buildSchema, lexicographicSortSchema, printSchema } from "graphql";

/** The API schema of a supergraph, as SDL: sorted, so that the text is the same for the same API. */
export function printApiSchema(supergraphSdl: string): string {
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  return `${printSchema(lexicographicSortSchema(api))}\n`;
}

export interface SchemaChange {
  /** Schema coordinate of what changed ("Query.listings", "Query.listings.first", "ListingStatus.SOLD"). */
  coordinate: string;
  level: "BREAKING" | "DANGEROUS" | "NON_BREAKING";
  message: string;
}

export async function schemaChanges(oldSdl: string, newSdl: string): Promise<SchemaChange[]> {
  const changes = await diff(buildSchema(oldSdl), buildSchema(newSdl));
  return changes.map((change) => ({
    // Changes of the schema definition itself (its root types) have no path.
    coordinate: change.path ?? "schema",
    level:
      change.criticality.level === CriticalityLevel.Breaking ? "BREAKING"
      : change.criticality.level === CriticalityLevel.Dangerous ? "DANGEROUS"
      : "NON_BREAKING",
    message: change.message,
  }));
}

/**
 * The coordinates CHANGELOG.md records as breaking: backticked names in the "### Breaking" part of the
 * "## Unreleased" section. `Query.listings(first:)` is read as `Query.listings.first` (graphql-inspector's path).
 */
export function changelogBreakingEntries(changelog: string): Set<string> {
  const unreleased = section(changelog, /^##\s+\[?Unreleased\]?\s*$/im, /^##\s/m);
  const breaking = unreleased ? section(unreleased, /^###\s+Breaking\b.*$/im, /^#{2,3}\s/m) : undefined;
  const entries = new Set<string>();
  for (const [, name] of (breaking ?? "").matchAll(/`(@?[A-Za-z_][\w.]*(?:\([A-Za-z_]\w*:\))?)`/g)) {
    entries.add(name!.replace(/\((\w+):\)$/, ".$1"));
  }
  return entries;
}

function section(text: string, heading: RegExp, next: RegExp): string | undefined {
  const start = heading.exec(text);
  if (!start) return undefined;
  const rest = text.slice(start.index + start[0].length);
  const end = next.exec(rest);
  return end ? rest.slice(0, end.index) : rest;
}

const covers = (entry: string, coordinate: string) => coordinate === entry || coordinate.startsWith(`${entry}.`);

export interface DriftReport {
  ok: boolean;
  changes: SchemaChange[];
}

/** schema.graphql against the code's schema: any difference (even a description) is drift. */
export async function checkDrift(committedSdl: string, codeSdl: string): Promise<DriftReport> {
  if (normalize(committedSdl) === normalize(codeSdl)) return { ok: true, changes: [] };
  return { ok: false, changes: await schemaChanges(committedSdl, codeSdl) };
}

export interface BreakingReport {
  ok: boolean;
  breaking: SchemaChange[];
  /** Breaking changes that CHANGELOG.md does not name. */
  unrecorded: SchemaChange[];
}

/** The breaking changes from `baseSdl` to `newSdl`; ok when CHANGELOG.md names every one. */
export async function checkBreaking(baseSdl: string, newSdl: string, changelog: string): Promise<BreakingReport> {
  const breaking = (await schemaChanges(baseSdl, newSdl)).filter((c) => c.level === "BREAKING");
  const entries = [...changelogBreakingEntries(changelog)];
  const unrecorded = breaking.filter((c) => !entries.some((entry) => covers(entry, c.coordinate)));
  return { ok: unrecorded.length === 0, breaking, unrecorded };
}

export function describeChanges(changes: SchemaChange[]): string {
  return changes.map((c) => `  ${c.level.padEnd(12)} ${c.coordinate}: ${c.message}`).join("\n");
}

const normalize = (sdl: string) => sdl.replace(/\r\n/g, "\n").trimEnd();
