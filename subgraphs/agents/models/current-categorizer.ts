/**
 * The category classifier an API process answers from: the newest stored model, loaded at start or
 * first use (trained then, in a worker thread, when none was ever stored), and replaced in the
 * background when a newer one appears (the categorizer agent trains in whichever process works its
 * queue).
 */
import type { PrismaClient } from "../../../lib/db/database.ts";
import type { Logger } from "../../../lib/logger.ts";
import { newestModel, newestModelId, trainAndStore, trainingData, type StoredModel } from "./categorizer-store.ts";
import { CategoryClassifier } from "./classifier.ts";
import { trainAndMeasure } from "./training.ts";

/** How stale the model may be: a newer one is looked for at most this often, never on a request's path. */
const REFRESH_MS = 5_000;

export class CurrentCategorizer {
  private current?: { id: string; classifier: CategoryClassifier };
  private first?: Promise<void>;
  private refreshing = false;
  private checkedAt = 0;
  /** Ends a first training still under way when the subgraph stops. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly log: Logger,
  ) {}

  /**
   * Loads the stored model, if any, so the first suggestion need not wait for it. Training one when
   * there is none waits for the first suggestion: most starts (tests, workers' peers) never need it.
   */
  warm(): void {
    void this.refresh();
  }

  async classifier(): Promise<CategoryClassifier> {
    if (!this.current) await this.firstModel();
    else if (Date.now() - this.checkedAt > REFRESH_MS) void this.refresh();
    return this.current!.classifier;
  }

  /**
   * The stored model; when none was ever stored, one learnt from the category names alone (a few
   * milliseconds) answers while the first real one trains in a worker thread.
   */
  private firstModel(): Promise<void> {
    this.first ??= (async () => {
      const stored = await newestModel(this.prisma);
      if (stored) return this.use(stored);
      const { categories } = await trainingData(this.prisma, undefined, { listings: false });
      this.current ??= { id: "", classifier: trainAndMeasure([], categories).classifier };
      void trainAndStore(this.prisma, this.stopping.signal).then(
        (model) => this.use(model),
        (error: unknown) => this.stopping.signal.aborted || this.log.error({ err: error }, "categorizer: training the first model failed"),
      );
    })().catch((error: unknown) => {
      this.first = undefined;
      throw error;
    });
    return this.first;
  }

  stop(): void {
    this.stopping.abort(new Error("the agents subgraph is stopping"));
  }

  private async refresh(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    this.checkedAt = Date.now();
    try {
      if ((await newestModelId(this.prisma)) === this.current?.id) return;
      const stored = await newestModel(this.prisma);
      if (stored) this.use(stored);
    } catch (error) {
      this.log.warn({ err: error }, "categorizer: looking for a newer model failed");
    } finally {
      this.refreshing = false;
    }
  }

  private use(stored: StoredModel): void {
    this.current = { id: stored.id, classifier: CategoryClassifier.fromJSON(stored.data) };
    this.checkedAt = Date.now();
    this.log.info({ modelId: stored.id, metrics: stored.metrics }, "categorizer: model loaded");
  }
}
