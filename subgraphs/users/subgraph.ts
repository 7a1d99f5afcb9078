import { buildSchema, loadTypeDefs, type Subgraph, type SubgraphDeps } from "../../lib/subgraph.ts";
import type { UsersContext } from "./context.ts";
import type { addDemoData } from "./demo-data.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import { AuthLimits } from "./sign-in-limits.ts";
import { ContactPhones } from "./contact-phones.ts";
import { recentlyRevoked } from "./sessions.ts";
import { UsersService } from "./users.service.ts";

export const typeDefs = loadTypeDefs(new URL("./schema.graphql", import.meta.url));

/** Demo data, imported only when a new database asks for it: the generator is no part of a normal start. */
export const demoData: typeof addDemoData = async (prisma, world) => (await import("./demo-data.ts")).addDemoData(prisma, world);

export function createUsersSubgraph({ db, tokens, config, limiters, revocations, purges }: SubgraphDeps): Subgraph {
  // Created once: their counters outlive requests (and, with REDIS_URL, this process).
  const limits = new AuthLimits(limiters, config);
  const users = new UsersService(db.prisma, tokens, config.REFRESH_TOKEN_TTL_DAYS, limits, revocations, purges);
  const phones = new ContactPhones(
    db.prisma,
    limiters("phone-reveals", { points: config.PHONE_REVEALS_PER_HOUR, windowSeconds: 3600, message: "Ai văzut prea multe numere de telefon într-o oră." }),
  );
  return {
    name: "users",
    typeDefs,
    schema: buildSchema(typeDefs, resolvers),
    createContext: (base): UsersContext => ({
      ...base,
      users,
      phones,
      revealsInRequest: { count: 0 },
      loaders: createLoaders(db.prisma, users),
      authenticatedUserIds: new Set(),
    }),
    // A gateway that started with this process knows nothing of sign-outs made before: tell it again
    // those whose access tokens may still be valid (in Redis mode, the shared set has them anyway).
    start: async () => users.announce(await recentlyRevoked(db.prisma, tokens.lifetimeSeconds)),
  };
}
