import type { RequestContext } from "../../lib/context.ts";
import type { ContactPhones, RevealReader } from "./contact-phones.ts";
import type { UsersLoaders } from "./loaders.ts";
import type { UsersService } from "./users.service.ts";

export interface UsersContext extends RequestContext, RevealReader {
  loaders: UsersLoaders;
  users: UsersService;
  phones: ContactPhones;
  /**
   * Users who proved who they are in this request (signUp / signIn / refreshSession) before any
   * token existed: their AuthPayload.user shows them their own private fields.
   */
  authenticatedUserIds: Set<string>;
}
