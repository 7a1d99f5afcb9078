/** A worker thread that trains one category classifier (training.ts) and posts the result back. */
import { parentPort, workerData } from "node:worker_threads";
import type { LabelledText } from "./classifier.ts";
import { trainAndMeasure, type CategoryName, type TrainingResult } from "./training.ts";

const { listings, categories } = workerData as { listings: LabelledText[]; categories: CategoryName[] };
const { classifier, metrics } = trainAndMeasure(listings, categories);
parentPort!.postMessage({ model: classifier.toJSON(), metrics } satisfies TrainingResult);
