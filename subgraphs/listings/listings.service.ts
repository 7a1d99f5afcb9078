/**
 * Listing rules: who may do what, the lifecycle, browsing. No GraphQL here beyond the typed errors.
 */
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { isAdmin, type Viewer } from "../../lib/context.ts";
import type { PrismaClient } from "../../lib/db/database.ts";
import { badInput, conflict, forbidden, fromZodError, notFound } from "../../lib/errors.ts";
import { bigintKey, dateKey, keysetOrder, keysetPage, type KeysetOrder } from "../../lib/db/keyset.ts";
import { toConnection, type Connection, type PageArgs } from "../../lib/graphql/pagination.ts";
import { isUuid } from "../../lib/ids.ts";
import { findCounty, normalizeCity } from "../../lib/locations.ts";
import type { Favorite, Listing, ListingReport, Prisma } from "../../prisma/generated/client.ts";
import { validateAttributes } from "./catalog/attributes.ts";
import type { Catalog } from "./catalog/catalog.ts";
import { LIST_OMIT, type ListingRow } from "./listing-row.ts";
import * as rules from "./listing-rules.ts";

type Status = Listing["status"];
type Sort = "NEWEST" | "PRICE_ASC" | "PRICE_DESC";

const PUBLIC_STATUSES: readonly Status[] = ["ACTIVE", "SOLD", "EXPIRED"];
const DAY_MS = 86_400_000;

export interface ListingFilterInput {
  categoryId?: string | null;
  categorySlug?: string | null;
  county?: string | null;
  city?: string | null;
  price?: { min?: number | null; max?: number | null; currency?: "RON" | "EUR" | null } | null;
  condition?: readonly ("NEW" | "USED" | "REFURBISHED")[] | null;
  sellerId?: string | null;
}

const listingFields = z.object({
  categoryId: z.string(),
  title: rules.title,
  description: rules.description,
  price: rules.money,
  negotiable: z.boolean().nullish(),
  condition: z.enum(["NEW", "USED", "REFURBISHED"]).nullish(),
  county: z.string().trim(),
  city: z.string().trim(),
  attributes: z.unknown().optional(),
});

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
    const data = this.validate(input);
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
    const data = this.validate(merged);
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
    const where = this.browseWhere(filter ?? {});
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

  private browseWhere(filter: ListingFilterInput): Prisma.ListingWhereInput {
    const where: Prisma.ListingWhereInput = {};
    if (filter.categoryId != null || filter.categorySlug != null) {
      const category =
        filter.categoryId != null ? this.catalog.get(filter.categoryId) : this.catalog.getBySlug(filter.categorySlug!);
      if (!category) throw badInput("Categoria nu există.", "filter.categoryId");
      where.categoryId = { in: this.catalog.subtreeIds(category) };
    }
    if (filter.county != null) {
      const county = findCounty(filter.county.toUpperCase());
      if (!county) throw badInput(`Județul „${filter.county}” nu există.`, "filter.county");
      where.county = county.code;
      if (filter.city != null) {
        const city = normalizeCity(county.code, filter.city);
        if (!city) throw badInput(`Orașul „${filter.city}” nu există în județul ${county.name}.`, "filter.city");
        where.city = city;
      }
    } else if (filter.city != null) {
      throw badInput("Alege și județul când filtrezi după oraș.", "filter.county");
    }
    if (filter.price) {
      const { min, max } = filter.price;
      const currency = filter.price.currency ?? "RON";
      if ((min != null && min < 0) || (max != null && max < 0)) throw badInput("Prețul nu poate fi negativ.", "filter.price");
      if (min != null && max != null && min > max) throw badInput("Prețul minim e mai mare decât cel maxim.", "filter.price");
      where.priceRonBani = {
        ...(min != null ? { gte: rules.toRonBani(min, currency, this.settings.eurRonRate) } : {}),
        ...(max != null ? { lte: rules.toRonBani(max, currency, this.settings.eurRonRate) } : {}),
      };
    }
    if (filter.condition?.length) where.condition = { in: [...filter.condition] };
    if (filter.sellerId != null) {
      if (!isUuid(filter.sellerId)) throw badInput("Vânzătorul nu există.", "filter.sellerId");
      where.sellerId = filter.sellerId;
    }
    return this.activeWhere(where);
  }

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

  private validate(input: unknown) {
    const parsed = listingFields.safeParse(input);
    if (!parsed.success) throw fromZodError(parsed.error);
    const data = parsed.data;
    const category = this.catalog.get(data.categoryId);
    if (!category) throw badInput("Categoria nu există.", "categoryId");
    if (!this.catalog.isLeaf(category)) throw badInput(`Alege o subcategorie a categoriei „${category.name}”.`, "categoryId");
    const county = findCounty(data.county.toUpperCase());
    if (!county) throw badInput(`Județul „${data.county}” nu există.`, "county");
    const city = normalizeCity(county.code, data.city);
    if (!city) throw badInput(`Orașul „${data.city}” nu există în județul ${county.name}.`, "city");
    const attributes = validateAttributes(this.catalog.attributesOf(category), data.attributes);
    if (attributes.issues.length) {
      throw badInput(attributes.issues.map((i) => i.message).join(" "), attributes.issues[0]!.field);
    }
    return {
      categoryId: category.id,
      title: data.title,
      description: data.description,
      priceAmount: data.price.amount,
      currency: data.price.currency,
      priceRonBani: rules.toRonBani(data.price.amount, data.price.currency, this.settings.eurRonRate),
      negotiable: data.negotiable ?? false,
      condition: data.condition ?? null,
      county: county.code,
      city,
      attributes: attributes.values,
    };
  }
}

/** Keyset orders: each sorts by one column then id, and its cursor is exactly that pair. */
const LISTING_ORDERS: Record<Sort | "CREATED", KeysetOrder<ListingRow>> = {
  NEWEST: keysetOrder("publishedAt", "desc", (l: ListingRow) => l.publishedAt, dateKey),
  CREATED: keysetOrder("createdAt", "desc", (l: ListingRow) => l.createdAt, dateKey),
  PRICE_ASC: keysetOrder("priceRonBani", "asc", (l: ListingRow) => l.priceRonBani, bigintKey),
  PRICE_DESC: keysetOrder("priceRonBani", "desc", (l: ListingRow) => l.priceRonBani, bigintKey),
};
const FAVORITES_ORDER = keysetOrder("createdAt", "desc", (f: Favorite & { listing: ListingRow }) => f.createdAt, dateKey, "listingId");
const REPORTS_ORDER = keysetOrder("createdAt", "desc", (r: ListingReport) => r.createdAt, dateKey);
