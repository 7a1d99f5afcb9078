/**
 * Training the category classifier: the listings split by a hash of their id, a model trained on the
 * rest and measured on the held-out ~20 %. `trainAndMeasure` is the CPU-heavy part; `trainInThread`
 * runs it in a worker thread, off the event loop of whichever process asked (the API's, a worker's).
 */
import { Worker } from "node:worker_threads";
import { accuracy, CategoryClassifier, isHeldOut, type Accuracy, type LabelledText } from "./classifier.ts";

/** A leaf category by its names: learnt as one more example, so every category has one. */
export interface CategoryName {
  id: number;
  /** The leaf's name and its ancestors', e.g. "Autoturisme Auto, moto și ambarcațiuni". */
  names: string;
}

export interface TrainingResult {
  /** The model as JSON (CategoryClassifier.fromJSON). */
  model: string;
  metrics: TrainingMetrics;
}

export interface TrainingMetrics {
  /** Listings learnt from (the held-out ones are not). */
  trainedOn: number;
  heldOut: Accuracy;
  categories: number;
  vocabulary: number;
  trainingMs: number;
}

export function trainAndMeasure(listings: readonly LabelledText[], categories: readonly CategoryName[]): { classifier: CategoryClassifier; metrics: TrainingMetrics } {
  const started = performance.now();
  const training: Pick<LabelledText, "categoryId" | "title" | "description">[] = categories.map((c) => ({ categoryId: c.id, title: c.names, description: "" }));
  const heldOut: LabelledText[] = [];
  for (const listing of listings) (isHeldOut(listing.id) ? heldOut : training).push(listing);
  const classifier = CategoryClassifier.train(training);
  const trainingMs = Math.round(performance.now() - started);
  return {
    classifier,
    metrics: {
      trainedOn: training.length - categories.length,
      heldOut: accuracy(classifier, heldOut),
      categories: new Set(training.map((t) => t.categoryId)).size,
      vocabulary: classifier.vocabulary,
      trainingMs,
    },
  };
}

/** The thread's entry: TypeScript under tsx (development, tests), JavaScript once built. */
const THREAD = new URL(`./training-thread${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);

/**
 * The thread's young generation held at 2 MB (V8's grows to 32): the thread's memory adds to its
 * process's peak (an agent worker's, when the categorizer trains during a burst of moderator runs).
 * Measured on 1,718 listings: the process's peak +23.4 → +17.5 MB, training CPU unchanged (1.97 s).
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 2 };

function startThread(workerData: unknown): Worker {
  if (!THREAD.pathname.endsWith(".ts")) return new Worker(THREAD, { workerData, resourceLimits: RESOURCE_LIMITS });
  // Node 20 gives a worker's entry no --import hooks, so a TypeScript thread registers tsx itself.
  const tsx = JSON.stringify(import.meta.resolve("tsx/esm/api"));
  return new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${JSON.stringify(THREAD.href)}); })`, { eval: true, workerData, resourceLimits: RESOURCE_LIMITS });
}

/** trainAndMeasure in a worker thread; the signal terminates it. */
export async function trainInThread(listings: readonly LabelledText[], categories: readonly CategoryName[], signal?: AbortSignal): Promise<TrainingResult> {
  signal?.throwIfAborted();
  const worker = startThread({ listings, categories });
  let abort = () => {};
  try {
    return await new Promise<TrainingResult>((resolve, reject) => {
      abort = () => reject(signal!.reason);
      signal?.addEventListener("abort", abort, { once: true });
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`the training thread exited (${code}) without a model`)));
    });
  } finally {
    signal?.removeEventListener("abort", abort);
    await worker.terminate();
  }
}
