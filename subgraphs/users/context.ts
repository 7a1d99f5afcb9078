import type { RequestContext } from "../../lib/context.ts";
import type { UsersLoaders } from "./loaders.ts";
import type { UsersService } from "./users.service.ts";

export interface UsersContext extends RequestContext {
  loaders: UsersLoaders;
  users: UsersService;
}
