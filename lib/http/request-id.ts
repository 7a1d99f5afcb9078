import crypto from "node:crypto";

/** The caller's x-request-id when it is a sane token (so logs can be joined across services), else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w-]{1,64}$/.test(value) ? value : crypto.randomUUID();
}
