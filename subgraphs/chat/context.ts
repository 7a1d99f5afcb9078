import type { RequestContext } from "../../lib/context.ts";
import type { ChatService } from "./chat.service.ts";
import type { ChatLoaders } from "./loaders.ts";
import type { ChatScamScan } from "./scam-scan.ts";

export interface ChatContext extends RequestContext {
  chat: ChatService;
  scamScan: ChatScamScan;
  loaders: ChatLoaders;
}
