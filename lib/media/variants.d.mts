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
  bytes: number;
  /** Its bytes, when the task named no `outDir`. */
  data?: Uint8Array;
  /** Where it was written, when the task named an `outDir`. */
  file?: string;
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

/** `input`: the upload's bytes or a file's path; with `outDir` the variants are written there (their `file`), without it they carry their `data`. */
export declare function processImage(task: { input: Uint8Array | string; outDir?: string; maxInputPixels: number }): Promise<Processed | Refusal>;
declare const _default: typeof processImage;
export default _default;
