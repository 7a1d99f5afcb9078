import { openJobQueue, type JobQueue } from "../../lib/jobs.ts";
import { createMediaUploads } from "../../lib/media/uploads.ts";
import { createMediaUrls } from "../../lib/media/urls.ts";
import { buildSchema, loadTypeDefs, type Subgraph, type SubgraphDeps } from "../../lib/subgraph.ts";
import { ChatService } from "./chat.service.ts";
import type { ChatContext } from "./context.ts";
import { ChatEvents } from "./events.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import { ChatScamScan } from "./scam-scan.ts";

export const typeDefs = loadTypeDefs(new URL("./schema.graphql", import.meta.url));

export function createChatSubgraph({ db, config, log, limiters, pubsub, graph }: SubgraphDeps): Subgraph {
  // Created once: the message limiter's counters outlive requests (and, with REDIS_URL, this process).
  const chat = new ChatService(
    db.prisma,
    graph,
    new ChatEvents(pubsub, log),
    limiters,
    { messagesPerMinute: config.CHAT_MESSAGES_PER_MINUTE },
    createMediaUploads({ pubsub }),
  );
  const media = createMediaUrls(config);
  const scamScan = new ChatScamScan(db.prisma, log);
  let jobs: JobQueue | undefined;
  return {
    name: "chat",
    typeDefs,
    schema: buildSchema(typeDefs, resolvers),
    createContext: (base): ChatContext => ({ ...base, chat, scamScan, media, loaders: createLoaders(db.prisma, base.viewer) }),
    async start() {
      if (config.CHAT_SCAN_INTERVAL_SECONDS > 0) {
        // Scans and verdicts travel on the durable job queue (lib/agent-requests.ts).
        jobs = await openJobQueue(db, log, { pollingIntervalSeconds: config.AGENT_POLLING_INTERVAL_SECONDS });
        await scamScan.start(jobs, config.CHAT_SCAN_INTERVAL_SECONDS, config.AGENT_POLLING_INTERVAL_SECONDS);
      }
    },
    async stop() {
      scamScan.stop();
      await jobs?.stop({ graceful: true, timeout: 10_000, wait: true });
    },
  };
}
