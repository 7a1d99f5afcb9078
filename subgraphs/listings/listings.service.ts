/**
 * Listing rules: the lifecycle, favorites and reports, browsing, reference data. Who may see or change a
 * listing is in listing-access.ts, when it is active in listing-status.ts. No GraphQL here beyond the
 * typed errors.
 */
import type { GraphQLResolveInfo } from "graphql";
import { PurgedCache } from "../../lib/purged-cache.ts";
import type { Viewer } from "../../lib/context.ts";
import type { PrismaClient } from "../../lib/db/database.ts";
import { badInput, conflict, forbidden, InputProblems, notFound } from "../../lib/errors.ts";
import { dateKey, keysetOrder, keysetPage } from "../../lib/db/keyset.ts";
import { MAX_PAGE_SIZE, pageSize, toConnection, type Connection, type PageArgs } from "../../lib/graphql/pagination.ts";
import { isUuid } from "../../lib/ids.ts";
import { findCounty } from "../../lib/locations.ts";
import type { MediaUploads } from "../../lib/media/media.ts";
import { REPORT_TEXT } from "../../lib/text.ts";
import { Prisma, type Favorite, type Listing, type ListingReport } from "../../prisma/generated/client.ts";
import type { Catalog, CatalogCategory } from "./catalog/catalog.ts";
import { filterWhere, LISTING_ORDERS, type ListingFilterInput, type Sort } from "./browse.ts";
import { IdempotentRequests } from "./idempotency.ts";
import { canEdit, canSee, isSeller } from "./listing-access.ts";
import { imageNotOnListing, imageRows, newImageIds, reordered } from "./listing-images.ts";
import { imageIdsOf, toListingData } from "./listing-input.ts";
import { connectionNodeColumns, type ListingColumn, type ListingSelect } from "./listing-columns.ts";
import { listingPageSql } from "./listing-sql.ts";
import { LIST_OMIT, type ListingRow } from "./listing-row.ts";
import { activeFromNow, activeListing, effectiveStatus } from "./listing-status.ts";
import { groupKey, newestPerGroup, type ListingsLoaders } from "./loaders.ts";
import type { ListingEvents } from "./events.ts";
import type { ListingModerationService } from "./moderation.ts";
import { viewDay, viewerKey, viewRetentionStart } from "./views.ts";

type Status = Listing["status"];


export interface ListingsSettings {
  listingTtlDays: number;
  eurRonRate: number;
}

/**
 * What an explicit null means: the schema's default for the argument (graphql-js applies the default
 * only when the argument is left out). The gateway's cost analysis reads null the same way.
 */
export const FALLBACK = { sort: "NEWEST", similar: 6 } as const;

/** A bound on the age of a count or list kept across requests should a purge message be lost; every change purges them at once. */
const COLLECTION_READ_TTL_MS = 10_000;

