/**
 * What an operation costs, counted the way Apollo Router's demand control and the IBM GraphQL cost
 * directive spec count it: every object a query asks for costs 1 (scalars 0, root mutation fields 10),
 * and a list multiplies what is under it by its size. The sizes come from the subgraphs' own SDL
 * (@listSize, @cost: federation 2.9), read from the composed supergraph, so a new subgraph brings its
 * own figures and the gateway names no field of any subgraph.
 *
 * graphql-query-complexity walks the operation (fragments, @skip/@include, variables) and hands the
 * estimator each field's coerced arguments, so `first: $n` and an argument's default count as well as
 * a literal `first: 50` (graphql-armor's cost rule counts only literals).
 */
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  type TypeNode,
} from "graphql";
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";

interface ListSize {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
}

export interface CostModel {
  /** "Type.field" → its @listSize. */
  listSizes: Map<string, ListSize>;
  /** "Type.field" → its @cost weight. */
  weights: Map<string, number>;
  /** "Connection.edges": lists whose size the parent's slicing argument already counted. */
  sizedByParent: Set<string>;
}

export interface CostSettings {
  /** Size of a list field that declares no @listSize. */
  defaultListSize: number;
  /** No page is larger than this, whatever `first` says (the subgraphs refuse larger ones). */
  maxPageSize: number;
}

const MUTATION_WEIGHT = 10;

export function readCostModel(supergraphSdl: string): CostModel {
  const model: CostModel = { listSizes: new Map(), weights: new Map(), sizedByParent: new Set() };
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const field of definition.fields ?? []) {
      const coordinate = `${definition.name.value}.${field.name.value}`;
      for (const directive of field.directives ?? []) {
        if (directive.name.value === "cost") model.weights.set(coordinate, Number(argument(directive, "weight")));
        if (directive.name.value !== "listSize") continue;
        const size = listSizeOf(directive);
        model.listSizes.set(coordinate, size);
        const returned = namedTypeName(field.type);
        for (const sized of size.sizedFields ?? []) model.sizedByParent.add(`${returned}.${sized}`);
      }
    }
  }
  return model;
}

export function costEstimator(model: CostModel, settings: CostSettings, mutationTypeName?: string): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    // Introspection is bounded by the schema itself (and off in production).
    if (field.name.startsWith("__")) return 0;
    const coordinate = `${type.name}.${field.name}`;
    const rootMutation = type.name === mutationTypeName;
    const weight = model.weights.get(coordinate) ?? (rootMutation ? MUTATION_WEIGHT : isCompositeType(getNamedType(field.type)) ? 1 : 0);
    const declared = model.listSizes.get(coordinate);
    const slice = sliceSize(declared, field, args, settings);
    if (slice !== undefined && declared?.sizedFields?.length) return weight + slice * childComplexity;
    if (!isListType(getNullableType(field.type))) return weight + childComplexity;
    const size = model.sizedByParent.has(coordinate)
      ? 1
      : (slice ?? declared?.assumedSize ?? entityCount(field.name, args) ?? settings.defaultListSize);
    return size * (weight + childComplexity);
  };
}

export type CostCounter = (document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined) => number;

/** Distinct variable values remembered per document; past it the document's figures start over. */
const MAX_COSTS_PER_DOCUMENT = 64;

/**
 * The operation's cost; throws when it cannot be counted (e.g. a fragment bomb past the node limit).
 * Counting walks the whole operation, so figures are remembered per document and per the only inputs
 * the count reads besides it (costKey): a page query repeated with other filters costs one Map lookup.
 */
export function costCounter(schema: GraphQLSchema, estimator: ComplexityEstimator): CostCounter {
  const perDocument = new WeakMap<DocumentNode, { inputs: VariableInput[]; costs: Map<string, number> }>();
  return (document, operationName, variables = {}) => {
    let cached = perDocument.get(document);
    if (!cached) {
      cached = { inputs: costInputs(document), costs: new Map() };
      perDocument.set(document, cached);
    }
    const key = costKey(cached.inputs, operationName, variables);
    let cost = cached.costs.get(key);
    if (cost === undefined) {
      cost = getComplexity({ schema, query: document, estimators: [estimator], operationName, variables });
      if (cached.costs.size >= MAX_COSTS_PER_DOCUMENT) cached.costs.clear();
      cached.costs.set(key, cost);
    }
    return cost;
  };
}

/** A variable the count can read: its value (Int: slicing arguments; Boolean: @skip/@include) or, for a list, its length (`_entities` representations). */
interface VariableInput {
  name: string;
  read: "value" | "length";
}

function costInputs(document: DocumentNode): VariableInput[] {
  const inputs: VariableInput[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const name = variable.variable.name.value;
      if (["Int", "Boolean"].includes(namedTypeName(variable.type))) inputs.push({ name, read: "value" });
      else if (isListTypeNode(variable.type)) inputs.push({ name, read: "length" });
    }
  }
  return inputs;
}

function costKey(inputs: VariableInput[], operationName: string | undefined, variables: Record<string, unknown>): string {
  const values = inputs.map(({ name, read }) => {
    const value = variables[name];
    // An omitted variable takes its default, an explicit null does not: they must not share a key.
    if (value === undefined) return 0;
    return [read === "length" && Array.isArray(value) ? value.length : value];
  });
  return JSON.stringify([operationName ?? null, values]);
}

function isListTypeNode(type: TypeNode): boolean {
  return type.kind === Kind.LIST_TYPE || (type.kind === Kind.NON_NULL_TYPE && type.type.kind === Kind.LIST_TYPE);
}

/** A subgraph fetch's `_entities(representations:)` (federation's own field) returns one item per representation. */
function entityCount(fieldName: string, args: Record<string, unknown>): number | undefined {
  return fieldName === "_entities" && Array.isArray(args.representations) ? args.representations.length : undefined;
}

function sliceSize(declared: ListSize | undefined, field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, settings: CostSettings): number | undefined {
  // An explicit null gets the page the resolver falls back to: the argument's default, else the largest.
  const valueOf = (name: string) => args[name] ?? (name in args ? (field.args.find((a) => a.name === name)?.defaultValue ?? settings.maxPageSize) : undefined);
  const values = (declared?.slicingArguments ?? []).map(valueOf).filter((v): v is number => typeof v === "number");
  if (!values.length) return undefined;
  return Math.min(Math.max(0, ...values), settings.maxPageSize);
}

function listSizeOf(directive: ConstDirectiveNode): ListSize {
  const assumed = argument(directive, "assumedSize");
  return {
    ...(assumed !== undefined ? { assumedSize: Number(assumed) } : {}),
    slicingArguments: (argument(directive, "slicingArguments") as string[] | undefined) ?? [],
    sizedFields: (argument(directive, "sizedFields") as string[] | undefined) ?? [],
  };
}

function argument(directive: ConstDirectiveNode, name: string): unknown {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  if (!value) return undefined;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.LIST) return value.values.map((v) => (v.kind === Kind.STRING ? v.value : undefined));
  if (value.kind === Kind.STRING) return value.value;
  return undefined;
}

function namedTypeName(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeName(type.type);
}
