/**
 * What an operation's answers may be cached for, computed once per parsed document (Apollo keeps one
 * DocumentNode per distinct query text, so the WeakMap holds one policy per operation in use):
 *
 * - maxAge: the smallest hint of any field it selects or type it returns. A root field with no hint
 *   of its own is 0: not cached — only what the subgraphs declared cacheable is. Deeper fields
 *   without hints do not limit it (unlike Apollo Server's default, where an unhinted object field is
 *   0: here every cached answer is purged by the entities it contains, lib/cache-purges.ts, so a hint
 *   bounds only what no purge covers).
 * - scope: PRIVATE when any selected field or type says so (only the HTTP header depends on it:
 *   responses to a signed-in viewer are kept per viewer whatever their scope; see response-cache.ts).
 * - collections: the `@cacheCollection`s of its fields.
 * - the shape used to find the entities in an answer (entities.ts).
 */
import {
  getNamedType,
  isCompositeType,
  Kind,
  OperationTypeNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { EntityShape } from "./entities.ts";
import type { CacheHints, CacheScope } from "./hints.ts";

export interface OperationPolicy {
  /** Seconds; 0: never cached. */
  maxAge: number;
  scope: CacheScope;
  collections: readonly string[];
  shape: EntityShape;
}

const UNCACHED = { maxAge: 0, scope: "PUBLIC", collections: [] } as const;

export class OperationPolicies {
  private readonly policies = new WeakMap<DocumentNode, Map<string, OperationPolicy | null>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly hints: CacheHints,
  ) {}

  /** The policy of a validated document's operation; null when it is not a query that may be cached. */
  of(document: DocumentNode, operationName: string | null | undefined): OperationPolicy | null {
    let byName = this.policies.get(document);
    if (!byName) this.policies.set(document, (byName = new Map()));
    const name = operationName ?? "";
    if (!byName.has(name)) byName.set(name, this.compute(document, operationName));
    return byName.get(name)!;
  }

  private compute(document: DocumentNode, operationName: string | null | undefined): OperationPolicy | null {
    const operation = selectedOperation(document, operationName);
    if (!operation || operation.operation !== OperationTypeNode.QUERY) return null;
    const { maxAge, scope, collections } = this.hintsUsed(document, operation);
    if (maxAge <= 0) return null;
    const root = this.schema.getQueryType()!;
    return { maxAge, scope, collections, shape: EntityShape.of(this.schema, this.hints, document, root, operation.selectionSet) };
  }

  /** Walks the operation and the fragments it uses, field by field, with their types. */
  private hintsUsed(document: DocumentNode, operation: OperationDefinitionNode) {
    const used = usedFragments(document, operation);
    const typeInfo = new TypeInfo(this.schema);
    const queryType = this.schema.getQueryType()!.name;
    let maxAge = Infinity;
    let scope: CacheScope = "PUBLIC";
    const collections = new Set<string>();
    const visitor = visitWithTypeInfo(typeInfo, {
      Field: () => {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field || field.name.startsWith("__")) return;
        const returned = getNamedType(field.type);
        const typeHint = isCompositeType(returned) ? this.hints.type(returned.name) : undefined;
        const fieldHint = this.hints.field(parent.name, field.name);
        // A root field is cached only by a hint of its own: a type's hint says how long its data stays
        // fresh, not that every list of it (a user's drafts, say) may be kept.
        if (parent.name === queryType) maxAge = Math.min(maxAge, fieldHint?.maxAge ?? 0);
        maxAge = Math.min(maxAge, fieldHint?.maxAge ?? Infinity, typeHint?.maxAge ?? Infinity);
        if (fieldHint?.scope === "PRIVATE" || typeHint?.scope === "PRIVATE") scope = "PRIVATE";
        if (fieldHint?.collection) collections.add(fieldHint.collection);
      },
    });
    for (const definition of [operation, ...used]) visit(definition, visitor);
    if (maxAge === Infinity) return UNCACHED;
    return { maxAge, scope, collections: [...collections] };
  }
}

function selectedOperation(document: DocumentNode, name: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!name) return operations.length === 1 ? operations[0] : undefined;
  return operations.find((operation) => operation.name?.value === name);
}

function usedFragments(document: DocumentNode, operation: OperationDefinitionNode) {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const used = new Map<string, (typeof fragments extends Map<string, infer F> ? F : never)>();
  const pending = [operation as DocumentNode["definitions"][number]];
  while (pending.length) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !used.has(spread.name.value)) {
          used.set(spread.name.value, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...used.values()];
}
