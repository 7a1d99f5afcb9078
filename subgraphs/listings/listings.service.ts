/**
 * Listing rules: who may do what, the lifecycle, browsing. No GraphQL here beyond the typed errors.
 */
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { isAdmin, type Viewer } from "../../lib/context.ts";
import type { PrismaClient } from "../../lib/db/database.ts";
import { badInput, conflict, forbidden, fromZodError, notFound } from "../../lib/errors.ts";
import { dateKey, keysetOrder, keysetPage } from "../../lib/db/keyset.ts";
import { toConnection, type Connection, type PageArgs } from "../../lib/graphql/pagination.ts";
import { isUuid } from "../../lib/ids.ts";
import type { Favorite, Listing, ListingReport, Prisma } from "../../prisma/generated/client.ts";
import type { Catalog } from "./catalog/catalog.ts";
import { filterWhere, LISTING_ORDERS, type ListingFilterInput, type Sort } from "./browse.ts";
import { toListingData } from "./listing-input.ts";
import { LIST_OMIT, type ListingRow } from "./listing-row.ts";

type Status = Listing["status"];

const PUBLIC_STATUSES: readonly Status[] = ["ACTIVE", "SOLD", "EXPIRED"];
const DAY_MS = 86_400_000;

export interface ListingsSettings {
  listingTtlDays: number;
  eurRonRate: number;
}

/** Browse totals are cached this long; writes made through this process clear them at once. */
const BROWSE_COUNT_TTL_MS = 10_000;

export class ListingsService {
  /**
   * totalCount of a browse filter is a COUNT over every matching active listing — the most expensive
   * statement of a browse page — and the same filters come back constantly. Writes in this process
   * clear the cache; writes made by another process show in the totals within BROWSE_COUNT_TTL_MS.
   */
  private readonly browseCounts = new LRUCache<string, number>({ max: 10_000, ttl: BROWSE_COUNT_TTL_MS });

  constructor(
    private readonly prisma: PrismaClient,
    private readonly catalog: Catalog,
    private readonly settings: ListingsSettings,
  ) {}

  /** What a reader sees: an ACTIVE listing past its expiry is EXPIRED even before the sweep runs. */
  effectiveStatus(listing: Pick<Listing, "status" | "expiresAt">): Status {
    return listing.status === "ACTIVE" && listing.expiresAt && listing.expiresAt <= new Date() ? "EXPIRED" : listing.status;
  }

  canSee(listing: ListingRow, viewer: Viewer | null): boolean {
    if (isAdmin(viewer)) return true;
    if (listing.status === "DELETED") return false;
    return PUBLIC_STATUSES.includes(listing.status) || listing.sellerId === viewer?.userId;
  }

  // ---- writes -------------------------------------------------------------------------------------

  async create(viewer: Viewer, input: unknown): Promise<Listing> {
    const data = toListingData(input, this.catalog, this.settings.eurRonRate);
    return this.prisma.listing.create({ data: { ...data, sellerId: viewer.userId, status: "DRAFT" } });
  }

