import { buildSchema, loadTypeDefs, type Subgraph, type SubgraphDeps } from "../../lib/subgraph.ts";
import { ChatService } from "./chat.service.ts";
import type { ChatContext } from "./context.ts";
import { ChatEvents } from "./events.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";

export const typeDefs = loadTypeDefs(new URL("./schema.graphql", import.meta.url));

export function createChatSubgraph({ db, config, log, limiters, pubsub, graph }: SubgraphDeps): Subgraph {
  // Created once: the message limiter's counters outlive requests (and, with REDIS_URL, this process).
  const chat = new ChatService(db.prisma, graph, new ChatEvents(pubsub, log), limiters, {
    messagesPerMinute: config.CHAT_MESSAGES_PER_MINUTE,
  });
  return {
    name: "chat",
    typeDefs,
    schema: buildSchema(typeDefs, resolvers),
    createContext: (base): ChatContext => ({ ...base, chat, loaders: createLoaders(db.prisma, base.viewer) }),
  };
}
