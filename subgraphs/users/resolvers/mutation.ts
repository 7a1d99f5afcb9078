import type { MutationResolvers } from "../__generated__/resolvers.ts";
import type { UsersContext } from "../context.ts";
import type { AuthResult } from "../users.service.ts";

async function authenticated(context: UsersContext, result: Promise<AuthResult>): Promise<AuthResult> {
  const auth = await result;
  context.authenticatedUserIds.add(auth.user.id);
  return auth;
}

// @authenticated in the SDL guarantees a viewer wherever `viewer!` is used.
export const Mutation: MutationResolvers = {
  signUp: (_, { input }, ctx) => authenticated(ctx, ctx.users.signUp(input, ctx)),
  signIn: (_, { email, password }, ctx) => authenticated(ctx, ctx.users.signIn(email, password, ctx)),
  refreshSession: (_, { refreshToken }, ctx) => authenticated(ctx, ctx.users.refresh(refreshToken)),
  signOut: (_, __, { users, viewer }) => users.signOut(viewer!),
  signOutEverywhere: (_, __, { users, viewer }) => users.signOutEverywhere(viewer!),
  revokeSession: (_, { id }, { users, viewer }) => users.revokeSession(viewer!, id),
  changePassword: (_, { currentPassword, newPassword }, ctx) => ctx.users.changePassword(ctx.viewer!, currentPassword, newPassword, ctx),
  updateProfile: (_, { input }, { users, viewer }) => users.updateProfile(viewer!, input),
  setUserRole: (_, { userId, role }, { users }) => users.setRole(userId, role),
};
