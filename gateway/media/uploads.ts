/**
 * POST /uploads: one photo, multipart/form-data, bearer token. The body is streamed (busboy) into a
 * file of the spool (lib/media/spool.ts) and refused the moment it passes MEDIA_MAX_UPLOAD_BYTES; the
 * photo process (lib/media/processing.ts) reads that file, decides what it is (never the name or
 * Content-Type) and writes the variants beside it; then the store takes the files and the row is
 * written, and the answer is { id, width, height } (201). Only file names cross between processes: a
 * photo's bytes never sit in this process's heap. A refusal stores nothing, and the spool folder is
 * removed before any answer.
 */
import fs from "node:fs";
import type http from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import type { GraphQLError } from "graphql";
import { badInput, unauthenticated, type InputReason } from "../../lib/errors.ts";
import { localized, type Localized } from "../../lib/i18n.ts";
import type { Logger } from "../../lib/logger.ts";
import type { MediaLibrary } from "../../lib/media/library.ts";
import { MediaProcessorCrashed, MediaQueueFull, type MediaProcessor } from "../../lib/media/processing.ts";
import type { Spool } from "../../lib/media/spool.ts";
import type { RefusalReason } from "../../lib/media/variants.mjs";
import type { Limiter } from "../../lib/rate-limit.ts";
import type { Authentication } from "../plugins/auth.ts";
import type { HeapRoom } from "./heap-room.ts";
import { sendCode, sendError } from "./respond.ts";

export interface UploadDeps {
  maxBytes: number;
  maxInputPixels: number;
  authenticate(authorization: string | undefined): Promise<Authentication>;
  limiter: Limiter;
  processor: MediaProcessor;
  spool: Spool;
  library: MediaLibrary;
  /** Room in the heap for the body's buffers while the upload is open (gateway/media/heap-room.ts). */
  heapRoom: HeapRoom;
  log: Logger;
}

/** How long the rest of a refused upload's body is read (and discarded) before the answer, at most. */
const DRAIN_MS = 60_000;
/** Seconds a client waits after a 503 (a 12 MP photo takes about a second per worker). */
const BUSY_RETRY_AFTER = 5;

/** What multipart framing may add to a file within the limit. */
const MULTIPART_OVERHEAD = 64 * 1024;
const FIELD = "file";
const TYPES = "JPEG, PNG, WebP, AVIF, HEIF sau GIF";

const REFUSALS: Record<RefusalReason, { status: number; reason: InputReason; message: (maxPixels: number) => Localized }> = {
  NOT_AN_IMAGE: { status: 415, reason: "INVALID_FORMAT", message: () => localized(`Fișierul nu este o imagine (se acceptă ${TYPES}).`, "The file is not an image (JPEG, PNG, WebP, AVIF, HEIF or GIF are accepted).") },
  SVG: { status: 415, reason: "INVALID_FORMAT", message: () => localized(`Imaginile SVG nu sunt acceptate (se acceptă ${TYPES}).`, "SVG images are not accepted (JPEG, PNG, WebP, AVIF, HEIF or GIF are).") },
  UNSUPPORTED_FORMAT: { status: 415, reason: "INVALID_FORMAT", message: () => localized(`Formatul imaginii nu este acceptat (se acceptă ${TYPES}).`, "The image format is not accepted (JPEG, PNG, WebP, AVIF, HEIF or GIF are).") },
  HEIC: {
    status: 415,
    reason: "INVALID_FORMAT",
    message: () =>
      localized(
        "Fotografiile HEIC nu sunt acceptate încă; trimite-o ca JPEG (pe iPhone: Setări → Cameră → Formate → Cel mai compatibil).",
        "HEIC photos are not accepted yet; send it as JPEG (on an iPhone: Settings → Camera → Formats → Most Compatible).",
      ),
  },
  TOO_MANY_PIXELS: {
    status: 400,
    reason: "OUT_OF_RANGE",
    message: (max) => localized(`Imaginea are prea mulți pixeli (cel mult ${Math.floor(max / 1e6)} megapixeli).`, `The image has too many pixels (at most ${Math.floor(max / 1e6)} megapixels).`),
  },
  CORRUPT: { status: 400, reason: "INVALID", message: () => localized("Imaginea este deteriorată sau incompletă; încearcă din nou.", "The image is damaged or incomplete; try again.") },
};

