import { attributeForm } from "../catalog/attributes.ts";
import type { CategoryResolvers } from "../__generated__/resolvers.ts";

export const Category: CategoryResolvers = {
  __resolveReference: ({ id }, { catalog }) => catalog.get(id) ?? null,
  id: (c) => String(c.id),
  parent: (c, _, { catalog }) => (c.parentId === null ? null : catalog.get(c.parentId)!),
  children: (c, _, { catalog }) => catalog.children(c),
  path: (c, _, { catalog }) => catalog.path(c),
  isLeaf: (c, _, { catalog }) => catalog.isLeaf(c),
  attributes: (c, _, { catalog }) => catalog.attributesOf(c).map(attributeForm),
};
