import type { RequestContext } from "../../lib/context.ts";
import type { UsersLoaders } from "./loaders.ts";
import type { UsersService } from "./users.service.ts";

export interface UsersContext extends RequestContext {
  loaders: UsersLoaders;
  users: UsersService;
  /**
   * Users who proved who they are in this request (signUp / signIn / refreshSession) before any
   * token existed: their AuthPayload.user shows them their own private fields.
   */
  authenticatedUserIds: Set<string>;
}