export function createUploadHandler(deps: UploadDeps) {
  // Uploads received, waiting or being processed: at most the processor's capacity, each ≤ maxBytes in memory.
  let inFlight = 0;
  const megabytes = Math.round(deps.maxBytes / (1024 * 1024));

  return async function handleUpload(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== "POST") return sendCode(res, 405, "BAD_REQUEST", "Încărcarea se face cu POST.", { allow: "POST" });
    // Every body read (a refused one is read to its end too) until the answer is done or the client gone.
    deps.heapRoom.enter();
    res.once("close", () => deps.heapRoom.leave());
    /**
     * Answers a refusal; nothing of the body is kept. A body within the size limit is read to its end
     * (and thrown away) first: answered while the client was still sending, the connection's close
     * reached it as a failed write (EPIPE, seen in bench:images under a full queue), not as the
     * answer, so an app could not read Retry-After. A larger body is answered at once, and closed.
     */
    const refuse = (answer: (headers: Record<string, string>) => void) => {
      if (req.complete) return answer({});
      req.unpipe();
      req.resume();
      const declared = Number(req.headers["content-length"]);
      if (!Number.isFinite(declared) || declared > deps.maxBytes + MULTIPART_OVERHEAD) {
        const timer = setTimeout(() => req.destroy(), 2_000);
        timer.unref();
        req.once("end", () => clearTimeout(timer));
        return answer({ connection: "close" });
      }
      const timer = setTimeout(() => req.destroy(), DRAIN_MS);
      timer.unref();
      req.once("end", () => {
        clearTimeout(timer);
        answer({});
      });
    };
    const refuseError = (status: number, error: GraphQLError) => refuse((headers) => sendError(req, res, status, error, headers));
    const refuseTooLarge = () => refuse((headers) => sendCode(res, 413, "PAYLOAD_TOO_LARGE", `Fotografia depășește ${megabytes} MB.`, headers));
    const refuseUnavailable = (message: string) =>
      refuse((headers) =>
        sendCode(res, 503, "SERVICE_UNAVAILABLE", `${message}; încearcă din nou peste ${BUSY_RETRY_AFTER} s.`, { ...headers, "retry-after": String(BUSY_RETRY_AFTER) }, { retryAfter: BUSY_RETRY_AFTER }),
      );
    const refuseBusy = () => refuseUnavailable("Prea multe fotografii în lucru acum");
    // The photo process ended while making this upload (another photo may have crashed it): nothing is
    // stored, and the next upload gets a new process.
    const refuseInterrupted = () => refuseUnavailable("Prelucrarea fotografiei s-a întrerupt");

    const { viewer, failure } = await deps.authenticate(req.headers.authorization);
    if (failure) return refuseError(401, failure);
    if (!viewer) return refuseError(401, unauthenticated("Trebuie să fii autentificat ca să încarci o fotografie."));
    try {
      await deps.limiter.consume(`user:${viewer.userId}`);
    } catch (error) {
      return refuseError(429, error as GraphQLError);
    }
    if (!/^multipart\/form-data\s*;/i.test(req.headers["content-type"] ?? "")) {
      return refuseError(415, badInput(localized("Trimite fotografia ca multipart/form-data, în câmpul „file”.", "Send the photo as multipart/form-data, in the field “file”."), FIELD, "INVALID_FORMAT"));
    }
    // Multipart framing adds a few hundred bytes; a body declared well past the limit is refused unread.
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > deps.maxBytes + MULTIPART_OVERHEAD) return refuseTooLarge();
    if (inFlight >= deps.processor.capacity) return refuseBusy();
    const { userId } = viewer;
    inFlight++;
    let dir: string | undefined;
    let answer: () => void;
    try {
      dir = await deps.spool.make();
      answer = await accept(dir);
    } finally {
      // Before the answer: once a client has it, nothing of a refused upload is left, even in the spool.
      if (dir) await deps.spool.remove(dir).catch((error: unknown) => deps.log.warn({ err: error, dir }, "upload spool folder not removed"));
      inFlight--;
    }
    answer();

    /** The upload received into `dir`, made and stored: what to answer. */
    async function accept(dir: string): Promise<() => void> {
      const received = await receive(req, deps.maxBytes, path.join(dir, "original"));
      if (received.kind === "too-large") return refuseTooLarge;
      if (received.kind === "malformed") {
        return () => refuseError(400, badInput(localized("Cererea multipart nu poate fi citită.", "The multipart request cannot be read."), FIELD, "INVALID_FORMAT"));
      }
      if (received.kind === "files") {
        const message = localized("Trimite exact o fotografie pe cerere, în câmpul „file”.", "Send exactly one photo per request, in the field “file”.");
        return () => refuseError(400, badInput(message, FIELD, received.count ? "INVALID" : "REQUIRED"));
      }
      let result;
      try {
        result = await deps.processor.process(received.file, dir);
      } catch (error) {
        if (error instanceof MediaQueueFull) return refuseBusy;
        if (error instanceof MediaProcessorCrashed) {
          deps.log.error({ err: error, userId }, "photo process ended mid-upload");
          return refuseInterrupted;
        }
        throw error;
      }
      if ("refused" in result) {
        const refusal = REFUSALS[result.refused];
        deps.log.info({ reason: result.refused, detail: result.detail, userId }, "upload refused");
        return () => refuseError(refusal.status, badInput(refusal.message(deps.maxInputPixels), FIELD, refusal.reason));
      }
      const row = await deps.library.record(userId, result, received.bytes);
      return () => {
        res.writeHead(201, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
        res.end(JSON.stringify(row));
      };
    }
  };
}

