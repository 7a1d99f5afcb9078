import type { ImageFormat, ImageSize } from "./media.ts";

export type RefusalReason = "NOT_AN_IMAGE" | "SVG" | "UNSUPPORTED_FORMAT" | "TOO_MANY_PIXELS" | "CORRUPT" | "HEIC";

export declare class MediaRefused extends Error {
  reason: RefusalReason;
  constructor(reason: RefusalReason, detail?: string);
}

export interface Variant {
  size: ImageSize;
  format: ImageFormat;
  /** "thumb.webp", "full.jpg": its name in the store, under the upload's content hash. */
  key: string;
  data: Uint8Array;
}

export interface Processed {
  width: number;
  height: number;
  dominantColor: string;
  contentHash: string;
  variants: Variant[];
}

export declare function variantGeometry(width: number, height: number): Record<ImageSize, { width: number; height: number }>;
export declare function sniff(input: Uint8Array, maxInputPixels: number): Promise<{ format?: string; width?: number; height?: number }>;
export interface Refusal {
  refused: RefusalReason;
  /** For the log, never for the client (it may quote libvips). */
  detail: string;
}

export declare function processImage(task: { input: Uint8Array; maxInputPixels: number }): Promise<Processed | Refusal>;
declare const _default: typeof processImage;
export default _default;
