import type { RequestContext } from "../../lib/context.ts";
import type { MediaUrls } from "../../lib/media/media.ts";
import type { ChatService } from "./chat.service.ts";
import type { ChatLoaders } from "./loaders.ts";
import type { ChatScamScan } from "./scam-scan.ts";

export interface ChatContext extends RequestContext {
  chat: ChatService;
  scamScan: ChatScamScan;
  loaders: ChatLoaders;
  /** Signed URLs of its photos' variants. */
  media: MediaUrls;
}
