import type { MutationResolvers } from "../__generated__/resolvers.ts";

// @authenticated in the SDL guarantees a viewer wherever `viewer!` is used.
export const Mutation: MutationResolvers = {
  signUp: (_, { input }, { users }) => users.signUp(input),
  signIn: (_, { email, password }, { users }) => users.signIn(email, password),
  refreshSession: (_, { refreshToken }, { users }) => users.refresh(refreshToken),
  signOut: (_, __, { users, viewer }) => users.signOut(viewer!),
  signOutEverywhere: (_, __, { users, viewer }) => users.signOutEverywhere(viewer!),
  changePassword: (_, { currentPassword, newPassword }, { users, viewer }) =>
    users.changePassword(viewer!, currentPassword, newPassword),
  updateProfile: (_, { input }, { users, viewer }) => users.updateProfile(viewer!, input),
  setUserRole: (_, { userId, role }, { users }) => users.setRole(userId, role),
};
