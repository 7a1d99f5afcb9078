/**
 * A word search's total and facets are kept across requests until a listing changes
 * (SearchService.counts), through the public API with the response cache off, so every answer is
 * computed. That they are kept shows against a change written straight to the database, which no
 * service announces (no purge): the page, read each time, already misses the listing while the
 * counts still have it. That they are recounted shows after each real change through the API — a
 * publish, an edit, a sale — whose purge empties them: the counts then agree with the page again.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createListing, signUp, type TestUser } from "./utils/fixtures.ts";
import { backend, describeStack, startStack, type Stack } from "./utils/stack.ts";

const SEARCH = /* GraphQL */ `
  query ($query: String, $filter: SearchFilter) {
    search(query: $query, filter: $filter, first: 50) {
      totalCount
      facets { counties { count } conditions { count } }
      edges { node { listing { id } } }
    }
  }
`;

const BINOCULARS = { title: "Binoclu de vânătoare 10x50", description: "Binoclu cu husă, lentile curate, folosit de câteva ori la munte." };

function telescope(n: number) {
  return {
    categoryId: "805",
    title: `Lunetă astronomică ${n} cu trepied`,
    description: "Lunetă pentru observații, oglinzi curate, trepied din aluminiu și geantă de transport.",
    price: { amount: 90_000 + n * 100, currency: "RON" },
    condition: "USED",
    county: "CJ",
    city: "Cluj-Napoca",
    attributes: {},
  };
}

describeStack(`search counts kept until a listing changes (${backend})`, () => {
  let stack: Stack;
  let seller: TestUser;

  beforeAll(async () => {
    stack = await startStack({ RESPONSE_CACHE_MAX_BYTES: "0" });
    seller = await signUp(stack, "Vânzător Lunete");
  });
  afterAll(() => stack?.stop());

  const search = async (filter: Record<string, unknown> | null = null) => {
    const r = await stack.request(SEARCH, { query: "luneta", filter });
    expect(r.errors).toBeUndefined();
    const { totalCount, facets, edges } = r.data.search as {
      totalCount: number;
      facets: { counties: { count: number }[]; conditions: { count: number }[] };
      edges: { node: { listing: { id: string } } }[];
    };
    const sum = (list: { count: number }[]) => list.reduce((s, x) => s + x.count, 0);
    // Total and facets come together, from the same count.
    expect(sum(facets.counties)).toBe(totalCount);
    expect(sum(facets.conditions)).toBe(totalCount);
    return { totalCount, ids: edges.map((e) => e.node.listing.id).sort() };
  };
  /** A change no service announces: the search index follows (the Listing trigger), no purge is sent. */
  const writeUnannounced = (id: string, data: { title: string; description: string }) => stack.app.db.prisma.listing.update({ where: { id }, data });
  const mutate = async (mutation: string, variables: Record<string, unknown>) => {
    const r = await stack.request(mutation, variables, { token: seller.token });
    expect(r.errors).toBeUndefined();
  };

  it("counts a word search once, and again after a listing is published, edited or sold", async () => {
    const [a, b, c] = [await createListing(stack, seller, telescope(1)), await createListing(stack, seller, telescope(2)), await createListing(stack, seller, telescope(3))];
    const draft = await createListing(stack, seller, telescope(4), false);
    expect(await search()).toEqual({ totalCount: 3, ids: [a, b, c].sort() });

    await writeUnannounced(a!, BINOCULARS);
    // Kept: the page is read again and misses `a`, the counts are not.
    expect(await search()).toEqual({ totalCount: 3, ids: [b, c].sort() });
    // Another filter is counted on its own (its first read is current).
    expect(await search({ condition: ["USED"] })).toEqual({ totalCount: 2, ids: [b, c].sort() });

    await mutate(`mutation ($id: ID!) { publishListing(id: $id) { id } }`, { id: draft });
    expect(await search()).toEqual({ totalCount: 3, ids: [b, c, draft].sort() });

    await writeUnannounced(b!, BINOCULARS);
    expect(await search()).toEqual({ totalCount: 3, ids: [c, draft].sort() });
    await mutate(`mutation ($id: ID!, $input: UpdateListingInput!) { updateListing(id: $id, input: $input) { id } }`, {
      id: c,
      input: { price: { amount: 80_000, currency: "RON" } },
    });
    expect(await search()).toEqual({ totalCount: 2, ids: [c, draft].sort() });

    await writeUnannounced(a!, { title: telescope(1).title, description: telescope(1).description });
    expect(await search()).toEqual({ totalCount: 2, ids: [a, c, draft].sort() });
    await mutate(`mutation ($id: ID!) { markListingSold(id: $id) { id } }`, { id: draft });
    expect(await search()).toEqual({ totalCount: 2, ids: [a, c].sort() });
  });
});
