/**
 * Saved-search alerts. The index trigger queues every listing that becomes findable or changes while
 * findable ("SearchChange", in the listing's own transaction); this matcher takes the queue in batches,
 * runs each candidate saved search (same category subtree, someone else's) on the batch's listings,
 * stores one alert per search and listing (a unique key: never twice) and publishes one event per
 * search with all its new listings. Every search process runs one; SKIP LOCKED shares the queue.
 */
import type { PrismaClient } from "../../lib/db/database.ts";
import type { Logger } from "../../lib/logger.ts";
import type { PubSub } from "../../lib/pubsub.ts";
import type { CatalogFacts } from "./catalog-facts.ts";
import { matchChannel, type MatchEvent } from "./saved-searches.ts";
import { checkFilter, type SearchFilterInput } from "./search-filter.ts";
import { parseQuery } from "./search-query.ts";
import { alertCandidates, claimChanges, compileText, matchingListings, requeueChanges, viaPrisma, type AlertCandidate, type SearchSpec } from "./search-sql.ts";

export interface AlertSettings {
  intervalMs: number;
  eurRonRate: number;
}

const BATCH = 200;

export class AlertMatcher {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly catalog: CatalogFacts,
    private readonly pubsub: PubSub,
    private readonly log: Logger,
    private readonly settings: AlertSettings,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.drain(), this.settings.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Every queued change, batch after batch; one drain at a time per process. */
  drain(): Promise<void> {
    this.running ??= (async () => {
      try {
        while ((await this.matchBatch()) === BATCH);
      } catch (error) {
        this.log.error({ err: error }, "search alerts: queue not read");
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async matchBatch(): Promise<number> {
    const listingIds = await claimChanges(this.prisma, BATCH);
    if (listingIds.length === 0) return 0;
    try {
      for (const candidate of await alertCandidates(this.prisma, listingIds)) await this.matchSearch(candidate);
    } catch (error) {
      this.log.error({ err: error, listings: listingIds.length }, "search alerts: batch failed, queued again");
      await requeueChanges(this.prisma, listingIds);
    }
    return listingIds.length;
  }

  private async matchSearch(candidate: AlertCandidate): Promise<void> {
    let spec: SearchSpec;
    try {
      const { where } = await checkFilter(candidate.filter as SearchFilterInput, this.catalog, this.settings.eurRonRate);
      const text = parseQuery(candidate.query);
      spec = { text: text && (await compileText(viaPrisma(this.prisma), text)), where: { ...where, listingIds: candidate.listingIds }, distances: null };
    } catch (error) {
      // The catalog changed under a saved filter (a category or attribute gone): it finds nothing now.
      this.log.warn({ err: error, savedSearchId: candidate.id }, "search alerts: saved search no longer valid");
      return;
    }
    const matched = await matchingListings(this.prisma, spec);
    if (matched.length === 0) return;
    const created = await this.prisma.searchAlert.createManyAndReturn({
      data: matched.map((listingId) => ({ savedSearchId: candidate.id, userId: candidate.userId, listingId })),
      skipDuplicates: true,
      select: { listingId: true },
    });
    if (created.length === 0) return;
    const event: MatchEvent = { savedSearchId: candidate.id, listingIds: created.map((a) => a.listingId) };
    await this.pubsub.publish(matchChannel(candidate.userId), event).catch((error: unknown) => {
      this.log.error({ err: error }, "search alerts: event not published (the alerts are stored)");
    });
  }
}
