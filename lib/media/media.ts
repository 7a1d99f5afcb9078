/**
 * Photos, as the rest of the system sees them (issue 10). The gateway receives uploads (`POST /uploads`)
 * and serves variants (`GET|HEAD /media/...`); the listings and chat subgraphs attach uploads to what
 * they own and keep their own image rows. None of them knows the others: they meet here, in lib/.
 *
 * An upload is one photo a signed-in user sent: its variants are made (sharp, in a child process), its
 * metadata stripped, its files stored content-addressed (same bytes → same files), and a `MediaUpload`
 * row (prisma/models/media.prisma, owned by lib/media) records who sent it and what it became. It is
 * served only once attached — publicly for a listing, through signed expiring URLs for a chat message —
 * and never again once detached. An upload never attached is deleted after 24 h.
 */
import type { Prisma } from "../../prisma/generated/client.ts";

export const IMAGE_SIZES = ["THUMB", "CARD", "FULL"] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];
export const IMAGE_FORMATS = ["WEBP", "JPEG", "AVIF"] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];
/** Width of each variant in px; a narrower original is never upscaled. */
export const VARIANT_WIDTHS: Readonly<Record<ImageSize, number>> = { THUMB: 320, CARD: 800, FULL: 1600 };

/** What an attach hands its owner to copy into its own image row. */
export interface AttachedImage {
  id: string;
  width: number;
  height: number;
  /** "#rrggbb", a placeholder colour while the picture loads. */
  dominantColor: string;
}

export type MediaPurpose = "LISTING" | "MESSAGE";

/** The uploads' rows: what the subgraphs call, inside their own transactions. */
export interface MediaUploads {
  /**
   * Claims uploads for one listing or message, in the caller's transaction `tx`. Each id must exist,
   * have been uploaded by `ownerId`, and not be attached already; otherwise a typed error
   * (BAD_USER_INPUT naming the field `imageIds`, or FORBIDDEN for someone else's upload) and nothing
   * is claimed. Answers the images in the order of `ids`.
   */
  attach(tx: Prisma.TransactionClient, ownerId: string, ids: readonly string[], purpose: MediaPurpose): Promise<AttachedImage[]>;
  /** Detaches (the caller removed the image): its URLs answer 404 from then on, in every gateway. */
  detach(tx: Prisma.TransactionClient, ids: readonly string[]): Promise<void>;
}

/** URLs of variants, as clients get them in `Image.url(size, format)`. */
export interface MediaUrls {
  /** A listing's image: stable and cacheable forever (`/media/<id>/<size>.<ext>`, PUBLIC_URL-prefixed when set). */
  publicUrl(id: string, size: ImageSize, format: ImageFormat): string;
  /** A chat image: the same path with an expiry and an HMAC signature; refused after it expires. */
  signedUrl(id: string, size: ImageSize, format: ImageFormat): string;
}

/** The file extension of each format in a variant's URL and in the store. */
export const FORMAT_EXTENSIONS: Readonly<Record<ImageFormat, "webp" | "jpg" | "avif">> = { WEBP: "webp", JPEG: "jpg", AVIF: "avif" };
export const FORMAT_CONTENT_TYPES: Readonly<Record<ImageFormat, string>> = { WEBP: "image/webp", JPEG: "image/jpeg", AVIF: "image/avif" };

/** An upload no listing or message claimed within this is deleted by the sweeper (and can no longer be attached). */
export const UNATTACHED_TTL_MS = 24 * 60 * 60 * 1000;

/** Pub/sub channel: uploads just detached (`{ ids }`), so every gateway forgets what it cached about them. */
export const MEDIA_DETACHED_CHANNEL = "media.detached";
export interface MediaDetachedEvent {
  ids: string[];
}