type Received = { kind: "ok"; file: string; bytes: number } | { kind: "too-large" } | { kind: "malformed" } | { kind: "files"; count: number };

/** The one file of a multipart body, written to `file` and stopped at `maxBytes` + 1 (the rest is never read). */
function receive(req: http.IncomingMessage, maxBytes: number, file: string): Promise<Received> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 1024, parts: 25, headerPairs: 50 } });
    } catch {
      return resolve({ kind: "malformed" });
    }
    let files = 0;
    let out: fs.WriteStream | undefined;
    // The file's write, settled (never rejects): its error, if any.
    let written: Promise<Error | undefined> = Promise.resolve(undefined);
    let settled = false;
    const finish = (value: Received | Error) => {
      if (settled) return;
      settled = true;
      if (value instanceof Error) reject(value);
      else resolve(value);
    };
    /** Stops writing; `value` once the file is closed (the caller then removes its folder). */
    const stop = (value: Received) => {
      out?.destroy();
      void written.then(() => finish(value));
    };
    parser.on("file", (_name, stream) => {
      files++;
      if (files > 1) return stream.resume();
      out = fs.createWriteStream(file);
      written = pipeline(stream, out).then(
        () => undefined,
        (error: Error) => error,
      );
      stream.on("limit", () => {
        req.unpipe(parser);
        stop({ kind: "too-large" });
      });
    });
    parser.on("filesLimit", () => (files = Math.max(files, 2)));
    parser.on("error", () => stop({ kind: "malformed" }));
    parser.on("close", () => {
      if (files !== 1) return stop({ kind: "files", count: files });
      void written.then((error) => {
        if (settled) return;
        // A failed write (the disk is full) is ours, not the client's.
        if (error) return finish(error);
        finish({ kind: "ok", file, bytes: out!.bytesWritten });
      });
    });
    req.on("aborted", () => stop({ kind: "malformed" }));
    req.pipe(parser);
  });
}
