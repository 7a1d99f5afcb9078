/**
 * Listing photos end to end, the way an app does it: JPEGs uploaded with `POST /uploads` (multipart,
 * bearer token), attached with createListing / addListingImages, reordered and removed through
 * GraphQL, and every variant's URL fetched over HTTP and read back with sharp.
 */
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes } from "./utils/client.ts";
import { carListingInput, signUp, signUpAdmin, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const IMAGE = `id width height dominantColor`;
const CREATE = `mutation ($input: CreateListingInput!) { createListing(input: $input) { id images { ${IMAGE} } coverImage { id } } }`;
const ADD = `mutation ($l: ID!, $i: [ID!]!) { addListingImages(listingId: $l, imageIds: $i) { id images { id } coverImage { id } } }`;
const REORDER = `mutation ($l: ID!, $i: [ID!]!) { reorderListingImages(listingId: $l, imageIds: $i) { id images { id } coverImage { id } } }`;
const REMOVE = `mutation ($l: ID!, $i: ID!) { removeListingImage(listingId: $l, imageId: $i) { id images { id } coverImage { id } } }`;
const IMAGES = `query ($id: ID!) { listing(id: $id) { images { id } coverImage { id } } }`;
const PUBLISH = `mutation ($id: ID!) { publishListing(id: $id) { status } }`;

const SIZES = { THUMB: 320, CARD: 800, FULL: 1600 } as const;
const FORMATS = { WEBP: { format: "webp", type: "image/webp" }, JPEG: { format: "jpeg", type: "image/jpeg" }, AVIF: { format: "heif", type: "image/avif" } } as const;

/** A JPEG of one colour, made here: what a phone would send, minus the camera. */
function jpeg(width: number, height: number, rgb: [number, number, number] = [200, 40, 40]): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .jpeg()
    .toBuffer();
}

