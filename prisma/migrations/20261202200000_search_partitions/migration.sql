-- A common word's matches are read row by row from "SearchDocument" (a bitmap heap scan after the GIN
-- index): one heap page per match, since 9,089 matches of "apartament" among 100,000 listings lay on
-- 6,658 of the table's pages (bench/results/search-2026-12-03-explain-after.md). Two changes make the
-- pages a word's matches lie on fewer:
-- 1. Partitions by the listing's top-level category. The words people search by belong to one part of
--    the catalog (apartament, dacia, telefon), so in their partition their matches fill pages instead of
--    scattering one per page over the whole table. The three largest top-level categories (Auto 1,
--    Imobiliare 2, Electronice 4: ~15 %, ~15 %, ~13 % of listings) have a partition each, the others
--    share the default one: every partition costs each statement its planning and its indexes' locks
--    (12 partitions added ~1–2 ms of PostgreSQL CPU to every small search; bench/results/
--    search-2026-12-03-h8.md).
-- 2. The title and description, read only for a page's 20 highlights, in "SearchText" (one row per
--    document): a row of "SearchDocument" is ~1.1 kB -> ~0.8 kB (its tsvector stays: the GIN index and
--    phrase checks need it).
-- Both stay written by the same triggers, in the same transaction as the listing's write.

CREATE TABLE "SearchText" (
    "listingId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,

    CONSTRAINT "SearchText_pkey" PRIMARY KEY ("listingId")
);

INSERT INTO "SearchText" ("listingId", title, description) SELECT "listingId", title, description FROM "SearchDocument";

ALTER TABLE "SearchDocument" RENAME TO "SearchDocument_unpartitioned";
ALTER TABLE "SearchDocument_unpartitioned" RENAME CONSTRAINT "SearchDocument_pkey" TO "SearchDocument_unpartitioned_pkey";
DROP INDEX "SearchDocument_document_idx";
DROP INDEX "SearchDocument_categoryPath_idx";
DROP INDEX "SearchDocument_publishedAt_listingId_idx";
DROP INDEX "SearchDocument_priceRonBani_listingId_idx";
DROP INDEX "SearchDocument_county_city_categoryId_idx";
DROP INDEX "SearchDocument_sellerId_idx";
DROP INDEX "SearchDocument_facets_idx";

CREATE TABLE "SearchDocument" (
    "listingId" UUID NOT NULL,
    "sellerId" UUID NOT NULL,
    "rootCategoryId" INTEGER NOT NULL,
    "categoryId" INTEGER NOT NULL,
    "categoryPath" INTEGER[],
    "county" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "priceRonBani" BIGINT NOT NULL,
    "condition" "ItemCondition",
    "attributes" JSONB NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3),
    "document" tsvector NOT NULL,

    CONSTRAINT "SearchDocument_pkey" PRIMARY KEY ("rootCategoryId", "listingId")
) PARTITION BY LIST ("rootCategoryId");

-- Top-level category ids are fixed in subgraphs/listings/catalog/categories.ts.
CREATE TABLE "SearchDocument_1" PARTITION OF "SearchDocument" FOR VALUES IN (1);
CREATE TABLE "SearchDocument_2" PARTITION OF "SearchDocument" FOR VALUES IN (2);
CREATE TABLE "SearchDocument_4" PARTITION OF "SearchDocument" FOR VALUES IN (4);
CREATE TABLE "SearchDocument_other" PARTITION OF "SearchDocument" DEFAULT;

INSERT INTO "SearchDocument" (
  "listingId", "sellerId", "rootCategoryId", "categoryId", "categoryPath", county, city, "priceRonBani", condition, attributes,
  "publishedAt", "expiresAt", document
)
SELECT "listingId", "sellerId", "categoryPath"[1], "categoryId", "categoryPath", county, city, "priceRonBani", condition, attributes,
  "publishedAt", "expiresAt", document
FROM "SearchDocument_unpartitioned";

DROP TABLE "SearchDocument_unpartitioned";

-- CreateIndex
CREATE INDEX "SearchDocument_listingId_idx" ON "SearchDocument"("listingId");
CREATE INDEX "SearchDocument_document_idx" ON "SearchDocument" USING GIN ("document");
CREATE INDEX "SearchDocument_categoryPath_idx" ON "SearchDocument" USING GIN ("categoryPath");
CREATE INDEX "SearchDocument_publishedAt_listingId_idx" ON "SearchDocument"("publishedAt" DESC, "listingId" DESC);
CREATE INDEX "SearchDocument_priceRonBani_listingId_idx" ON "SearchDocument"("priceRonBani", "listingId");
CREATE INDEX "SearchDocument_county_city_categoryId_idx" ON "SearchDocument"("county", "city", "categoryId");
CREATE INDEX "SearchDocument_sellerId_idx" ON "SearchDocument"("sellerId");
CREATE INDEX "SearchDocument_facets_idx" ON "SearchDocument"("categoryId", "county", "city", "condition", "priceRonBani", "expiresAt");

