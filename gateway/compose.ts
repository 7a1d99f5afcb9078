/**
 * Composes the supergraph from the subgraphs' SDL in-process with @apollo/composition: no rover, no
 * network, and a composition error stops the start with the errors spelled out.
 */
import { composeServices } from "@apollo/composition";
import type { DocumentNode } from "graphql";

export function composeSupergraph(subgraphs: { name: string; typeDefs: DocumentNode; url?: string }[]): string {
  const result = composeServices(
    subgraphs.map(({ name, typeDefs, url }) => ({ name, typeDefs, url: url ?? `in-process://${name}` })),
  );
  if (result.errors) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join("\n")}`);
  }
  return acceptSecurityFeatures(result.supergraphSdl);
}

/**
 * @apollo/gateway refuses a supergraph that links @authenticated / @requiresScopes "for: SECURITY",
 * because it cannot enforce them itself. Here each subgraph enforces them on its own fields
 * (lib/graphql/authorization.ts), so the links are kept as plain metadata. An Apollo Router would read
 * the same directives and enforce them at the edge as well.
 */
function acceptSecurityFeatures(supergraphSdl: string): string {
  return supergraphSdl.replace(
    /(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes)\/v[\d.]+"), for: SECURITY\)/g,
    "$1)",
  );
}
