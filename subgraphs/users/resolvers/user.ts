import { isAdmin } from "../../../lib/context.ts";
import { findCounty } from "../../../lib/locations.ts";
import type { UserResolvers } from "../__generated__/resolvers.ts";
import type { UsersContext } from "../context.ts";

const canSeePrivate = ({ viewer, authenticatedUserIds }: UsersContext, userId: string) =>
  viewer?.userId === userId || authenticatedUserIds.has(userId) || isAdmin(viewer);

export const User: UserResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.user.load(id),
  email: (user, _, ctx) => (canSeePrivate(ctx, user.id) ? user.email : null),
  phone: (user, _, ctx) => (canSeePrivate(ctx, user.id) ? user.phone : null),
  role: (user, _, ctx) => (canSeePrivate(ctx, user.id) ? user.role : null),
  memberSince: (user) => user.createdAt,
  location: (user) => {
    const county = user.county ? findCounty(user.county) : undefined;
    return county && user.city ? { county, city: user.city } : null;
  },
};
