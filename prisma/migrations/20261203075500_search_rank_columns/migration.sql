-- A common word's RELEVANCE page reads and ranks every match (9,089 rows for "apartament" at 100,000
-- listings) to keep 21. Per match, PostgreSQL deformed the row up to its last column (the tsvector,
-- after the array, texts and jsonb), and computed the freshness boost as timestamp - timestamp (an
-- interval) and date_part('epoch', …) of it. Two changes to "SearchDocument" (bench/results/
-- search-2026-12-03-h55-summary.md):
-- 1. Column order: the fixed-width columns first, nullable ones after them, then the tsvector, then
--    what only filters and facets read (categoryPath, county, city, attributes). Reading a match's
--    expiresAt, publishedAt and document no longer walks the variable-length columns before them.
-- 2. "publishedEpoch": publishedAt in seconds since 1970, float8, written with it by the same triggers
--    in the same transaction: the boost is one subtraction from the bound "now" per match.
-- The table is created anew (column order cannot be changed in place), with the same partitions,
-- indexes and names as the search_partitions migration made.

CREATE TABLE "SearchDocument_new" (
    "rootCategoryId" INTEGER NOT NULL,
    "categoryId" INTEGER NOT NULL,
    "listingId" UUID NOT NULL,
    "sellerId" UUID NOT NULL,
    "priceRonBani" BIGINT NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL,
    "publishedEpoch" DOUBLE PRECISION NOT NULL,
    "expiresAt" TIMESTAMPTZ(3),
    "condition" "ItemCondition",
    "document" tsvector NOT NULL,
    "categoryPath" INTEGER[],
    "county" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "attributes" JSONB NOT NULL
) PARTITION BY LIST ("rootCategoryId");

CREATE TABLE "SearchDocument_new_1" PARTITION OF "SearchDocument_new" FOR VALUES IN (1);
CREATE TABLE "SearchDocument_new_2" PARTITION OF "SearchDocument_new" FOR VALUES IN (2);
CREATE TABLE "SearchDocument_new_4" PARTITION OF "SearchDocument_new" FOR VALUES IN (4);
CREATE TABLE "SearchDocument_new_other" PARTITION OF "SearchDocument_new" DEFAULT;

INSERT INTO "SearchDocument_new" (
  "rootCategoryId", "categoryId", "listingId", "sellerId", "priceRonBani", "publishedAt", "publishedEpoch", "expiresAt", condition,
  document, "categoryPath", county, city, attributes
)
SELECT "rootCategoryId", "categoryId", "listingId", "sellerId", "priceRonBani", "publishedAt", date_part('epoch', "publishedAt"), "expiresAt", condition,
  document, "categoryPath", county, city, attributes
FROM "SearchDocument";

DROP TABLE "SearchDocument";
ALTER TABLE "SearchDocument_new" RENAME TO "SearchDocument";
ALTER TABLE "SearchDocument_new_1" RENAME TO "SearchDocument_1";
ALTER TABLE "SearchDocument_new_2" RENAME TO "SearchDocument_2";
ALTER TABLE "SearchDocument_new_4" RENAME TO "SearchDocument_4";
ALTER TABLE "SearchDocument_new_other" RENAME TO "SearchDocument_other";

ALTER TABLE "SearchDocument" ADD CONSTRAINT "SearchDocument_pkey" PRIMARY KEY ("rootCategoryId", "listingId");
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
      "publishedAt", "publishedEpoch", "expiresAt", document
    )
    SELECT l.id, l."sellerId", coalesce(path.ids[1], l."categoryId"), l."categoryId", path.ids, l.county, l.city, l."priceRonBani", l.condition, l.attributes,
      coalesce(l."publishedAt", l."createdAt"), date_part('epoch', coalesce(l."publishedAt", l."createdAt")), l."expiresAt",
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
      "publishedAt", "publishedEpoch", "expiresAt", document
    )
    SELECT l.id, l."sellerId", paths.ids[1], l."categoryId", paths.ids, l.county, l.city, l."priceRonBani", l.condition, l.attributes,
      coalesce(l."publishedAt", l."createdAt"), date_part('epoch', coalesce(l."publishedAt", l."createdAt")), l."expiresAt",
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
