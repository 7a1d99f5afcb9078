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
  return result.supergraphSdl;
}
