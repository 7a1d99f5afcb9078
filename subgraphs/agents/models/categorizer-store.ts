/**
 * Where category classifiers come from and go: the active listings they learn from, and the
 * AgentModel rows that carry a trained model from whichever process trained it (the categorizer
 * agent's worker, or the API at first use) to every process that answers suggestCategory.
 */
import type { PrismaClient } from "../../../lib/db/database.ts";
import type { Prisma } from "../../../prisma/generated/client.ts";
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

/** Active listings of leaf categories, in pages (keyset on id), with the leaves' names. */
export async function trainingData(
  prisma: PrismaClient,
  signal?: AbortSignal,
  { listings: withListings = true } = {},
): Promise<{ listings: LabelledText[]; categories: CategoryName[] }> {
  const tree = await categoryTree(prisma);
  const leaves = tree.leaves();
  const leafIds = leaves.map((c) => c.id);
  const listings: LabelledText[] = [];
  for (let after: string | undefined; withListings; ) {
    signal?.throwIfAborted();
    const page = await prisma.listing.findMany({
      where: { status: "ACTIVE", categoryId: { in: leafIds }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, categoryId: true, title: true, description: true },
      orderBy: { id: "asc" },
      take: PAGE,
    });
    listings.push(...page);
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  return { listings, categories: leaves.map((c) => ({ id: c.id, names: tree.names(c.id) })) };
}

/** Reads the listings, trains in a worker thread, stores the model: the newest one from now on. */
export async function trainAndStore(prisma: PrismaClient, signal?: AbortSignal, progress?: (line: string) => Promise<void>): Promise<StoredModel> {
  const { listings, categories } = await trainingData(prisma, signal);
  await progress?.(`training on ${listings.length} active listings in ${categories.length} categories`);
  const { model, metrics } = await trainInThread(listings, categories, signal);
  const row = await prisma.agentModel.create({ data: { kind: MODEL_KIND, data: model, metrics: metrics as unknown as Prisma.InputJsonValue } });
  const older = await prisma.agentModel.findMany({ where: { kind: MODEL_KIND }, select: { id: true }, orderBy: { createdAt: "desc" }, skip: KEEP });
  if (older.length) await prisma.agentModel.deleteMany({ where: { id: { in: older.map((o) => o.id) } } });
  return { ...row, metrics };
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
