/**
 * The limits every operation passes before the query planner sees it: depth, aliases, directives
 * (graphql-armor's rules), root fields, and cost (./cost.ts). Structure is checked once per distinct
 * document (Apollo caches parsed documents, so the same object comes back); cost once per document
 * and the few variables it reads (cost.ts costCounter).
 */
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import {
  GraphQLError,
  Kind,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
} from "graphql";
import { badInput, queryTooComplex } from "../../lib/errors.ts";
import { costCounter, costEstimator, readCostModel, type CostSettings } from "./cost.ts";

export interface OperationLimitSettings extends CostSettings {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxRootFields: number;
  maxCost: number;
}

export interface OperationLimits {
  /** The refusal for this operation, or undefined when it is within every limit. */
  check(document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined): GraphQLError | undefined;
}

const MESSAGES: Record<string, (measured: number, allowed: number) => string> = {
  depth: (m, a) => `Interogarea e prea adâncă: ${m} niveluri, maximum ${a}.`,
  aliases: (m, a) => `Prea multe aliasuri: ${m}, maximum ${a}.`,
  directives: (m, a) => `Prea multe directive: ${m}, maximum ${a}.`,
  rootFields: (m, a) => `Prea multe câmpuri de rădăcină: ${m}, maximum ${a}.`,
  documentBytes: (m, a) => `Documentul GraphQL e prea mare: ${m} octeți, maximum ${a}.`,
  tokens: (_, a) => `Documentul GraphQL are prea mulți atomi lexicali (tokens): peste ${a}.`,
  cost: (m, a) =>
    `Interogarea cere prea multe date: cost ${m}, maximum ${a}. Fiecare obiect costă 1, iar o listă înmulțește cu mărimea ei (first).`,
};

export function refusal(limit: string, measured: number, allowed: number): GraphQLError {
  return queryTooComplex(limit, measured, allowed, MESSAGES[limit]!(measured, allowed));
}

export function createOperationLimits(schema: GraphQLSchema, supergraphSdl: string, settings: OperationLimitSettings): OperationLimits {
  const countCost = costCounter(schema, costEstimator(readCostModel(supergraphSdl), settings, schema.getMutationType()?.name));
  const structural = new WeakMap<DocumentNode, GraphQLError | null>();

  const checkStructure = (document: DocumentNode): GraphQLError | null => {
    let found = structural.get(document);
    if (found === undefined) {
      found = structureRefusal(schema, document, settings);
      structural.set(document, found);
    }
    return found;
  };

  return {
    check(document, operationName, variables) {
      const refused = checkStructure(document);
      if (refused) return refused;
      let cost: number;
      try {
        cost = countCost(document, operationName, variables);
      } catch (error) {
        // The node limit of graphql-query-complexity (fragments spread into each other many times over).
        if (/maximum allowed number of nodes/.test((error as Error).message)) return refusal("cost", Infinity, settings.maxCost);
        // Variables that do not fit their types: the same error execution would give.
        return badInput((error as Error).message);
      }
      return cost > settings.maxCost ? refusal("cost", cost, settings.maxCost) : undefined;
    },
  };
}

function structureRefusal(schema: GraphQLSchema, document: DocumentNode, settings: OperationLimitSettings): GraphQLError | null {
  let first: GraphQLError | null = null;
  // armor reports "… limit of N exceeded, found M."; we keep the first refusal with its figures.
  const capture = (limit: string, allowed: number) => (_: ValidationContext | null, error: GraphQLError) => {
    const measured = Number(/found (\d+)/.exec(error.message)?.[1] ?? NaN);
    first ??= refusal(limit, measured, allowed);
  };
  const common = { propagateOnRejection: false, exposeLimits: true };
  validate(schema, document, [
    maxDepthRule({ ...common, n: settings.maxDepth, onReject: [capture("depth", settings.maxDepth)] }),
    // armor lets aliased __typename through by default: 500 of them still cost the gateway an answer each.
    maxAliasesRule({ ...common, n: settings.maxAliases, allowList: [], onReject: [capture("aliases", settings.maxAliases)] }),
    maxDirectivesRule({ ...common, n: settings.maxDirectives, onReject: [capture("directives", settings.maxDirectives)] }),
  ]);
  if (first) return first;
  const rootFields = Math.max(0, ...document.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? countRootFields(d.selectionSet, document) : 0)));
  return rootFields > settings.maxRootFields ? refusal("rootFields", rootFields, settings.maxRootFields) : null;
}

/** Fields at the top of an operation, through fragments (standard validation has refused cycles). */
function countRootFields(selectionSet: SelectionSetNode, document: DocumentNode, seen = new Set<string>()): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count += selection.name.value === "__typename" ? 0 : 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) count += countRootFields(selection.selectionSet, document, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) count += countRootFields(fragment.selectionSet, document, seen);
    }
  }
  return count;
}
