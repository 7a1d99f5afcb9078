/**
 * Variant URLs (MediaUrls): `/media/<id>/<size>.<ext>`, PUBLIC_URL-prefixed when set. A chat photo's
 * URL carries `exp` (unix seconds) and `sig`, an HMAC-SHA256 of the path and the expiry under a key
 * derived from the JWT secret (like lib/auth/subgraph-secret.ts: the JWT key itself never signs a URL),
 * so every gateway of a deployment checks what any subgraph signed, with no shared state.
 */
import crypto from "node:crypto";
import { resolveJwtSecret } from "../auth/tokens.ts";
import type { Config } from "../env.ts";
import { FORMAT_EXTENSIONS, IMAGE_FORMATS, IMAGE_SIZES, type ImageFormat, type ImageSize, type MediaUrls } from "./media.ts";

export interface VariantRef {
  id: string;
  size: ImageSize;
  format: ImageFormat;
}

/** The path of a variant, as served by the gateway. */
export function variantPath(id: string, size: ImageSize, format: ImageFormat): string {
  return `/media/${id}/${size.toLowerCase()}.${FORMAT_EXTENSIONS[format]}`;
}

const PATH = /^\/media\/([^/]+)\/(thumb|card|full)\.(webp|jpg|avif)$/;

/** `/media/<id>/<size>.<ext>` → its parts; undefined for any other path (the id is not checked here). */
export function parseVariantPath(pathname: string): VariantRef | undefined {
  const match = PATH.exec(pathname);
  if (!match) return undefined;
  const size = IMAGE_SIZES.find((s) => s.toLowerCase() === match[2]);
  const format = IMAGE_FORMATS.find((f) => FORMAT_EXTENSIONS[f] === match[3]);
  return size && format ? { id: match[1]!, size, format } : undefined;
}

export function mediaUrlKey(jwtSecret: string): Buffer {
  return crypto.createHmac("sha256", jwtSecret).update("piata-ai media url signatures").digest();
}

export interface UrlSigner {
  /** `?exp=…&sig=…` for this variant, valid at least `ttlSeconds` from `nowMs`. */
  sign(ref: VariantRef, nowMs?: number): { exp: number; sig: string };
  /** Whether `sig` is this variant's signature for `exp` and `exp` is still ahead of `nowMs`. */
  verify(ref: VariantRef, exp: string | null, sig: string | null, nowMs?: number): boolean;
}

/**
 * Expiries are rounded up to a window of `ttlSeconds`: the same photo gets the same URL for a while,
 * so a browser's cache keeps working across queries; each URL is valid between ttl and 2 × ttl.
 */
export function createUrlSigner(key: Buffer, ttlSeconds: number): UrlSigner {
  const mac = (ref: VariantRef, exp: number) =>
    crypto.createHmac("sha256", key).update(`${variantPath(ref.id, ref.size, ref.format)}\n${exp}`).digest();
  return {
    sign(ref, nowMs = Date.now()) {
      const now = Math.floor(nowMs / 1000);
      const exp = (Math.floor(now / ttlSeconds) + 2) * ttlSeconds;
      return { exp, sig: mac(ref, exp).toString("base64url") };
    },
    verify(ref, exp, sig, nowMs = Date.now()) {
      if (!exp || !sig || !/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return false;
      const expiry = Number(exp);
      // Compared before the expiry, so the time taken says nothing about which check failed.
      const valid = crypto.timingSafeEqual(mac(ref, expiry), Buffer.from(sig, "base64url"));
      return valid && expiry * 1000 > nowMs;
    },
  };
}

export function createMediaUrls(config: Config): MediaUrls & { signer: UrlSigner } {
  const signer = createUrlSigner(mediaUrlKey(resolveJwtSecret(config)), config.MEDIA_SIGNED_URL_TTL_SECONDS);
  const origin = config.PUBLIC_URL ?? "";
  return {
    signer,
    publicUrl: (id, size, format) => origin + variantPath(id, size, format),
    signedUrl(id, size, format) {
      const { exp, sig } = signer.sign({ id, size, format });
      return `${origin}${variantPath(id, size, format)}?exp=${exp}&sig=${sig}`;
    },
  };
}
