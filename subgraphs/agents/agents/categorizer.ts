/**
 * categorizer: trains the category classifier (naive Bayes over title and description words, leaf
 * categories as labels) on the active listings, in a worker thread, and stores it: suggestCategory
 * answers from the newest model in every API process. Daily, and on demand. Its output reports the
 * model's top-1 and top-3 accuracy on the held-out ~20 % of listings (split by a hash of their id).
 */
import { z } from "zod";
import { defineAgent } from "../runtime/contract.ts";
import { newestModel, trainAndStore } from "../models/categorizer-store.ts";
import { sqlFor } from "../runtime/sql.ts";

export const agent = defineAgent({
  name: "categorizer",
  description:
    "Trains the category classifier on the active listings (title and description words, leaf categories as labels) and stores it for suggestCategory; reports top-1 and top-3 accuracy on a held-out split.",
  input: z.object({}),
  schedule: "17 3 * * *",
  timeoutSeconds: 1_800,
  retries: 1,
  concurrency: 1,
  async run(_task, { db, signal, progress }) {
    // Plain SQL (runtime/sql.ts): its daily run in a worker never loads Prisma's query compiler.
    const model = await trainAndStore(sqlFor(db), signal, progress);
    const { heldOut } = model.metrics;
    await progress(`held out ${heldOut.examples}: top-1 ${percent(heldOut.top1)}, top-3 ${percent(heldOut.top3)}`);
    return { status: "success", output: { modelId: model.id, trainedAt: model.createdAt.toISOString(), ...model.metrics } };
  },
  async health({ db }) {
    const model = await newestModel(sqlFor(db));
    if (!model) return { ok: true, detail: "no model yet: the first suggestion trains one" };
    const { heldOut, trainedOn } = model.metrics;
    return { ok: true, detail: `model of ${model.createdAt.toISOString()}: ${trainedOn} listings, top-1 ${percent(heldOut.top1)}, top-3 ${percent(heldOut.top3)}` };
  },
});

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
