/**
 * Saved searches and their alerts: what a user keeps, what was found for it, and the live stream of
 * new matches (alerts.ts finds them). A saved search is checked as `search` checks its arguments.
 */
import type { Viewer } from "../../lib/context.ts";
import type { PrismaClient } from "../../lib/db/database.ts";
import { dateKey, keysetOrder, keysetPage } from "../../lib/db/keyset.ts";
import { badInput, notFound } from "../../lib/errors.ts";
import type { Connection, PageArgs } from "../../lib/graphql/pagination.ts";
import { isUuid } from "../../lib/ids.ts";
import type { PubSub } from "../../lib/pubsub.ts";
import type { Prisma, SavedSearch, SearchAlert } from "../../prisma/generated/client.ts";
import type { CatalogFacts } from "./catalog-facts.ts";
import { checkFilter, type SearchFilterInput } from "./search-filter.ts";
import { parseQuery } from "./search-query.ts";

export const MAX_SAVED_SEARCHES = 50;
const MAX_NAME_LENGTH = 60;

/** A saved search's new matches, on its owner's channel. */
export interface MatchEvent {
  savedSearchId: string;
  listingIds: string[];
}

export const matchChannel = (userId: string) => `search:user:${userId}:matches`;

export type AlertConnection = Connection<SearchAlert> & { unseenCount: () => Promise<number> };

export class SavedSearchService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly catalog: CatalogFacts,
    private readonly pubsub: PubSub,
    private readonly eurRonRate: number,
  ) {}

  async save(viewer: Viewer, rawName: string, query: string | null | undefined, filter: SearchFilterInput | null | undefined): Promise<SavedSearch> {
    const name = rawName.trim();
    if (name.length < 1 || name.length > MAX_NAME_LENGTH) {
      throw badInput({ ro: `Numele are între 1 și ${MAX_NAME_LENGTH} de caractere.`, en: `The name has 1 to ${MAX_NAME_LENGTH} characters.` }, "name", name ? "TOO_LONG" : "REQUIRED");
    }
    parseQuery(query);
    const { where } = await checkFilter(filter ?? {}, this.catalog, this.eurRonRate);
    if ((await this.prisma.savedSearch.count({ where: { userId: viewer.userId } })) >= MAX_SAVED_SEARCHES) {
      throw badInput({ ro: `Poți păstra cel mult ${MAX_SAVED_SEARCHES} de căutări: șterge una.`, en: `You can keep at most ${MAX_SAVED_SEARCHES} searches: delete one.` }, "", "NOT_ALLOWED");
    }
    return this.prisma.savedSearch.create({
      data: { userId: viewer.userId, name, query: query?.trim() || null, filter: (filter ?? {}) as Prisma.InputJsonObject, categoryId: where.categoryId ?? null },
    });
  }

  list(viewer: Viewer): Promise<SavedSearch[]> {
    return this.prisma.savedSearch.findMany({ where: { userId: viewer.userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: MAX_SAVED_SEARCHES });
  }

  /** Someone else's search is NOT_FOUND, as one that does not exist. */
  async delete(viewer: Viewer, id: string): Promise<string> {
    const { count } = isUuid(id) ? await this.prisma.savedSearch.deleteMany({ where: { id, userId: viewer.userId } }) : { count: 0 };
    if (count === 0) throw notFound("Căutarea salvată");
    return id;
  }

  async alerts(viewer: Viewer, page: PageArgs): Promise<AlertConnection> {
    const connection = await keysetPage(ALERT_ORDER, { userId: viewer.userId }, page, this.prisma.searchAlert);
    return { ...connection, unseenCount: () => this.prisma.searchAlert.count({ where: { userId: viewer.userId, seenAt: null } }) };
  }

  async markSeen(viewer: Viewer): Promise<number> {
    const { count } = await this.prisma.searchAlert.updateMany({ where: { userId: viewer.userId, seenAt: null }, data: { seenAt: new Date() } });
    return count;
  }

  matchEvents(viewer: Viewer): AsyncIterableIterator<MatchEvent> {
    return this.pubsub.subscribe(matchChannel(viewer.userId));
  }
}

const ALERT_ORDER = keysetOrder("createdAt", "desc", (a: SearchAlert) => a.createdAt, dateKey);