  async update(viewer: Viewer, id: string, input: Record<string, unknown>): Promise<Listing> {
    const current = await this.owned(viewer, id);
    if (current.status === "SOLD" || current.status === "DELETED") {
      throw conflict("Un anunț vândut sau șters nu mai poate fi modificat.");
    }
    const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null));
    const merged = {
      categoryId: String(current.categoryId),
      title: current.title,
      description: current.description,
      price: { amount: current.priceAmount, currency: current.currency },
      negotiable: current.negotiable,
      condition: current.condition,
      county: current.county,
      city: current.city,
      attributes: current.attributes,
      ...given,
    };
    const data = toListingData(merged, this.catalog, this.settings.eurRonRate);
    const updated = await this.prisma.listing.updateMany({
      where: { id, updatedAt: current.updatedAt },
      data,
    });
    if (updated.count === 0) throw conflict("Anunțul a fost modificat între timp; reîncarcă-l și încearcă din nou.");
    this.browseCounts.clear();
    return this.prisma.listing.findUniqueOrThrow({ where: { id } });
  }

  publish(viewer: Viewer, id: string) {
    return this.transition(viewer, id, ["DRAFT"], "Doar o ciornă poate fi publicată; un anunț expirat se reînnoiește.", () =>
      this.activeFromNow(),
    );
  }

  renew(viewer: Viewer, id: string) {
    return this.transition(viewer, id, ["ACTIVE", "EXPIRED"], "Doar anunțurile active sau expirate pot fi reînnoite.", () =>
      this.activeFromNow(),
    );
  }

  markSold(viewer: Viewer, id: string) {
    return this.transition(viewer, id, ["ACTIVE", "EXPIRED"], "Doar un anunț activ sau expirat poate fi marcat vândut.", () => ({
      status: "SOLD",
      soldAt: new Date(),
    }));
  }

  delete(viewer: Viewer, id: string) {
    const all: Status[] = ["DRAFT", "PENDING_REVIEW", "ACTIVE", "REJECTED", "SOLD", "EXPIRED"];
    return this.transition(viewer, id, all, "Anunțul este deja șters.", () => ({ status: "DELETED", deletedAt: new Date() }));
  }

  async addFavorite(viewer: Viewer, listingId: string): Promise<Listing> {
    const listing = await this.visible(viewer, listingId);
    if (this.effectiveStatus(listing) !== "ACTIVE") throw badInput("Doar anunțurile active pot fi salvate.", "listingId");
    await this.prisma.favorite.createMany({ data: [{ userId: viewer.userId, listingId }], skipDuplicates: true });
    return listing;
  }

  async removeFavorite(viewer: Viewer, listingId: string): Promise<Listing> {
    const listing = await this.visible(viewer, listingId);
    await this.prisma.favorite.deleteMany({ where: { userId: viewer.userId, listingId } });
    return listing;
  }

  async report(viewer: Viewer, listingId: string, reason: ListingReport["reason"], rawText: string): Promise<ListingReport> {
    const listing = await this.visible(viewer, listingId);
    if (listing.sellerId === viewer.userId) throw badInput("Nu îți poți raporta propriul anunț.", "listingId");
    const text = z
      .string()
      .trim()
      .min(10, "Descrie problema în cel puțin 10 caractere.")
      .max(2000, "Textul poate avea cel mult 2.000 de caractere.")
      .safeParse(rawText);
    if (!text.success) throw fromZodError(text.error, "text");
    try {
      return await this.prisma.listingReport.create({
        data: { listingId, reporterId: viewer.userId, reason, text: text.data },
      });
    } catch (error) {
      if ((error as { code?: string }).code === "P2002") throw conflict("Ai raportat deja acest anunț.");
      throw error;
    }
  }

  async recordView(viewer: Viewer | null, id: string): Promise<Listing | null> {
    if (!isUuid(id)) return null;
    await this.prisma.listing.updateMany({
      where: { id, status: "ACTIVE", expiresAt: { gt: new Date() }, ...(viewer ? { NOT: { sellerId: viewer.userId } } : {}) },
      data: { viewCount: { increment: 1 } },
    });
    const listing = await this.prisma.listing.findUnique({ where: { id } });
    return listing && this.canSee(listing, viewer) ? listing : null;
  }

  /** Moves ACTIVE listings past their expiry to EXPIRED; readers already see them as expired. */
  async expireDue(now = new Date()): Promise<number> {
    const { count } = await this.prisma.listing.updateMany({
      where: { status: "ACTIVE", expiresAt: { lte: now } },
      data: { status: "EXPIRED" },
    });
    if (count > 0) this.browseCounts.clear();
    return count;
  }

  // ---- reads --------------------------------------------------------------------------------------

  browse(filter: ListingFilterInput | null | undefined, sort: Sort, page: PageArgs): Promise<Connection<ListingRow>> {
    const where = this.activeWhere(filterWhere(filter ?? {}, this.catalog, this.settings.eurRonRate));
    const key = JSON.stringify(filter ?? {});
    return keysetPage(LISTING_ORDERS[sort], where, page, {
      findMany: (args) => this.prisma.listing.findMany({ ...args, omit: LIST_OMIT }),
      count: async (args) => {
        const cached = this.browseCounts.get(key);
        if (cached !== undefined) return cached;
        const count = await this.prisma.listing.count(args);
        this.browseCounts.set(key, count);
        return count;
      },
    });
  }

  myListings(viewer: Viewer, statuses: readonly Status[] | null | undefined, page: PageArgs) {
    const wanted = (statuses?.length ? statuses : undefined)?.filter((s) => s !== "DELETED");
    return this.paginate(
      { sellerId: viewer.userId, status: wanted ? { in: [...wanted] } : { not: "DELETED" } },
      "CREATED",
      page,
    );
  }

  sellerListings(sellerId: string, page: PageArgs) {
    return this.paginate(this.activeWhere({ sellerId }), "NEWEST", page);
  }

  /** A first page of a seller's listings from rows a loader fetched in a batch (size + 1 rows). */
  sellerFirstPage(rows: ListingRow[], size: number, totalCount: () => Promise<number>): Connection<ListingRow> {
    return toConnection(rows, size, LISTING_ORDERS.NEWEST.key, false, totalCount);
  }

  async myFavorites(viewer: Viewer, page: PageArgs): Promise<Connection<ListingRow>> {
    const where: Prisma.FavoriteWhereInput = { userId: viewer.userId, listing: { status: { not: "DELETED" } } };
    const favorites = await keysetPage(FAVORITES_ORDER, where, page, {
      findMany: (args) => this.prisma.favorite.findMany({ ...args, include: { listing: { omit: LIST_OMIT } } }),
      count: (args) => this.prisma.favorite.count(args),
    });
    return { ...favorites, edges: favorites.edges.map((e) => ({ cursor: e.cursor, node: e.node.listing })) };
  }

  reports(page: PageArgs): Promise<Connection<ListingReport>> {
    return keysetPage(REPORTS_ORDER, {} as Prisma.ListingReportWhereInput, page, this.prisma.listingReport);
  }

  activeWhere(where: Prisma.ListingWhereInput = {}): Prisma.ListingWhereInput {
    return { ...where, status: "ACTIVE", expiresAt: { gt: new Date() } };
  }

  // ---- internals ----------------------------------------------------------------------------------

  private paginate(where: Prisma.ListingWhereInput, sort: Sort | "CREATED", page: PageArgs): Promise<Connection<ListingRow>> {
    return keysetPage(LISTING_ORDERS[sort], where, page, {
      findMany: (args) => this.prisma.listing.findMany({ ...args, omit: LIST_OMIT }),
      count: (args) => this.prisma.listing.count(args),
    });
  }

  private activeFromNow(): Prisma.ListingUpdateManyMutationInput {
    const now = new Date();
    return {
      status: "ACTIVE",
      publishedAt: now,
      expiresAt: new Date(now.getTime() + this.settings.listingTtlDays * DAY_MS),
    };
  }

  private async transition(
    viewer: Viewer,
    id: string,
    from: Status[],
    refusal: string,
    data: () => Prisma.ListingUpdateManyMutationInput,
  ): Promise<Listing> {
    const listing = await this.owned(viewer, id);
    // The status condition in the UPDATE makes concurrent transitions safe: only one can win.
    const { count } = await this.prisma.listing.updateMany({ where: { id, status: { in: from } }, data: data() });
    if (count === 0) throw conflict(`${refusal} (stare actuală: ${this.effectiveStatus(listing)})`);
    this.browseCounts.clear();
    return this.prisma.listing.findUniqueOrThrow({ where: { id } });
  }

  private async visible(viewer: Viewer | null, id: string): Promise<Listing> {
    const listing = isUuid(id) ? await this.prisma.listing.findUnique({ where: { id } }) : null;
    if (!listing || !this.canSee(listing, viewer)) throw notFound("Anunțul");
    return listing;
  }

  /** The listing, if the viewer is its seller or an admin. */
  private async owned(viewer: Viewer, id: string): Promise<Listing> {
    const listing = await this.visible(viewer, id);
    if (listing.sellerId !== viewer.userId && !isAdmin(viewer)) throw forbidden("Doar vânzătorul poate modifica acest anunț.");
    return listing;
  }

}

const FAVORITES_ORDER = keysetOrder("createdAt", "desc", (f: Favorite & { listing: ListingRow }) => f.createdAt, dateKey, "listingId");
const REPORTS_ORDER = keysetOrder("createdAt", "desc", (r: ListingReport) => r.createdAt, dateKey);
