/**
 * Where category classifiers come from and go: the active listings they learn from, and the
 * AgentModel rows that carry a trained model from whichever process trained it (the categorizer
 * agent's worker, or the API at first use) to every process that answers suggestCategory.
 */
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../../lib/db/database.ts";
import { sqlSource, type Sql } from "../runtime/sql.ts";
import { categoryTree } from "./categories.ts";
import type { LabelledText } from "./classifier.ts";
import { trainInThread, type CategoryName, type TrainingMetrics } from "./training.ts";

export const MODEL_KIND = "categorizer";
/** Models kept: the newest serves, the older few show how accuracy moved. */
const KEEP = 5;
const PAGE = 5_000;

export interface StoredModel {
  id: string;
  data: string;
  metrics: TrainingMetrics;
  createdAt: Date;
}

/**
 * Active listings of leaf categories, in pages (keyset on id), with the leaves' names. In plain SQL
 * (runtime/sql.ts) like the rest of this file: the categorizer's daily run in a worker process then
 * never loads Prisma's query compiler.
 */
export async function trainingData(
  source: PrismaClient | Sql,
  signal?: AbortSignal,
  { listings: withListings = true } = {},
): Promise<{ listings: LabelledText[]; categories: CategoryName[] }> {
  const sql = sqlSource(source);
  const tree = await categoryTree(sql);
  const leaves = tree.leaves();
  const leafIds = leaves.map((c) => c.id);
  const listings: LabelledText[] = [];
  for (let after: string | null = null; withListings; ) {
    signal?.throwIfAborted();
    const page: LabelledText[] = await sql<LabelledText>(
      `SELECT id, "categoryId", title, description FROM "Listing"
        WHERE status = 'ACTIVE' AND "categoryId" = ANY($1::int[]) AND ($2::uuid IS NULL OR id > $2::uuid)
        ORDER BY id ASC LIMIT $3::int`,
      [leafIds, after, PAGE],
    );
    listings.push(...page.map(({ id, categoryId, title, description }) => ({ id, categoryId: Number(categoryId), title, description })));
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  return { listings, categories: leaves.map((c) => ({ id: c.id, names: tree.names(c.id) })) };
}

/** Reads the listings, trains in a worker thread, stores the model: the newest one from now on. */
export async function trainAndStore(source: PrismaClient | Sql, signal?: AbortSignal, progress?: (line: string) => Promise<void>): Promise<StoredModel> {
  const sql = sqlSource(source);
  const { listings, categories } = await trainingData(sql, signal);
  await progress?.(`training on ${listings.length} active listings in ${categories.length} categories`);
  const { model, metrics } = await trainInThread(listings, categories, signal);
  const [row] = await sql<{ id: string; createdAt: Date | string }>(
    `INSERT INTO "AgentModel" (id, kind, data, metrics, "createdAt") VALUES ($1::uuid, $2::text, $3::text, $4::jsonb, $5::timestamptz) RETURNING id, "createdAt"`,
    [randomUUID(), MODEL_KIND, model, JSON.stringify(metrics), new Date().toISOString()],
  );
  await sql(
    `DELETE FROM "AgentModel" WHERE id IN (SELECT id FROM "AgentModel" WHERE kind = $1::text ORDER BY "createdAt" DESC OFFSET $2::int)`,
    [MODEL_KIND, KEEP],
  );
  return { id: row!.id, data: model, metrics, createdAt: new Date(row!.createdAt) };
}

/** In plain SQL (runtime/sql.ts): the moderator asks it in worker processes that never load Prisma's query compiler. */
export async function newestModelId(source: PrismaClient | Sql): Promise<string | null> {
  const [row] = await sqlSource(source)<{ id: string }>(`SELECT id FROM "AgentModel" WHERE kind = $1 ORDER BY "createdAt" DESC LIMIT 1`, [MODEL_KIND]);
  return row?.id ?? null;
}

export async function newestModel(source: PrismaClient | Sql): Promise<StoredModel | null> {
  const [row] = await sqlSource(source)<StoredModel>(`SELECT id, data, metrics, "createdAt" FROM "AgentModel" WHERE kind = $1 ORDER BY "createdAt" DESC LIMIT 1`, [MODEL_KIND]);
  return row ? { ...row, createdAt: new Date(row.createdAt) } : null;
}