describeStack("listing photos", () => {
  let stack: Stack;
  let origin: string;
  let seller: TestUser;
  let other: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    // Each suite's uploads come from one address and a few users within a minute.
    stack = await startStack({ RATE_LIMIT_UPLOADS_PER_MINUTE: "1000" });
    origin = new URL(stack.url).origin;
    [seller, other] = await Promise.all([signUp(stack, "Vasile Vânzătorul"), signUp(stack, "Ion Altul")]);
    admin = await signUpAdmin(stack);
  });
  afterAll(() => stack?.stop());

  const as = (user: TestUser, query: string, variables: Record<string, unknown> = {}) => stack.request(query, variables, { token: user.token });

  /** POST /uploads, as an app sends it: one file in multipart/form-data, the user's bearer token. */
  async function upload(user: TestUser, bytes: Buffer): Promise<{ id: string; width: number; height: number }> {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(bytes)], { type: "image/jpeg" }), "poza.jpg");
    const response = await fetch(`${origin}/uploads`, { method: "POST", headers: { authorization: `Bearer ${user.token}` }, body: form });
    const text = await response.text();
    if (!response.ok) throw new Error(`upload refused: ${response.status} ${text}`);
    return JSON.parse(text);
  }

  /** `count` small uploads, 4 at a time (more at once would meet the gateway's queue limit: 503). */
  async function uploads(user: TestUser, count: number, width = 64, height = 48): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 4) {
      const batch = Array.from({ length: Math.min(4, count - i) }, async (_, j) => (await upload(user, await jpeg(width, height, [(i + j) * 20, 100, 200]))).id);
      ids.push(...(await Promise.all(batch)));
    }
    return ids;
  }

  async function create(user: TestUser, imageIds: string[]) {
    const r = await as(user, CREATE, { input: carListingInput({ imageIds }) });
    expect(r.errors).toBeUndefined();
    return r.data.createListing as { id: string; images: { id: string; width: number; height: number; dominantColor: string }[]; coverImage: { id: string } | null };
  }

  const imagesOf = async (listingId: string, user: TestUser = seller) => (await as(user, IMAGES, { id: listingId })).data.listing as { images: { id: string }[]; coverImage: { id: string } | null };

  /** A URL as GraphQL gives it (root-relative without PUBLIC_URL), fetched from the gateway. */
  const get = (url: string, method = "GET") => fetch(new URL(url, origin), { method });

  describe("a listing created with photos", () => {
    let listing: Awaited<ReturnType<typeof create>>;
    let wide: { id: string; width: number; height: number };
    let narrow: { id: string; width: number; height: number };
    let middle: { id: string; width: number; height: number };

    beforeAll(async () => {
      wide = await upload(seller, await jpeg(2000, 1500));
      middle = await upload(seller, await jpeg(1000, 750, [30, 160, 60]));
      narrow = await upload(seller, await jpeg(500, 375, [20, 20, 220]));
      expect(wide).toMatchObject({ width: 2000, height: 1500 });
      listing = await create(seller, [wide.id, middle.id, narrow.id]);
    });

    it("shows them in the order given, the first as the cover, with their sizes and a colour", () => {
      expect(listing.images.map((i) => i.id)).toEqual([wide.id, middle.id, narrow.id]);
      expect(listing.images.map((i) => [i.width, i.height])).toEqual([[2000, 1500], [1000, 750], [500, 375]]);
      for (const image of listing.images) expect(image.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
      expect(listing.coverImage).toEqual({ id: wide.id });
    });

    it("serves every size and format at its URL: the right width (never upscaled) and format, cached for a year", async () => {
      const sizes = Object.keys(SIZES) as (keyof typeof SIZES)[];
      const formats = Object.keys(FORMATS) as (keyof typeof FORMATS)[];
      const fields = sizes.flatMap((size) => formats.map((format) => `${size}_${format}: url(size: ${size}, format: ${format})`)).join(" ");
      const r = await stack.request(`query ($id: ID!) { listing(id: $id) { images { id ${fields} } } }`, { id: listing.id }, { token: seller.token });
      expect(r.errors).toBeUndefined();
      for (const [image, original] of [[r.data.listing.images[0], wide], [r.data.listing.images[2], narrow]] as const) {
        for (const size of sizes) {
          for (const format of formats) {
            const url: string = image[`${size}_${format}`];
            expect(url).toMatch(new RegExp(`/media/${original.id}/`));
            const response = await get(url);
            expect(response.status, url).toBe(200);
            expect(response.headers.get("content-type")).toBe(FORMATS[format].type);
            expect(response.headers.get("cache-control")).toMatch(/immutable/);
            expect(response.headers.get("cache-control")).toMatch(/max-age=31536000/);
            const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
            expect(meta.format, url).toBe(FORMATS[format].format);
            expect(meta.width, url).toBe(Math.min(SIZES[size], original.width));
          }
        }
      }
    });

    it("reorders them (a permutation of its photos only, else nothing moves), and the cover follows", async () => {
      const r = await as(seller, REORDER, { l: listing.id, i: [narrow.id, wide.id, middle.id] });
      expect(r.errors).toBeUndefined();
      expect(r.data.reorderListingImages.images.map((i: { id: string }) => i.id)).toEqual([narrow.id, wide.id, middle.id]);
      expect(r.data.reorderListingImages.coverImage).toEqual({ id: narrow.id });
      for (const wrong of [[narrow.id, wide.id], [narrow.id, wide.id, middle.id, middle.id], [narrow.id, wide.id, crypto.randomUUID()]]) {
        const refused = await as(seller, REORDER, { l: listing.id, i: wrong });
        expect(codes(refused)).toEqual(["BAD_USER_INPUT"]);
        expect(refused.errors![0]!.extensions!.fields[0].field).toBe("imageIds");
      }
      expect((await imagesOf(listing.id)).images.map((i) => i.id)).toEqual([narrow.id, wide.id, middle.id]);
    });

    it("removes one: its URLs answer 404, the others move up, removing the cover makes the next one the cover", async () => {
      const wideUrl = (await as(seller, `query ($id: ID!) { listing(id: $id) { images { url(size: THUMB, format: JPEG) } } }`, { id: listing.id })).data.listing.images[1].url;
      expect((await get(wideUrl)).status).toBe(200);
      const r = await as(seller, REMOVE, { l: listing.id, i: wide.id });
      expect(r.errors).toBeUndefined();
      expect(r.data.removeListingImage.images.map((i: { id: string }) => i.id)).toEqual([narrow.id, middle.id]);
      expect((await get(wideUrl)).status).toBe(404);
      expect((await get(wideUrl, "HEAD")).status).toBe(404);

      const cover = await as(seller, REMOVE, { l: listing.id, i: narrow.id });
      expect(cover.data.removeListingImage).toMatchObject({ images: [{ id: middle.id }], coverImage: { id: middle.id } });
      // A photo the listing does not have (any more): refused, nothing changes.
      expect(codes(await as(seller, REMOVE, { l: listing.id, i: narrow.id }))).toEqual(["BAD_USER_INPUT"]);
      expect(codes(await as(seller, REMOVE, { l: listing.id, i: "not-an-id" }))).toEqual(["BAD_USER_INPUT"]);
      expect((await imagesOf(listing.id)).images).toEqual([{ id: middle.id }]);
    });
  });

  it("refuses a 13th photo and keeps the 12", async () => {
    const twelve = await uploads(seller, 12);
    const listing = await create(seller, twelve);
    expect(listing.images).toHaveLength(12);
    const [thirteenth] = await uploads(seller, 1);
    const refused = await as(seller, ADD, { l: listing.id, i: [thirteenth] });
    expect(codes(refused)).toEqual(["BAD_USER_INPUT"]);
    expect(refused.errors![0]!.extensions!.fields[0]).toMatchObject({ field: "imageIds", reason: "OUT_OF_RANGE" });
    expect((await imagesOf(listing.id)).images.map((i) => i.id)).toEqual(twelve);
    // Nothing was claimed: the 13th goes on another listing.
    expect((await create(seller, [thirteenth!])).images).toEqual([expect.objectContaining({ id: thirteenth })]);
    // Nor does a new listing start with 13.
    const thirteen = await uploads(seller, 13);
    expect(codes(await as(seller, CREATE, { input: carListingInput({ imageIds: thirteen }) }))).toEqual(["BAD_USER_INPUT"]);
  });

  it("refuses 1,000 ids before any SQL, with a clear error", async () => {
    const ids = Array.from({ length: 1000 }, () => crypto.randomUUID());
    const listing = await create(seller, []);
    const refused = await as(seller, ADD, { l: listing.id, i: ids });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", fields: [{ field: "imageIds", reason: "OUT_OF_RANGE" }] });
    expect(refused.errors![0]!.message).toMatch(/cel mult 12 fotografii/);
    expect(Number(refused.headers.get("x-sql-statements"))).toBe(0);
  });

  it("refuses someone else's upload and an upload already attached; nothing changes", async () => {
    const [mine] = await uploads(seller, 1);
    const listing = await create(seller, [mine!]);
    const [theirs] = await uploads(other, 1);
    const [mine2] = await uploads(seller, 1);
    // Another's upload, alone or with one's own: nothing of it is attached.
    expect(codes(await as(seller, ADD, { l: listing.id, i: [theirs] }))).toEqual(["FORBIDDEN"]);
    expect(codes(await as(seller, ADD, { l: listing.id, i: [mine2, theirs] }))).toEqual(["FORBIDDEN"]);
    expect((await imagesOf(listing.id)).images).toEqual([{ id: mine }]);
    // createListing with it: no listing is created.
    const before = (await as(seller, `{ myListings(first: 50) { totalCount } }`)).data.myListings.totalCount;
    expect(codes(await as(seller, CREATE, { input: carListingInput({ imageIds: [mine2, theirs] }) }))).toEqual(["FORBIDDEN"]);
    expect((await as(seller, `{ myListings(first: 50) { totalCount } }`)).data.myListings.totalCount).toBe(before);
    // Already on this listing, or on another.
    expect(codes(await as(seller, ADD, { l: listing.id, i: [mine] }))).toEqual(["BAD_USER_INPUT"]);
    const second = await create(seller, []);
    expect(codes(await as(seller, ADD, { l: second.id, i: [mine] }))).toEqual(["BAD_USER_INPUT"]);
    // Given twice.
    expect(codes(await as(seller, ADD, { l: second.id, i: [mine2, mine2] }))).toEqual(["BAD_USER_INPUT"]);
    // The seller's own unused one is still free.
    expect((await as(seller, ADD, { l: second.id, i: [mine2] })).data.addListingImages.images).toEqual([{ id: mine2 }]);
  });

  it("lets only the seller (and admins) change the photos", async () => {
    const [a, b] = await uploads(seller, 2);
    const listing = await create(seller, [a!, b!]);
    // A draft does not exist for anyone else; a published listing does, and is still not theirs to change.
    expect(codes(await as(other, REMOVE, { l: listing.id, i: a }))).toEqual(["NOT_FOUND"]);
    expect((await as(seller, PUBLISH, { id: listing.id })).errors).toBeUndefined();
    const [theirs] = await uploads(other, 1);
    expect(codes(await as(other, ADD, { l: listing.id, i: [theirs] }))).toEqual(["FORBIDDEN"]);
    expect(codes(await as(other, REORDER, { l: listing.id, i: [b, a] }))).toEqual(["FORBIDDEN"]);
    expect(codes(await as(other, REMOVE, { l: listing.id, i: a }))).toEqual(["FORBIDDEN"]);
    expect(codes(await stack.request(REMOVE, { l: listing.id, i: a }))).toEqual(["UNAUTHENTICATED"]);
    expect((await imagesOf(listing.id)).images.map((i) => i.id)).toEqual([a, b]);
    expect((await as(admin, REORDER, { l: listing.id, i: [b, a] })).data.reorderListingImages.coverImage).toEqual({ id: b });
  });

  it("keeps a sold listing's photos; deleting a listing removes them (their URLs answer 404)", async () => {
    const [soldPhoto, deletedPhoto] = await uploads(seller, 2);
    const sold = await create(seller, [soldPhoto!]);
    const deleted = await create(seller, [deletedPhoto!]);
    for (const id of [sold.id, deleted.id]) expect((await as(seller, PUBLISH, { id })).errors).toBeUndefined();
    const urlOf = async (id: string) => (await stack.request(`query ($id: ID!) { listing(id: $id) { coverImage { url } } }`, { id })).data.listing.coverImage.url as string;
    const soldUrl = await urlOf(sold.id);
    const deletedUrl = await urlOf(deleted.id);
    expect((await as(seller, `mutation ($id: ID!) { markListingSold(id: $id) { status } }`, { id: sold.id })).errors).toBeUndefined();
    expect((await as(seller, `mutation ($id: ID!) { deleteListing(id: $id) { status } }`, { id: deleted.id })).errors).toBeUndefined();
    expect((await get(soldUrl)).status).toBe(200);
    expect(await urlOf(sold.id)).toBe(soldUrl);
    expect((await get(deletedUrl)).status).toBe(404);
    expect((await imagesOf(deleted.id, admin)).images).toEqual([]);
    // A sold listing is no longer edited, photos included.
    expect(codes(await as(seller, REMOVE, { l: sold.id, i: soldPhoto }))).toEqual(["CONFLICT"]);
  });

  it("gives a browse page its covers in a constant number of SQL statements", async () => {
    const browser = await signUp(stack, "Browse Cover");
    const covers = await uploads(browser, 20, 96, 72);
    for (const cover of covers) {
      const listing = await create(browser, [cover]);
      expect((await as(browser, PUBLISH, { id: listing.id })).errors).toBeUndefined();
    }
    const page = async (n: number, withCover: boolean) => {
      const query = `query ($seller: ID!) { listings(first: ${n}, filter: { sellerId: $seller }) { edges { node { id title ${withCover ? "coverImage { id width url(size: THUMB) }" : ""} } } } }`;
      const r = await stack.request(query, { seller: browser.id });
      expect(r.errors).toBeUndefined();
      expect(r.data.listings.edges).toHaveLength(n);
      if (withCover) expect(r.data.listings.edges.every((e: any) => covers.includes(e.node.coverImage.id))).toBe(true);
      return Number(r.headers.get("x-sql-statements"));
    };
    const twenty = await page(20, true);
    const five = await page(5, true);
    const withoutCovers = await page(20, false);
    expect(twenty).toBeGreaterThan(0);
    expect(twenty).toBe(five);
    expect(twenty).toBe(withoutCovers + 1);

    // Search hands its hits to the listings subgraph as entity references: one batch, one cover statement.
    const search = async (n: number, withCover: boolean) => {
      const query = `query ($seller: ID!) { search(filter: { sellerId: $seller }, sort: NEWEST, first: ${n}) { edges { node { listing { id title ${withCover ? "coverImage { id url }" : ""} } } } } }`;
      // Cold each time: the listings subgraph keeps listings by id across requests (an entity from search is one).
      await stack.app.purges.publish({ everything: true });
      const r = await stack.request(query, { seller: browser.id });
      expect(r.errors).toBeUndefined();
      expect(r.data.search.edges).toHaveLength(n);
      if (withCover) expect(r.data.search.edges.every((e: any) => covers.includes(e.node.listing.coverImage.id))).toBe(true);
      return Number(r.headers.get("x-sql-statements"));
    };
    const searchTwenty = await search(20, true);
    expect(searchTwenty).toBe(await search(5, true));
    expect(searchTwenty).toBeLessThanOrEqual((await search(20, false)) + 2);
  });
});
