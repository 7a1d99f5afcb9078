/**
 * The cache hints the subgraphs declare in their SDL, read from the composed supergraph (the
 * subgraphs' `@cacheControl` and `@cacheCollection` are composed directives: @composeDirective keeps
 * them there), and which types are entities with a single key field (`Listing` by `id`).
 *
 * `@cacheControl(maxAge, scope)` has Apollo Server's signature and meaning; `@cacheCollection(of:
 * "Listing")` marks a field whose value depends on which listings exist or match (a page, a count),
 * so its responses are purged when that collection changes, not only when a listing they show does.
 */
import { Kind, parse, type ConstDirectiveNode, type ConstValueNode, type DefinitionNode } from "graphql";

export type CacheScope = "PUBLIC" | "PRIVATE";

export interface CacheHint {
  maxAge?: number;
  scope?: CacheScope;
  /** A collection whose changes purge responses that use this field. */
  collection?: string;
}

export class CacheHints {
  private readonly types = new Map<string, CacheHint>();
  private readonly fields = new Map<string, CacheHint>();
  private readonly keys = new Map<string, string>();

  static fromSupergraph(supergraphSdl: string): CacheHints {
    const hints = new CacheHints();
    for (const definition of parse(supergraphSdl).definitions) hints.read(definition);
    return hints;
  }

  type(name: string): CacheHint | undefined {
    return this.types.get(name);
  }

  field(type: string, field: string): CacheHint | undefined {
    return this.fields.get(`${type}.${field}`);
  }

  /** The key field of an entity type with a one-field key; undefined for other types. */
  entityKey(type: string): string | undefined {
    return this.keys.get(type);
  }

  private read(definition: DefinitionNode): void {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) return;
    const type = definition.name.value;
    const hint = hintOf(definition.directives);
    if (hint) this.types.set(type, hint);
    const key = singleFieldKey(definition.directives);
    if (key) this.keys.set(type, key);
    for (const field of definition.fields ?? []) {
      const fieldHint = hintOf(field.directives);
      if (fieldHint) this.fields.set(`${type}.${field.name.value}`, fieldHint);
    }
  }
}

function hintOf(directives: readonly ConstDirectiveNode[] | undefined): CacheHint | undefined {
  let hint: CacheHint | undefined;
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name !== "cacheControl" && name !== "cacheCollection") continue;
    hint ??= {};
    for (const { name: arg, value } of directive.arguments ?? []) {
      if (arg.value === "maxAge" && value.kind === Kind.INT) hint.maxAge = Number(value.value);
      if (arg.value === "scope" && value.kind === Kind.ENUM) hint.scope = value.value === "PRIVATE" ? "PRIVATE" : "PUBLIC";
      if (arg.value === "of") hint.collection = stringOf(value);
    }
  }
  return hint;
}

/** `@join__type(graph: …, key: "id")` in any subgraph: the key, when it is one field. */
function singleFieldKey(directives: readonly ConstDirectiveNode[] | undefined): string | undefined {
  for (const directive of directives ?? []) {
    if (directive.name.value !== "join__type") continue;
    const key = stringOf(directive.arguments?.find((arg) => arg.name.value === "key")?.value);
    if (key && /^\w+$/.test(key.trim())) return key.trim();
  }
  return undefined;
}

function stringOf(value: ConstValueNode | undefined): string | undefined {
  return value?.kind === Kind.STRING ? value.value : undefined;
}
