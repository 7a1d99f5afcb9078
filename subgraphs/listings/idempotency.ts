/**
 * Idempotency keys for mutations that create something (a listing, a report). A client generates one
 * key per user action and sends it again on a retry (a timeout, a lost response); the retry returns the
 * first result instead of acting twice. Keys are scoped to a user and an operation and live 24 hours.
 */
import crypto from "node:crypto";
import { badInput, conflict } from "../../lib/errors.ts";
import type { PrismaClient } from "../../lib/db/database.ts";
import type { Prisma } from "../../prisma/generated/client.ts";

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

const KEY_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

export function parseIdempotencyKey(key: string): string {
  if (!KEY_PATTERN.test(key)) {
    throw badInput("Cheia de idempotență are 8–128 caractere: litere, cifre, „-” și „_” (de exemplu un UUID).", "idempotencyKey");
  }
  return key;
}

/** JSON with object keys sorted at every level, so the same input always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(",")}]`;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export function inputHash(input: unknown): string {
  return crypto.createHash("sha256").update(canonicalJson(input)).digest("hex");
}

export interface IdempotentCall<T> {
  userId: string;
  operation: string;
  key: string | null | undefined;
  /** What the key stands for: the same key with another input is a conflict. */
  input: unknown;
  /**
   * Does the work, creating its result under the id given. With a key it runs inside the transaction
   * that records the key, so it must use `db` for every statement (on PGlite another connection would
   * wait for this transaction's lock).
   */
  act(db: Prisma.TransactionClient, id: string): Promise<T>;
  /** The result of an earlier call, as it is now. */
  load(id: string): Promise<T | null>;
}

/** Thrown inside the transaction when a concurrent request with the same key recorded it first. */
class KeyTaken extends Error {}

export class IdempotentRequests {
  constructor(private readonly prisma: PrismaClient) {}

  async run<T>(call: IdempotentCall<T>): Promise<T> {
    if (call.key == null) return call.act(this.prisma, crypto.randomUUID());
    const where = { userId: call.userId, operation: call.operation, key: parseIdempotencyKey(call.key) };
    const hash = inputHash(call.input);
    const earlier = await this.find(where);
    if (earlier) return this.replay(earlier, hash, call);
    try {
      return await this.prisma.$transaction(async (tx) => {
        const id = crypto.randomUUID();
        // The key is claimed before the work: on PostgreSQL a concurrent claim of the same key waits on
        // the primary key until this transaction ends, then inserts nothing; on PGlite transactions run
        // one at a time. Either way exactly one request does the work.
        const { count } = await tx.idempotentRequest.createMany({
          data: [{ ...where, inputHash: hash, resultId: id }],
          skipDuplicates: true,
        });
        if (count === 0) throw new KeyTaken();
        return call.act(tx, id);
      });
    } catch (error) {
      if (!(error instanceof KeyTaken)) throw error;
      const winner = await this.find(where);
      if (!winner) throw conflict("O cerere cu aceeași cheie de idempotență tocmai s-a încheiat; încearcă din nou.");
      return this.replay(winner, hash, call);
    }
  }

  /** Deletes keys past their 24 hours (lookups already ignore them). */
  async purge(now = new Date()): Promise<number> {
    const { count } = await this.prisma.idempotentRequest.deleteMany({ where: { createdAt: { lte: expiry(now) } } });
    return count;
  }

  /** The live record of a key; an expired one is deleted so that the key can be claimed again. */
  private async find(where: Prisma.IdempotentRequestUserIdOperationKeyCompoundUniqueInput) {
    const found = await this.prisma.idempotentRequest.findUnique({ where: { userId_operation_key: where } });
    if (!found || found.createdAt > expiry(new Date())) return found;
    await this.prisma.idempotentRequest.deleteMany({ where: { ...where, createdAt: found.createdAt } });
    return null;
  }

  private async replay<T>(earlier: { inputHash: string; resultId: string }, hash: string, call: IdempotentCall<T>): Promise<T> {
    if (earlier.inputHash !== hash) {
      throw conflict("Cheia de idempotență a fost folosită deja pentru o altă cerere; generează o cheie nouă pentru fiecare acțiune.");
    }
    const result = await call.load(earlier.resultId);
    if (!result) throw conflict("Rezultatul cererii inițiale nu mai există; trimite cererea cu o cheie nouă.");
    return result;
  }
}

function expiry(now: Date): Date {
  return new Date(now.getTime() - IDEMPOTENCY_TTL_MS);
}
