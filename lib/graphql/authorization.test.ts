import { buildSubgraphSchema } from "@apollo/subgraph";
import { graphql, parse, subscribe } from "graphql";
import { describe, expect, it } from "vitest";
import { scopesFor, type Viewer } from "../context.ts";
import { applyAuthorization } from "./authorization.ts";

const schema = applyAuthorization(
  buildSubgraphSchema({
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@authenticated", "@requiresScopes"])
      type Query {
        open: String
        signedIn: String @authenticated
        admins: String @requiresScopes(scopes: [["admin"]])
        either: String @requiresScopes(scopes: [["admin"], ["moderator", "user"]])
        secret: Secret
      }
      type Secret @authenticated { value: String }
      type Subscription { ticks: Int @authenticated }
    `),
    resolvers: {
      Query: { open: () => "o", signedIn: () => "s", admins: () => "a", either: () => "e", secret: () => ({ value: "v" }) },
      Subscription: {
        ticks: {
          subscribe: async function* () {
            yield { ticks: 1 };
          },
        },
      },
    },
  }),
);

const viewer = (role: "USER" | "ADMIN", extra: string[] = []): Viewer => ({ userId: "u", sessionId: "s", role, scopes: [...scopesFor(role), ...extra] });

async function run(field: string, who: Viewer | null) {
  const result = await graphql({ schema, source: `{ ${field} }`, contextValue: { viewer: who } });
  return result.errors?.map((e) => e.extensions.code) ?? [];
}

describe("authorization directives", () => {
  it("lets anyone read unguarded fields", async () => {
    expect(await run("open", null)).toEqual([]);
  });

  it("requires a viewer for @authenticated fields and types", async () => {
    expect(await run("signedIn", null)).toEqual(["UNAUTHENTICATED"]);
    expect(await run("signedIn", viewer("USER"))).toEqual([]);
    expect(await run("secret { value }", null)).toEqual(["UNAUTHENTICATED"]);
  });

  it("guards a Subscription field before its event stream opens", async () => {
    const ticks = (who: Viewer | null) => subscribe({ schema, document: parse(`subscription { ticks }`), contextValue: { viewer: who } });
    const refused = await ticks(null);
    expect(Symbol.asyncIterator in refused).toBe(false);
    expect((refused as unknown as { errors: { extensions: { code: string } }[] }).errors.map((e) => e.extensions.code)).toEqual(["UNAUTHENTICATED"]);
    const events = (await ticks(viewer("USER"))) as AsyncIterableIterator<unknown>;
    expect(await events.next()).toEqual({ done: false, value: { data: { ticks: 1 } } });
  });

  it("requires all scopes of one alternative for @requiresScopes", async () => {
    expect(await run("admins", null)).toEqual(["UNAUTHENTICATED"]);
    expect(await run("admins", viewer("USER"))).toEqual(["FORBIDDEN"]);
    expect(await run("admins", viewer("ADMIN"))).toEqual([]);
    expect(await run("either", viewer("USER"))).toEqual(["FORBIDDEN"]);
    expect(await run("either", viewer("USER", ["moderator"]))).toEqual([]);
  });
});
