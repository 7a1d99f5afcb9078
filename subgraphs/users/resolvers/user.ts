import type { UserResolvers } from "../__generated__/resolvers.ts";

export const User: UserResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.profile.load(id),
  email: (user, _, ctx) => ctx.users.privateField(ctx, user, "email", ctx.loaders.user),
  phone: (user, _, ctx) => ctx.users.privateField(ctx, user, "phone", ctx.loaders.user),
  role: (user, _, ctx) => ctx.users.privateField(ctx, user, "role", ctx.loaders.user),
  showPhone: (user, _, ctx) => ctx.users.privateField(ctx, user, "showPhone", ctx.loaders.user),
  memberSince: (user) => user.createdAt,
  location: (user, _, { users }) => users.publicLocation(user),
};