-- The index rows of one listing: removed, then written again while the listing is ACTIVE.
CREATE OR REPLACE FUNCTION search_reindex(listing uuid) RETURNS void
  LANGUAGE plpgsql
  AS $$
  DECLARE
    old_title text;
    new_title text;
  BEGIN
    DELETE FROM "SearchDocument" WHERE "listingId" = listing;
    DELETE FROM "SearchText" WHERE "listingId" = listing RETURNING title INTO old_title;

    WITH RECURSIVE up (id, parent, name, depth) AS (
      SELECT c.id, c."parentId", c.name, 0 FROM "Category" c JOIN "Listing" l ON l."categoryId" = c.id WHERE l.id = listing
      UNION ALL
      SELECT c.id, c."parentId", c.name, up.depth + 1 FROM "Category" c JOIN up ON c.id = up.parent
    ),
    path AS (SELECT array_agg(id ORDER BY depth DESC) AS ids, string_agg(name, ' ' ORDER BY depth DESC) AS names FROM up)
    INSERT INTO "SearchDocument" (
      "listingId", "sellerId", "rootCategoryId", "categoryId", "categoryPath", county, city, "priceRonBani", condition, attributes,
      "publishedAt", "expiresAt", document
    )
    SELECT l.id, l."sellerId", coalesce(path.ids[1], l."categoryId"), l."categoryId", path.ids, l.county, l.city, l."priceRonBani", l.condition, l.attributes,
      coalesce(l."publishedAt", l."createdAt"), l."expiresAt",
      search_document(l.title, path.names, l.attributes, l.description)
    FROM "Listing" l, path
    WHERE l.id = listing AND l.status = 'ACTIVE';
    IF FOUND THEN
      INSERT INTO "SearchText" ("listingId", title, description)
      SELECT l.id, l.title, l.description FROM "Listing" l WHERE l.id = listing
      RETURNING title INTO new_title;
    END IF;

    IF old_title IS NOT DISTINCT FROM new_title THEN
      RETURN;
    END IF;
    -- Rows locked in word order, so two writers sharing words never wait on each other in a cycle.
    IF old_title IS NOT NULL THEN
      PERFORM 1 FROM "SearchWord" WHERE word IN (SELECT word FROM search_title_words(old_title)) ORDER BY word FOR UPDATE;
      UPDATE "SearchWord" SET "docCount" = "docCount" - 1 WHERE word IN (SELECT word FROM search_title_words(old_title));
    END IF;
    IF new_title IS NOT NULL THEN
      INSERT INTO "SearchWord" (word, display, "docCount")
      SELECT word, display, 1 FROM search_title_words(new_title) ORDER BY word
      -- A form with diacritics ("bicicletă") is kept over one without ("bicicleta").
      ON CONFLICT (word) DO UPDATE SET "docCount" = "SearchWord"."docCount" + 1,
        display = CASE WHEN "SearchWord".display = "SearchWord".word THEN excluded.display ELSE "SearchWord".display END;
    END IF;
  END;
  $$;

-- The whole index from the listings, in set-based statements (see the search migration).
CREATE OR REPLACE FUNCTION search_rebuild() RETURNS void
  LANGUAGE plpgsql
  AS $$
  BEGIN
    DELETE FROM "SearchDocument";
    DELETE FROM "SearchText";
    DELETE FROM "SearchWord";
    WITH RECURSIVE paths (id, ids, names) AS (
      SELECT id, ARRAY[id], name FROM "Category" WHERE "parentId" IS NULL
      UNION ALL
      SELECT c.id, p.ids || c.id, p.names || ' ' || c.name FROM "Category" c JOIN paths p ON c."parentId" = p.id
    )
    INSERT INTO "SearchDocument" (
      "listingId", "sellerId", "rootCategoryId", "categoryId", "categoryPath", county, city, "priceRonBani", condition, attributes,
      "publishedAt", "expiresAt", document
    )
    SELECT l.id, l."sellerId", paths.ids[1], l."categoryId", paths.ids, l.county, l.city, l."priceRonBani", l.condition, l.attributes,
      coalesce(l."publishedAt", l."createdAt"), l."expiresAt",
      search_document(l.title, paths.names, l.attributes, l.description)
    FROM "Listing" l JOIN paths ON paths.id = l."categoryId"
    WHERE l.status = 'ACTIVE';
    INSERT INTO "SearchText" ("listingId", title, description)
    SELECT l.id, l.title, l.description FROM "Listing" l JOIN "SearchDocument" d ON d."listingId" = l.id;
    INSERT INTO "SearchWord" (word, display, "docCount")
    SELECT w.word, (array_agg(w.display ORDER BY w.display = w.word, w.display))[1], count(*)
    FROM "SearchText" t, search_title_words(t.title) w
    GROUP BY w.word;
  END;
  $$;
