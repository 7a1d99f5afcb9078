import { buildSchema, loadTypeDefs, type Subgraph, type SubgraphDeps } from "../../lib/subgraph.ts";
import type { UsersContext } from "./context.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import { AuthLimits } from "./sign-in-limits.ts";
import { UsersService } from "./users.service.ts";

export const typeDefs = loadTypeDefs(new URL("./schema.graphql", import.meta.url));

export function createUsersSubgraph({ db, tokens, config, limiters }: SubgraphDeps): Subgraph {
  // Created once: their counters outlive requests (and, with REDIS_URL, this process).
  const limits = new AuthLimits(limiters, config);
  const users = new UsersService(db.prisma, tokens, config.REFRESH_TOKEN_TTL_DAYS, limits);
  return {
    name: "users",
    typeDefs,
    schema: buildSchema(typeDefs, resolvers),
    createContext: (base): UsersContext => ({
      ...base,
      users,
      loaders: createLoaders(db.prisma),
      authenticatedUserIds: new Set(),
    }),
  };
}
