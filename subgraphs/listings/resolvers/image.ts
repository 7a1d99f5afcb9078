import type { ImageResolvers } from "../__generated__/resolvers.ts";

// A listing's photos are public: stable URLs, cached for a year. An explicit null is the schema's
// default, as everywhere in this schema.
export const Image: ImageResolvers = {
  url: (image, { size, format }, { media }) => media.publicUrl(image.id, size ?? "CARD", format ?? "WEBP"),
};
