/**
 * GET|HEAD /media/<id>/<size>.<ext>: a variant of an attached upload. A listing's photos are public
 * and immutable (content-addressed files: the bytes behind a URL never change); a chat photo only with
 * a valid, unexpired signature, cached privately until it expires. Unknown, never-attached and
 * detached uploads are 404.
 */
import crypto from "node:crypto";
import type http from "node:http";
import { pipeline } from "node:stream/promises";
import type { GraphQLError } from "graphql";
import { isUuid } from "../../lib/ids.ts";
import type { MediaRow } from "../../lib/media/library.ts";
import { FORMAT_CONTENT_TYPES, FORMAT_EXTENSIONS } from "../../lib/media/media.ts";
import { mediaKey, type MediaStore } from "../../lib/media/store.ts";
import { parseVariantPath, type UrlSigner } from "../../lib/media/urls.ts";
import type { Limiter } from "../../lib/rate-limit.ts";
import type { MediaRows } from "./rows.ts";
import { sendCode, sendError } from "./respond.ts";

export interface ServeDeps {
  rows: MediaRows;
  store: MediaStore;
  signer: UrlSigner;
  /** Database reads that found no photo, per client: random ids would otherwise each cost a statement. */
  misses: Limiter;
  clientKey(req: http.IncomingMessage): string;
}

const PUBLIC_CACHE = "public, max-age=31536000, immutable";

export function createMediaServer(deps: ServeDeps) {
  const notFound = (res: http.ServerResponse) => sendCode(res, 404, "NOT_FOUND", "Imaginea nu există.", { "cache-control": "no-store" });

  /**
   * The upload's row. A read of the database is paid for up front from the client's budget of misses
   * and given back when it finds a photo (a page of thumbnails costs nothing); past the budget, 429.
   */
  const lookUp = async (req: http.IncomingMessage, res: http.ServerResponse, id: string): Promise<MediaRow | null | "limited"> => {
    const cached = deps.rows.cached(id);
    if (cached !== undefined) return cached;
    const key = deps.clientKey(req);
    try {
      await deps.misses.consume(key);
    } catch (error) {
      sendError(req, res, 429, error as GraphQLError, { "cache-control": "no-store" });
      return "limited";
    }
    const row = await deps.rows.get(id);
    if (row?.purpose && !row.detachedAt) await deps.misses.refund(key);
    return row;
  };

  return async function serveMedia(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") return sendCode(res, 405, "BAD_REQUEST", "Imaginile se citesc cu GET sau HEAD.", { allow: "GET, HEAD" });
    const ref = parseVariantPath(url.pathname);
    if (!ref || !isUuid(ref.id)) return notFound(res);
    const row = await lookUp(req, res, ref.id);
    if (row === "limited") return;
    if (!row || !row.purpose || row.detachedAt) return notFound(res);

    const headers: Record<string, string> = {
      "content-type": FORMAT_CONTENT_TYPES[ref.format],
      // helmet's default (same-origin) would stop <img> on the web app's own origin and on partners'.
      "cross-origin-resource-policy": "cross-origin",
    };
    if (row.purpose === "MESSAGE") {
      const exp = url.searchParams.get("exp");
      if (!deps.signer.verify(ref, exp, url.searchParams.get("sig"))) {
        return sendCode(res, 403, "FORBIDDEN", "Linkul imaginii a expirat sau nu este valid; cere din nou conversația.", { "cache-control": "no-store" });
      }
      const left = Math.max(0, Number(exp) - Math.floor(Date.now() / 1000));
      headers["cache-control"] = `private, max-age=${left}`;
    } else {
      headers["cache-control"] = PUBLIC_CACHE;
      // Public pixels: a web app may also draw them on a canvas or fetch() them.
      headers["access-control-allow-origin"] = "*";
    }

    const key = mediaKey(row.contentHash, `${ref.size.toLowerCase()}.${FORMAT_EXTENSIONS[ref.format]}`);
    // The same bytes for a key forever; not the hash itself, which would tell two uploads are the same photo.
    const etag = `"${crypto.createHash("sha256").update(key).digest("base64url").slice(0, 27)}"`;
    headers.etag = etag;
    if (matches(req.headers["if-none-match"], etag)) {
      res.writeHead(304, headers);
      return void res.end();
    }
    // One read of the store: a GET opens the file (its size comes with it), a HEAD only stats it.
    const file = req.method === "GET" ? await deps.store.get(key) : await deps.store.stat(key);
    if (!file) return notFound(res);
    headers["content-length"] = String(file.size);
    res.writeHead(200, headers);
    if (!("body" in file)) return void res.end();
    await pipeline(file.body, res).catch(() => res.destroy());
  };
}

/** If-None-Match: "*" or a list of (possibly weak) tags; weak comparison, as RFC 9110 asks for it. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}
