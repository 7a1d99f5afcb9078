import { ApolloServer } from "@apollo/server";
import { buildSchema, execute, GraphQLError, parse, type GraphQLSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { CompiledOperations, compiledExecution } from "./compiled-operations.ts";
import { resolveLazyConnectionFields, toConnection } from "./pagination.ts";

const SDL = `
type Item { id: ID! name: String! price: Int }
type ItemEdge { cursor: String! node: Item! }
type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
type ItemConnection { edges: [ItemEdge!]! pageInfo: PageInfo! totalCount: Int! }
type Query { items(first: Int!): ItemConnection! broken: Item optional: Item echo(text: String!, tags: [String!]): String! }
type Subscription { ticks: Int }
`;

const ITEMS = [
  { id: "1", name: "a", price: 10 },
  { id: "2", name: "b", price: null },
  { id: "3", name: "c", price: 30 },
];

interface Calls {
  items: number;
  count: number;
}

/** A small schema in our resolvers' style: a connection with a lazy count, a typed error. */
function itemsSchema(): { schema: GraphQLSchema; sdl: string; calls: Calls } {
  const schema = buildSchema(SDL);
  const calls: Calls = { items: 0, count: 0 };
  const query = schema.getQueryType()!.getFields();
  query.items!.resolve = (_source, args: { first: number }, context: { calls: Calls }) => {
    context.calls.items++;
    return toConnection(ITEMS.slice(0, args.first + 1), args.first, (i) => [i.id], false, async () => {
      context.calls.count++;
      return ITEMS.length;
    });
  };
  query.broken!.resolve = async () => {
    throw new GraphQLError("boom", { extensions: { code: "NOT_FOUND" } });
  };
  query.optional!.resolve = () => null;
  query.echo!.resolve = (_source, args: { text: string; tags?: string[] }) => JSON.stringify(args);
  return { schema, sdl: SDL, calls };
}

const QUERY = `query Page($first: Int!) {
  items(first: $first) { totalCount edges { node { id name price } } }
  broken { id }
  optional { id name }
}`;

/** What graphql-js answers for the same operation: the reference compiled execution must match. */
async function reference(variables: Record<string, unknown>) {
  const { schema, calls } = itemsSchema();
  return { result: await execute({ schema: resolveLazyConnectionFields(schema), document: parse(QUERY), variableValues: variables, contextValue: { calls } }), calls };
}

describe("CompiledOperations", () => {
  it("answers as graphql-js does: data, lazy counts, errors with their paths, null propagation", async () => {
    const { schema, calls } = itemsSchema();
    const operations = new CompiledOperations(resolveLazyConnectionFields(schema));
    const compiled = await operations.execute({ query: QUERY, variables: { first: 2 }, contextValue: { calls } });
    const { result } = await reference({ first: 2 });
    expect(compiled.data).toEqual(result.data);
    expect(compiled.data).toMatchObject({ items: { totalCount: 3, edges: [{ node: { id: "1" } }, { node: { id: "2" } }] }, broken: null });
    expect(compiled.errors?.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code }))).toEqual(
      result.errors?.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code })),
    );
    expect(compiled.errors?.[0]).toBeInstanceOf(GraphQLError);
    expect(compiled.errors?.[0]?.originalError?.message).toBe("boom");
  });

  it("counts only when totalCount is selected", async () => {
    const { schema, calls } = itemsSchema();
    const operations = new CompiledOperations(resolveLazyConnectionFields(schema));
    await operations.execute({ query: "{ items(first: 1) { edges { node { id } } } }", contextValue: { calls } });
    expect(calls.count).toBe(0);
    await operations.execute({ query: "{ items(first: 1) { totalCount } }", contextValue: { calls } });
    expect(calls.count).toBe(1);
  });

  it("refuses bad variables with a typed error and runs no resolver", async () => {
    const { schema, calls } = itemsSchema();
    const operations = new CompiledOperations(resolveLazyConnectionFields(schema));
    const result = await operations.execute({ query: QUERY, variables: { first: "two" }, contextValue: { calls } });
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toMatch(/\$first/);
    expect(calls.items).toBe(0);
  });

  it("keeps the same compiled operation for the same text, and parses a subscription without compiling it", async () => {
    const { schema, calls } = itemsSchema();
    const operations = new CompiledOperations(resolveLazyConnectionFields(schema));
    for (let i = 0; i < 3; i++) await operations.execute({ query: QUERY, variables: { first: 1 }, contextValue: { calls } });
    expect(calls.items).toBe(3);
    expect(operations.compiledCount).toBe(1);
    expect(operations.document("subscription { ticks }").definitions).toHaveLength(1);
    expect(operations.compiledCount).toBe(1);
  });

  it("takes literals in the operation text as data, never as code (operations are compiled to JavaScript)", async () => {
    const { schema, calls } = itemsSchema();
    const operations = new CompiledOperations(resolveLazyConnectionFields(schema));
    const hostile = String.raw`"); globalThis.pwned = 1; ("` + "`${globalThis.pwned = 2}` \u2028 */ //";
    const literal = JSON.stringify(hostile);
    const query = `{ echo(text: ${literal}, tags: [${literal}, "b"]) }`;
    const compiled = await operations.execute({ query, contextValue: { calls } });
    expect(operations.compiledCount).toBe(1);
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
    expect(compiled).toEqual(await execute({ schema, document: parse(query), contextValue: { calls } }));
    expect(JSON.parse((compiled.data as { echo: string }).echo)).toEqual({ text: hostile, tags: [hostile, "b"] });
  });

  it("serves through Apollo Server, which still validates and formats", async () => {
    const { schema, sdl, calls } = itemsSchema();
    const server = new ApolloServer({ gateway: compiledExecution(resolveLazyConnectionFields(schema), sdl) });
    await server.start();
    try {
      const ok = await server.executeOperation({ query: "{ items(first: 1) { totalCount edges { node { name } } } }" }, { contextValue: { calls } });
      expect(ok.body.kind === "single" && ok.body.singleResult).toMatchObject({ data: { items: { totalCount: 3, edges: [{ node: { name: "a" } }] } } });
      const invalid = await server.executeOperation({ query: "{ nope }" }, { contextValue: { calls } });
      expect(invalid.body.kind === "single" && invalid.body.singleResult.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    } finally {
      await server.stop();
    }
  });
});
