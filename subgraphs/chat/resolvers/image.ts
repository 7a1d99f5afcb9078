import type { ImageResolvers } from "../__generated__/resolvers.ts";

// A chat photo reaches here only through a message the viewer may read (a participant, or an admin):
// its URL is signed and expires, so it works for them and stops working once passed on. An explicit
// null is the schema's default.
export const Image: ImageResolvers = {
  url: (image, { size, format }, { media }) => media.signedUrl(image.id, size ?? "CARD", format ?? "WEBP"),
};
