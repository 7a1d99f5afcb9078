import { isAdmin, type Viewer } from "../../../lib/context.ts";
import { findCounty } from "../../../lib/locations.ts";
import type { UserResolvers } from "../__generated__/resolvers.ts";

const canSeePrivate = (viewer: Viewer | null, userId: string) => viewer?.userId === userId || isAdmin(viewer);

export const User: UserResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.user.load(id),
  email: (user, _, { viewer }) => (canSeePrivate(viewer, user.id) ? user.email : null),
  phone: (user, _, { viewer }) => (canSeePrivate(viewer, user.id) ? user.phone : null),
  role: (user, _, { viewer }) => (canSeePrivate(viewer, user.id) ? user.role : null),
  memberSince: (user) => user.createdAt,
  location: (user) => {
    const county = user.county ? findCounty(user.county) : undefined;
    return county && user.city ? { county, city: user.city } : null;
  },
};
