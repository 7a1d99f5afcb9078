import type { UserResolvers } from "../__generated__/resolvers.ts";

export const User: UserResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.user.load(id),
  email: (user, _, ctx) => ctx.users.privateField(ctx, user, "email"),
  phone: (user, _, ctx) => ctx.users.privateField(ctx, user, "phone"),
  role: (user, _, ctx) => ctx.users.privateField(ctx, user, "role"),
  showPhone: (user, _, ctx) => ctx.users.privateField(ctx, user, "showPhone"),
  memberSince: (user) => user.createdAt,
  location: (user, _, { users }) => users.publicLocation(user),
};
