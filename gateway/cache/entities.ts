/**
 * The entities in an answer, as purge tags: `Listing:42` for a listing whose key the operation
 * selected, `Listing:*` for one whose key it did not (purged by a change to any listing), `Listing`
 * (the collection) where a listing could have been but is not (null). Found by
 * walking the answer along the operation's selections (fields, aliases, fragments), so the document
 * is never rewritten and the client gets exactly what it asked for.
 *
 * Each selection set's fields are collected once per concrete type (as graphql-js does when it
 * executes), then reused for every answer of the operation.
 */
import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import type { CacheHints } from "./hints.ts";

interface Collected {
  idKey?: string;
  children: [responseKey: string, shape: EntityShape][];
}

interface ShapeContext {
  schema: GraphQLSchema;
  hints: CacheHints;
  fragments: Map<string, FragmentDefinitionNode>;
}

export const anyEntityTag = (type: string) => `${type}:*`;

export class EntityShape {
  private readonly byType = new Map<string, Collected>();
  private typenameKey?: string | null;

  /** The shape of an operation's answers, from its root type and selection set. */
  static of(schema: GraphQLSchema, hints: CacheHints, document: DocumentNode, root: GraphQLObjectType, selectionSet: SelectionSetNode): EntityShape {
    const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
    return new EntityShape({ schema, hints, fragments }, root, [selectionSet]);
  }

  private constructor(
    private readonly context: ShapeContext,
    private readonly type: GraphQLCompositeType,
    private readonly selectionSets: readonly SelectionSetNode[],
  ) {}

  /** Adds the tags of `value`'s entities; false when it cannot tell them all (an abstract type without __typename). */
  collect(value: unknown, tags: Set<string>): boolean {
    if (value === null || value === undefined) {
      // "No such listing" becomes wrong when one appears: that is a change of the collection.
      if (isObjectType(this.type) && this.context.hints.entityKey(this.type.name)) tags.add(this.type.name);
      return true;
    }
    if (Array.isArray(value)) return value.every((item) => this.collect(item, tags));
    const object = value as Record<string, unknown>;
    const type = this.runtimeType(object);
    if (!type) return false;
    const { idKey, children } = this.collected(type);
    if (this.context.hints.entityKey(type.name)) {
      const id = idKey === undefined ? undefined : object[idKey];
      tags.add(typeof id === "string" || typeof id === "number" ? `${type.name}:${id}` : anyEntityTag(type.name));
    }
    return children.every(([key, child]) => child.collect(object[key], tags));
  }

  private runtimeType(object: Record<string, unknown>): GraphQLObjectType | undefined {
    if (isObjectType(this.type)) return this.type;
    this.typenameKey ??= this.directTypenameKey() ?? null;
    const name = this.typenameKey === null ? undefined : object[this.typenameKey];
    const type = typeof name === "string" ? this.context.schema.getType(name) : undefined;
    return isObjectType(type) ? type : undefined;
  }

  private collected(type: GraphQLObjectType): Collected {
    let collected = this.byType.get(type.name);
    if (!collected) this.byType.set(type.name, (collected = this.collect_(type)));
    return collected;
  }

  private collect_(type: GraphQLObjectType): Collected {
    const fields = new Map<string, FieldNode[]>();
    for (const set of this.selectionSets) this.collectFields(type, set, fields);
    const key = this.context.hints.entityKey(type.name);
    const collected: Collected = { children: [] };
    for (const [responseKey, nodes] of fields) {
      const name = nodes[0]!.name.value;
      if (name === key) collected.idKey = responseKey;
      const field = type.getFields()[name];
      const named = field && getNamedType(field.type);
      if (!named || !isCompositeType(named)) continue;
      const sets = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      collected.children.push([responseKey, new EntityShape(this.context, named, sets)]);
    }
    return collected;
  }

  /** graphql-js's collectFields, without directives: a field under @skip still counts (it can only add tags). */
  private collectFields(type: GraphQLObjectType, set: SelectionSetNode, into: Map<string, FieldNode[]>, seen = new Set<string>()): void {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        into.set(key, [...(into.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (this.applies(selection.typeCondition?.name.value, type)) this.collectFields(type, selection.selectionSet, into, seen);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = this.context.fragments.get(selection.name.value);
        if (fragment && this.applies(fragment.typeCondition.name.value, type)) this.collectFields(type, fragment.selectionSet, into, seen);
      }
    }
  }

  private applies(condition: string | undefined, type: GraphQLObjectType): boolean {
    if (!condition || condition === type.name) return true;
    const conditionType = typeFromAST(this.context.schema, { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: condition } });
    return !!conditionType && isAbstractType(conditionType) && this.context.schema.isSubType(conditionType, type);
  }

  /** Where `__typename` is in answers of an abstract type: selected on the type itself. */
  private directTypenameKey(): string | undefined {
    for (const set of this.selectionSets) {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD && selection.name.value === "__typename") return selection.alias?.value ?? "__typename";
      }
    }
    return undefined;
  }
}
