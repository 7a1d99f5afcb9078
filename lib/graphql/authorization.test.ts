import { buildSubgraphSchema } from "@apollo/subgraph";
import { graphql, parse } from "graphql";
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
    `),
    resolvers: { Query: { open: () => "o", signedIn: () => "s", admins: () => "a", either: () => "e", secret: () => ({ value: "v" }) } },
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

  it("requires all scopes of one alternative for @requiresScopes", async () => {
    expect(await run("admins", null)).toEqual(["UNAUTHENTICATED"]);
    expect(await run("admins", viewer("USER"))).toEqual(["FORBIDDEN"]);
    expect(await run("admins", viewer("ADMIN"))).toEqual([]);
    expect(await run("either", viewer("USER"))).toEqual(["FORBIDDEN"]);
    expect(await run("either", viewer("USER", ["moderator"]))).toEqual([]);
  });
});
