/**
 * Who a listing view belongs to, for counting at most one view per viewer, listing and day.
 */
import crypto from "node:crypto";

/** ListingView rows are kept this many days (the current day's rows are all the counting needs). */
export const VIEW_RETENTION_DAYS = 3;

const DAY_MS = 86_400_000;

/** The UTC calendar day of a moment, "YYYY-MM-DD": the unit of "one view a day". */
export function viewDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The first day whose views are kept; older rows are purged. */
export function viewRetentionStart(now: Date): Date {
  return new Date(`${viewDay(new Date(now.getTime() - VIEW_RETENTION_DAYS * DAY_MS))}T00:00:00.000Z`);
}

/**
 * A signed-in viewer is their user id. An anonymous one is their IP address, which is personal data:
 * only a hash of it together with the day is stored, so the table holds no address, and the same
 * address gives unrelated keys on different days (no tracking of a visitor across days). Every
 * process computes the same key without a shared secret. This is pseudonymisation, not anonymity (the
 * IPv4 space can be enumerated), which is why the rows are purged after VIEW_RETENTION_DAYS.
 * Requests that arrive without an address share one key, so together they count once a day.
 */
export function viewerKey(userId: string | null | undefined, clientIp: string | null | undefined, day: string): string {
  if (userId) return `user:${userId}`;
  const digest = crypto.createHash("sha256").update(`${clientIp ?? "unknown"}|${day}`).digest("hex");
  return `ip:${digest}`;
}