export class ListingsService {
  /**
   * totalCount of a browse filter is a COUNT over every matching active listing — the most expensive
   * statement of a browse page — and the same filters come back constantly. Kept until the listings
   * change: the same purge (events.changed, from any process) that empties the gateways' response
   * caches empties this one, so a total never lags a change the page itself shows.
   */
  private readonly browseCounts = new PurgedCache<string, number>({ max: 10_000, ttlMs: COLLECTION_READ_TTL_MS });
  /** Kept the same way, for every listing page: its seller's number of active listings (User.listingCount)… */
  private readonly sellerCounts = new PurgedCache<string, number>({ max: 20_000, ttlMs: COLLECTION_READ_TTL_MS });
  /** …and the newest listings of its category (Listing.similar), by groupKey(categoryId, size). */
  private readonly categoryNewest = new PurgedCache<string, ListingRow[]>({ max: 2_000, ttlMs: COLLECTION_READ_TTL_MS });
  /**
   * Listings by id, as a lookup (Query.listing, an entity from search or chat) starts from before the
   * viewer's check: kept across requests, each purged by its own change (events.changed, from any
   * process). Only the view count moves without a purge: it may lag by the TTL, as in the gateways'
   * response caches. Writes and live events read the database.
   */
  private readonly rows = new PurgedCache<string, Listing>({ max: 5_000, ttlMs: 60_000 });
  private readonly requests: IdempotentRequests;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly catalog: Catalog,
    private readonly settings: ListingsSettings,
    private readonly moderation: ListingModerationService,
    private readonly uploads: MediaUploads,
    private readonly events: ListingEvents,
  ) {
    this.requests = new IdempotentRequests(prisma);
    events.onListingsChanged((ids) => (ids === "all" ? this.rows.clear() : this.rows.forget(ids)));
    events.onCollectionChanged(() => {
      this.browseCounts.clear();
      this.sellerCounts.clear();
      this.categoryNewest.clear();
    });
  }

  // ---- writes -------------------------------------------------------------------------------------

  async create(viewer: Viewer, input: unknown, idempotencyKey?: string | null): Promise<Listing> {
    const data = toListingData(input, this.catalog, this.settings.eurRonRate);
    const imageIds = newImageIds(imageIdsOf(input), 0);
    const createDraft = (db: Prisma.TransactionClient, id: string) => db.listing.create({ data: { ...data, id, sellerId: viewer.userId, status: "DRAFT" } });
    return this.requests.run({
      userId: viewer.userId,
      operation: "createListing",
      key: idempotencyKey,
      input,
      // With photos, the listing and their attachment commit together: a refused upload creates nothing.
      act: (db, id) =>
        imageIds.length === 0
          ? createDraft(db, id)
          : inTransaction(db, async (tx) => {
              const listing = await createDraft(tx, id);
              const attached = await this.uploads.attach(tx, viewer.userId, imageIds, "LISTING");
              await tx.listingImage.createMany({ data: imageRows(id, attached, 0) });
              return listing;
            }),
      load: (id) => this.prisma.listing.findUnique({ where: { id } }),
    });
  }

  // Photos are an edit of the listing (the seller's, refused once SOLD or DELETED, like updateListing)
  // that leaves its version alone: the moderator judges text, price and category, not photos, and a
  // verdict is applied only to the version it was asked about — a new version with no new request
  // would leave a listing waiting for review forever. Each edit locks the listing's row first (the
  // UPDATE in photoEdit), so concurrent edits of one listing's photos take turns: 12 stays 12.

  /** Appends the viewer's uploads to the listing's photos, in the order given. */
  async addImages(viewer: Viewer, listingId: string, rawIds: readonly string[]): Promise<Listing> {
    const ids = newImageIds(rawIds, 0);
    if (ids.length === 0) throw badInput({ ro: "Dă cel puțin o fotografie.", en: "Give at least one photo." }, "imageIds", "REQUIRED");
    return this.photoEdit(viewer, listingId, async (tx) => {
      const existing = await tx.listingImage.count({ where: { listingId } });
      newImageIds(ids, existing);
      const attached = await this.uploads.attach(tx, viewer.userId, ids, "LISTING");
      await tx.listingImage.createMany({ data: imageRows(listingId, attached, existing) });
    });
  }

  /** Puts the listing's photos in the order given (each exactly once); the first is the cover. */
  async reorderImages(viewer: Viewer, listingId: string, rawIds: readonly string[]): Promise<Listing> {
    newImageIds(rawIds, 0);
    return this.photoEdit(viewer, listingId, async (tx) => {
      const current = await tx.listingImage.findMany({ where: { listingId }, orderBy: { position: "asc" } });
      const order = reordered(current, rawIds);
      // Rewritten rather than moved one by one: positions stay 0…n-1 without a unique index to juggle.
      await tx.listingImage.deleteMany({ where: { listingId } });
      await tx.listingImage.createMany({ data: order.map((image, position) => ({ ...image, position })) });
    });
  }

  /** Removes one photo; those after it move up. Its upload is detached: its URLs answer 404. */
  async removeImage(viewer: Viewer, listingId: string, imageId: string): Promise<Listing> {
    return this.photoEdit(viewer, listingId, async (tx) => {
      const image = isUuid(imageId) ? await tx.listingImage.findFirst({ where: { id: imageId, listingId } }) : null;
      if (!image) throw imageNotOnListing();
      await tx.listingImage.delete({ where: { id: image.id } });
      await tx.listingImage.updateMany({ where: { listingId, position: { gt: image.position } }, data: { position: { decrement: 1 } } });
      await this.uploads.detach(tx, [image.id]);
    });
  }

  /**
   * Merges the given fields onto the listing. `expectedVersion` is the version the client read: a
   * stale one is refused instead of overwriting someone else's edit. Without it the edit still cannot
   * overwrite an edit made between this read and this write.
   */
  async update(viewer: Viewer, id: string, input: Record<string, unknown>, expectedVersion?: number | null): Promise<Listing> {
    const current = await this.owned(viewer, id);
    if (current.status === "SOLD" || current.status === "DELETED") {
      throw conflict("Un anunț vândut sau șters nu mai poate fi modificat.");
    }
    const version = expectedVersion ?? current.version;
    if (version !== current.version) throw staleEdit();
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
    // The version and status conditions in the UPDATE itself: an edit or a sale committed since the
    // read above makes this write match no row, so nothing is overwritten (no read-then-write race).
    const updated = await this.prisma.listing.updateMany({
      where: { id, version, status: { notIn: ["SOLD", "DELETED"] } },
      data: { ...data, version: { increment: 1 } },
    });
    if (updated.count === 0) throw staleEdit();
    await this.events.changed([id], { collection: true });
    const edited = await this.prisma.listing.findUniqueOrThrow({ where: { id } });
    await this.moderation.afterEdit(current, edited);
    return edited;
  }

  /** Live at once, or (LISTING_MODERATION=agent) once the moderator or an admin approves it. */
  async publish(viewer: Viewer, id: string): Promise<Listing> {
    if (!this.moderation.enabled) {
      return this.transition(viewer, id, ["DRAFT"], "Doar o ciornă poate fi publicată; un anunț expirat se reînnoiește.", () => this.activeFromNow());
    }
    const pending = await this.transition(viewer, id, ["DRAFT", "REJECTED"], "Doar o ciornă sau un anunț respins poate fi publicat; un anunț expirat se reînnoiește.", () => ({
      status: "PENDING_REVIEW",
    }));
    try {
      await this.moderation.request(pending);
    } catch (error) {
      // Not queued: put the listing back as it was, so publishing again is possible.
      await this.prisma.listing.updateMany({ where: { id, status: "PENDING_REVIEW", version: pending.version }, data: { status: "DRAFT" } });
      await this.events.changed([id], { collection: true });
      throw error;
    }
    return pending;
  }

  /** An admin's decision on a listing waiting for review or flagged by the moderator. */
  async review(admin: Viewer, id: string, decision: "APPROVE" | "REJECT", reason?: string | null): Promise<Listing> {
    return this.moderation.review(admin, await this.visible(admin, id), decision, reason);
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

  /**
   * Soft delete. Its photos go with it, in the same transaction: the rows and the uploads (detached:
   * their URLs answer 404), since a deleted listing is shown to no one but admins and its pictures are
   * public URLs. A SOLD or EXPIRED listing keeps them: it is still shown (and an expired one renewed).
   */
  delete(viewer: Viewer, id: string) {
    const all: Status[] = ["DRAFT", "PENDING_REVIEW", "ACTIVE", "REJECTED", "SOLD", "EXPIRED"];
    return this.transition(viewer, id, all, "Anunțul este deja șters.", () => ({ status: "DELETED", deletedAt: new Date() }), async (tx) => {
      const images = await tx.listingImage.findMany({ where: { listingId: id }, select: { id: true } });
      if (images.length === 0) return;
      await tx.listingImage.deleteMany({ where: { listingId: id } });
      await this.uploads.detach(tx, images.map((image) => image.id));
    });
  }

  async addFavorite(viewer: Viewer, listingId: string): Promise<Listing> {
    const listing = await this.visible(viewer, listingId);
    if (isSeller(listing, viewer)) {
      throw badInput({ ro: "Nu îți poți salva propriul anunț.", en: "You cannot save your own listing." }, "listingId", "NOT_ALLOWED");
    }
    if (!activeListing.is(listing)) {
      throw badInput({ ro: "Doar anunțurile active pot fi salvate.", en: "Only active listings can be saved." }, "listingId", "NOT_ALLOWED");
    }
    const { count } = await this.prisma.favorite.createMany({ data: [{ userId: viewer.userId, listingId }], skipDuplicates: true });
    return this.favoriteChanged(listing, count);
  }

  async removeFavorite(viewer: Viewer, listingId: string): Promise<Listing> {
    const listing = await this.visible(viewer, listingId);
    const { count } = await this.prisma.favorite.deleteMany({ where: { userId: viewer.userId, listingId } });
    return this.favoriteChanged(listing, count);
  }

  /** After a favourite came or went (`changed` rows): the listing with its new count, purged from caches. */
  private async favoriteChanged(listing: Listing, changed: number): Promise<Listing> {
    if (!changed) return listing;
    await this.events.changed([listing.id], { collection: false });
    // The trigger on "Favorite" changed the count in the same statement: read it back.
    return (await this.prisma.listing.findUnique({ where: { id: listing.id } })) ?? listing;
  }

  async report(
    viewer: Viewer,
    listingId: string,
    reason: ListingReport["reason"],
    rawText: string,
    idempotencyKey?: string | null,
  ): Promise<ListingReport> {
    const listing = await this.visible(viewer, listingId);
    const problems = new InputProblems();
    if (isSeller(listing, viewer)) {
      problems.add("listingId", { reason: "NOT_ALLOWED", message: { ro: "Nu îți poți raporta propriul anunț.", en: "You cannot report your own listing." } });
    }
    const text = problems.parse("text", REPORT_TEXT, rawText);
    problems.throwIfAny();
    const data = { listingId, reporterId: viewer.userId, reason, text: text! };
    return this.requests.run({
      userId: viewer.userId,
      operation: "reportListing",
      key: idempotencyKey,
      input: { listingId, reason, text: rawText },
      act: (db, id) => fileReport(db, { ...data, id }),
      load: (id) => this.prisma.listingReport.findUnique({ where: { id } }),
    });
  }

  /** Counts at most one view per viewer (see views.ts), listing and day; the seller's own are not counted. */
  async recordView(viewer: Viewer | null, id: string, clientIp?: string): Promise<Listing | null> {
    if (!isUuid(id)) return null;
    const day = viewDay(new Date());
    const notOwn = viewer ? Prisma.sql`AND "sellerId" <> ${viewer.userId}::uuid` : Prisma.empty;
    // One statement, so one transaction: the view row is inserted only for a countable view (an
    // active listing, not the seller's), and the count grows only when that row is new today.
    await this.prisma.$executeRaw`
      WITH counted AS (
        INSERT INTO "ListingView" ("listingId", "viewerKey", "day")
        SELECT id, ${viewerKey(viewer?.userId, clientIp, day)}, ${day}::date FROM "Listing"
        WHERE id = ${id}::uuid AND ${activeListing.sql()} ${notOwn}
        ON CONFLICT DO NOTHING
        RETURNING "listingId"
      )
      UPDATE "Listing" SET "viewCount" = "viewCount" + 1 WHERE id IN (SELECT "listingId" FROM counted)`;
    const listing = await this.prisma.listing.findUnique({ where: { id } });
    return listing && canSee(listing, viewer) ? listing : null;
  }

  /** Deletes what only matters for a while: expired idempotency keys, view rows of past days. */
  async purgeStale(now = new Date()): Promise<{ keys: number; views: number }> {
    const keys = await this.requests.purge(now);
    const { count: views } = await this.prisma.listingView.deleteMany({ where: { day: { lt: viewRetentionStart(now) } } });
    return { keys, views };
  }

  /** Moves ACTIVE listings past their expiry to EXPIRED; readers already see them as expired. */
  async expireDue(now = new Date()): Promise<number> {
    const expired = await this.prisma.listing.updateManyAndReturn({
      where: activeListing.pastExpiryWhere(now),
      data: { status: "EXPIRED" },
      select: { id: true },
    });
    if (expired.length) await this.events.changed(expired.map((listing) => listing.id), { collection: true });
    return expired.length;
  }

  // ---- reads --------------------------------------------------------------------------------------

  /**
   * `info`: the resolver's, when there is one: the rows then carry only the columns its selection of
   * `edges { node }` reads (listing-columns.ts), and the cursors' columns.
   */
  browse(
    filter: ListingFilterInput | null | undefined,
    sort: Sort | null | undefined,
    page: PageArgs,
    info?: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">,
  ): Promise<Connection<ListingRow>> {
    const where = { ...filterWhere(filter ?? {}, this.catalog, this.settings.eurRonRate), ...activeListing.where() };
    const key = JSON.stringify(filter ?? {});
    const order = LISTING_ORDERS[sort ?? FALLBACK.sort];
    const select = info && connectionNodeColumns(info, order.orderBy.flatMap((o) => Object.keys(o)) as ListingColumn[]);
    return keysetPage(order, where, page, {
      // Rows of a narrower select are ListingRows without the columns no selected field reads.
      findMany: (args) => this.pageRows(args, select),
      count: (args) => this.browseCounts.get(key, () => this.prisma.listing.count(args)),
    });
  }

  /** A page's rows: by one plain statement when listing-sql.ts translates the arguments, else by findMany. */
  private pageRows(args: { where: Prisma.ListingWhereInput; orderBy: Record<string, "asc" | "desc">[]; take: number }, select: ListingSelect): Promise<ListingRow[]> {
    const sql = listingPageSql(args, select);
    if (sql) return this.prisma.$queryRaw<ListingRow[]>(sql);
    // Rows of a narrower select are ListingRows without the columns no selected field reads.
    return select ? (this.prisma.listing.findMany({ ...args, select }) as Promise<ListingRow[]>) : this.prisma.listing.findMany({ ...args, omit: LIST_OMIT });
  }

  /** Listings by id, in order (null: none); most from memory, the rest in one statement. No viewer check: callers make it. */
  async listingRows(ids: readonly string[]): Promise<(Listing | null)[]> {
    const rows = await this.rows.getMany(ids, async (missing) => {
      const found = await this.prisma.listing.findMany({ where: { id: { in: missing.filter(isUuid) } } });
      return new Map(found.map((row) => [row.id, row]));
    });
    return rows.map((row) => row ?? null);
  }

  /** The newest active listings of each category key (groupKey(categoryId, size)); most from memory, the rest in one statement. */
  async newestInCategories(keys: readonly string[]): Promise<ListingRow[][]> {
    const lists = await this.categoryNewest.getMany(keys, async (missing) => {
      const found = await newestPerGroup(this.prisma, "categoryId", missing);
      return new Map(missing.map((key, i) => [key, found[i]!]));
    });
    return lists.map((list) => list ?? []);
  }

  /** How many active listings each seller has, in order; most from memory, the rest in one statement. */
  async activeListingCounts(sellerIds: readonly string[]): Promise<number[]> {
    const counts = await this.sellerCounts.getMany(sellerIds, async (missing) => {
      const rows = await this.prisma.listing.groupBy({ by: ["sellerId"], where: { sellerId: { in: missing.filter(isUuid) }, ...activeListing.where() }, _count: true });
      const found = new Map(rows.map((row) => [row.sellerId, row._count]));
      // A seller without active listings counts 0, and that is worth keeping too.
      return new Map(missing.map((id) => [id, found.get(id) ?? 0]));
    });
    return counts.map((count) => count ?? 0);
  }

  myListings(viewer: Viewer, statuses: readonly Status[] | null | undefined, page: PageArgs) {
    const wanted = (statuses?.length ? statuses : undefined)?.filter((s) => s !== "DELETED");
    return this.paginate(
      { sellerId: viewer.userId, status: wanted ? { in: [...wanted] } : { not: "DELETED" } },
      "CREATED",
      page,
    );
  }

  /** A seller's active listings, newest first. First pages come batched across every seller in the response. */
  async sellerListings(sellerId: string, page: PageArgs, loaders: Pick<ListingsLoaders, "sellerFirstPage" | "activeListingCount">) {
    if (page.after) return this.paginate({ sellerId, ...activeListing.where() }, "NEWEST", page);
    const size = pageSize(page.first);
    const rows = await loaders.sellerFirstPage.load(groupKey(sellerId, size + 1));
    return toConnection(rows, size, LISTING_ORDERS.NEWEST.key, false, () => loaders.activeListingCount.load(sellerId));
  }

  /**
   * Listing.similar: the newest active listings of the listing's category but itself. `first` is read as
   * the gateway's cost analysis reads it: null is the schema's default, and it is clamped to 0…MAX_PAGE_SIZE.
   */
  async similar(listing: ListingRow, first: number | null | undefined, loaders: Pick<ListingsLoaders, "newestInCategory">): Promise<ListingRow[]> {
    const size = Math.min(Math.max(first ?? FALLBACK.similar, 0), MAX_PAGE_SIZE);
    // One more than asked for: the listing itself is among the newest of its category.
    const newest = await loaders.newestInCategory.load(groupKey(listing.categoryId, size + 1));
    return newest.filter((other) => other.id !== listing.id).slice(0, size);
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

  // ---- reference data -----------------------------------------------------------------------------

  /** A category by its id or by its slug: exactly one of the two. */
  category(id: string | null | undefined, slug: string | null | undefined): CatalogCategory | null {
    if ((id == null) === (slug == null)) throw badInput("Dă fie id, fie slug.", id == null ? "id" : "slug");
    return (id != null ? this.catalog.get(id) : this.catalog.getBySlug(slug!)) ?? null;
  }

  cities(countyCode: string): string[] {
    const county = findCounty(countyCode.toUpperCase());
    if (!county) throw badInput(`Județul „${countyCode}” nu există.`, "county");
    return county.cities;
  }

  // ---- internals ----------------------------------------------------------------------------------

  private paginate(where: Prisma.ListingWhereInput, sort: Sort | "CREATED", page: PageArgs): Promise<Connection<ListingRow>> {
    return keysetPage(LISTING_ORDERS[sort], where, page, {
      findMany: (args) => this.prisma.listing.findMany({ ...args, omit: LIST_OMIT }),
      count: (args) => this.prisma.listing.count(args),
    });
  }

  private activeFromNow(): Prisma.ListingUpdateManyMutationInput {
    return activeFromNow(this.settings.listingTtlDays);
  }

  /** `alongside` runs in the transition's transaction, only when the transition happened. */
  private async transition(
    viewer: Viewer,
    id: string,
    from: Status[],
    refusal: string,
    data: () => Prisma.ListingUpdateManyMutationInput,
    alongside?: (tx: Prisma.TransactionClient) => Promise<void>,
  ): Promise<Listing> {
    const listing = await this.owned(viewer, id);
    // The status condition in the UPDATE makes concurrent transitions safe: only one can win.
    const move = async (db: Prisma.TransactionClient) => {
      const { count } = await db.listing.updateMany({ where: { id, status: { in: from } }, data: data() });
      if (count > 0) await alongside?.(db);
      return count;
    };
    const count = alongside ? await this.prisma.$transaction(move) : await move(this.prisma);
    if (count === 0) throw conflict(`${refusal} (stare actuală: ${effectiveStatus(listing)})`);
    await this.events.changed([id], { collection: true });
    return this.prisma.listing.findUniqueOrThrow({ where: { id } });
  }

  /**
   * A change of the listing's photos by its seller (or an admin), in one transaction that starts by
   * locking the listing's row — the same UPDATE refuses a SOLD or DELETED listing — so nothing of a
   * refused edit is kept and concurrent edits of one listing take turns.
   */
  private async photoEdit(viewer: Viewer, listingId: string, edit: (tx: Prisma.TransactionClient) => Promise<void>): Promise<Listing> {
    const listing = await this.owned(viewer, listingId);
    await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.listing.updateMany({ where: { id: listingId, status: { notIn: ["SOLD", "DELETED"] } }, data: { updatedAt: new Date() } });
      if (count === 0) throw conflict(`Fotografiile unui anunț vândut sau șters nu mai pot fi schimbate. (stare actuală: ${effectiveStatus(listing)})`);
      await edit(tx);
    });
    await this.events.changed([listingId], { collection: false });
    return this.prisma.listing.findUniqueOrThrow({ where: { id: listingId } });
  }

  private async visible(viewer: Viewer | null, id: string): Promise<Listing> {
    const listing = isUuid(id) ? await this.prisma.listing.findUnique({ where: { id } }) : null;
    if (!listing || !canSee(listing, viewer)) throw notFound("Anunțul");
    return listing;
  }

  /** The listing, if the viewer is its seller or an admin. */
  private async owned(viewer: Viewer, id: string): Promise<Listing> {
    const listing = await this.visible(viewer, id);
    if (!canEdit(listing, viewer)) throw forbidden("Doar vânzătorul poate modifica acest anunț.");
    return listing;
  }

}

/** What the moderator judges: an edit of anything else needs no new verdict. */
/**
 * `db` as IdempotentRequests hands it over: already a transaction when the call has a key, the client
 * itself when it has none.
 */
function inTransaction<T>(db: Prisma.TransactionClient, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  const client = db as Partial<Pick<PrismaClient, "$transaction">>;
  return client.$transaction ? client.$transaction(work) : work(db);
}

const staleEdit = () => conflict("Anunțul a fost modificat între timp; reîncarcă-l și încearcă din nou.");

async function fileReport(db: Prisma.TransactionClient, data: Prisma.ListingReportUncheckedCreateInput): Promise<ListingReport> {
  try {
    return await db.listingReport.create({ data });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw conflict("Ai raportat deja acest anunț.");
    throw error;
  }
}

const FAVORITES_ORDER = keysetOrder("createdAt", "desc", (f: Favorite & { listing: ListingRow }) => f.createdAt, dateKey, "listingId");
const REPORTS_ORDER = keysetOrder("createdAt", "desc", (r: ListingReport) => r.createdAt, dateKey);
