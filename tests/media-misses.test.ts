/**
 * Photo URLs that name no photo each cost a database read, so a client may ask for only so many a
 * minute (RATE_LIMIT_MEDIA_MISSES_PER_MINUTE, here 3); photos that exist cost nothing against it.
 */
import crypto from "node:crypto";
import sharp from "sharp";
import { afterAll, beforeAll, expect, it } from "vitest";
import { carListingInput, signUp, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const CREATE = `mutation ($input: CreateListingInput!) { createListing(input: $input) { id images { url(size: THUMB, format: JPEG) } } }`;

describeStack("photo URLs that name no photo", () => {
  let stack: Stack;
  let origin: string;
  let seller: TestUser;

  beforeAll(async () => {
    stack = await startStack({ RATE_LIMIT_MEDIA_MISSES_PER_MINUTE: "3", RATE_LIMIT_UPLOADS_PER_MINUTE: "100" });
    origin = new URL(stack.url).origin;
    seller = await signUp(stack);
  });
  afterAll(() => stack?.stop());

  /** A listing with `count` photos; their thumbnails' paths. */
  async function photos(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const form = new FormData();
      const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 40 * i, g: 120, b: 200 } } }).jpeg().toBuffer();
      form.append("file", new Blob([new Uint8Array(jpeg)], { type: "image/jpeg" }), "poza.jpg");
      const response = await fetch(`${origin}/uploads`, { method: "POST", headers: { authorization: `Bearer ${seller.token}` }, body: form });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    const created = await stack.request(CREATE, { input: carListingInput({ imageIds: ids }) }, { token: seller.token });
    expect(created.errors).toBeUndefined();
    return created.data.createListing.images.map((image: { url: string }) => new URL(image.url, origin).pathname);
  }

  it("answers 404 to a few, then 429 with Retry-After; photos that exist still load", async () => {
    const paths = await photos(5);
    expect(paths).toHaveLength(5);
    // Five photos never read before: each is a database read, given back because it found a photo.
    for (const path of paths) expect((await fetch(`${origin}${path}`)).status).toBe(200);

    const missing = () => fetch(`${origin}/media/${crypto.randomUUID()}/thumb.jpg`);
    for (let i = 0; i < 3; i++) expect((await missing()).status).toBe(404);
    const limited = await missing();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await limited.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe("RATE_LIMITED");
    // Photos already read are answered from memory: no read, no limit.
    for (const path of paths) expect((await fetch(`${origin}${path}`)).status).toBe(200);
  });
});
