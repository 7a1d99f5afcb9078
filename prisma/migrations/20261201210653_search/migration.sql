-- Search (subgraphs/search). Hand-written parts: the extensions, the Romanian text-search
-- configuration, the folding function, the AND/OR aggregates of tsquery, and the triggers that keep
-- "SearchDocument" and "SearchWord" equal to the active listings in the same transaction as each write
-- (and queue "SearchChange" rows for saved-search alerts).
-- The same SQL runs on PGlite (extensions loaded by lib/db/pglite-extensions.mjs) and PostgreSQL
-- (contrib; the three extensions are trusted, so a database owner may create them).
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- levenshtein: completions of a mistyped prefix ("bicilc" → "bicicletă"), where trigrams are too few.
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

-- Romanian stemming after unaccent: "bicicletă", "biciclete", "bicicleta" share one lexeme, and a query
-- without diacritics (or with the cedilla forms ş ţ of older keyboards) matches text with them.
CREATE TEXT SEARCH CONFIGURATION search_ro (COPY = pg_catalog.romanian);
ALTER TEXT SEARCH CONFIGURATION search_ro
  ALTER MAPPING FOR word, hword, hword_part, asciiword, asciihword, hword_asciipart WITH unaccent, romanian_stem;

-- Lower case without accents, as the vocabulary and trigram matching compare words. The dictionary is
-- named, which makes the function immutable for real (unaccent(text) reads the search_path).
CREATE FUNCTION search_fold(input text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(unaccent('unaccent'::regdictionary, input)) $$;

-- A title's words: lower case, cedilla forms as comma-below, at least 3 characters with a letter.
CREATE FUNCTION search_title_words(title text) RETURNS TABLE (word text, display text)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
    SELECT DISTINCT ON (search_fold(w)) search_fold(w), w
    FROM regexp_split_to_table(translate(lower(title), 'şţ', 'șț'), '[^a-z0-9ăâîșț]+') AS w
    WHERE length(w) >= 3 AND w ~ '[a-zăâîșț]'
    ORDER BY search_fold(w), w
  $$;

CREATE AGGREGATE search_all(tsquery) (SFUNC = tsquery_and, STYPE = tsquery);
CREATE AGGREGATE search_any(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);

-- CreateTable
CREATE TABLE "SearchDocument" (
    "listingId" UUID NOT NULL,
    "sellerId" UUID NOT NULL,
    "categoryId" INTEGER NOT NULL,
    "categoryPath" INTEGER[],
    "county" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "priceRonBani" BIGINT NOT NULL,
    "condition" "ItemCondition",
    "attributes" JSONB NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3),
    "document" tsvector NOT NULL,

    CONSTRAINT "SearchDocument_pkey" PRIMARY KEY ("listingId")
);

-- CreateTable
CREATE TABLE "SearchWord" (
    "word" TEXT NOT NULL,
    "display" TEXT NOT NULL,
    "docCount" INTEGER NOT NULL,

    CONSTRAINT "SearchWord_pkey" PRIMARY KEY ("word")
);

-- CreateIndex
CREATE INDEX "SearchDocument_document_idx" ON "SearchDocument" USING GIN ("document");

-- CreateIndex
CREATE INDEX "SearchDocument_categoryPath_idx" ON "SearchDocument" USING GIN ("categoryPath");

-- CreateIndex
CREATE INDEX "SearchDocument_publishedAt_listingId_idx" ON "SearchDocument"("publishedAt" DESC, "listingId" DESC);

-- CreateIndex
CREATE INDEX "SearchDocument_priceRonBani_listingId_idx" ON "SearchDocument"("priceRonBani", "listingId");

-- CreateIndex
CREATE INDEX "SearchDocument_county_city_idx" ON "SearchDocument"("county", "city");

-- CreateIndex
CREATE INDEX "SearchDocument_sellerId_idx" ON "SearchDocument"("sellerId");

-- CreateIndex
CREATE INDEX "SearchWord_word_trgm_idx" ON "SearchWord" USING GIN ("word" gin_trgm_ops);

-- CreateTable
CREATE TABLE "SavedSearch" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT,
    "filter" JSONB NOT NULL DEFAULT '{}',
    "categoryId" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SavedSearch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SearchAlert" (
    "id" UUID NOT NULL,
    "savedSearchId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "listingId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seenAt" TIMESTAMPTZ(3),

    CONSTRAINT "SearchAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SearchChange" (
    "id" BIGSERIAL NOT NULL,
    "listingId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SearchChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SavedSearch_userId_createdAt_idx" ON "SavedSearch"("userId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "SavedSearch_categoryId_idx" ON "SavedSearch"("categoryId");

-- CreateIndex
CREATE INDEX "SearchAlert_userId_createdAt_id_idx" ON "SearchAlert"("userId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "SearchAlert_savedSearchId_listingId_key" ON "SearchAlert"("savedSearchId", "listingId");

-- AddForeignKey
ALTER TABLE "SearchAlert" ADD CONSTRAINT "SearchAlert_savedSearchId_fkey" FOREIGN KEY ("savedSearchId") REFERENCES "SavedSearch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- What a listing is found by: its title (weight A), its category path's names and attribute values
-- (B), its description (C). Each part after the first starts with a stop word ("de"), which takes a
-- position: the last word of one part and the first of the next are not adjacent, so no "phrase" spans
-- two parts.
CREATE FUNCTION search_document(title text, category_names text, attributes jsonb, description text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT setweight(to_tsvector('search_ro', title), 'A')
      || setweight(to_tsvector('search_ro', 'de ' || coalesce(category_names, '') || ' de ' ||
           coalesce((SELECT string_agg(value, ' de ') FROM jsonb_each_text(attributes)), '')), 'B')
      || setweight(to_tsvector('search_ro', 'de ' || description), 'C')
  $$;

-- The index row of one listing: removed, then written again while the listing is ACTIVE.
CREATE FUNCTION search_reindex(listing uuid) RETURNS void
  LANGUAGE plpgsql
  AS $$
  DECLARE
    old_title text;
    new_title text;
  BEGIN
    DELETE FROM "SearchDocument" WHERE "listingId" = listing RETURNING title INTO old_title;

    WITH RECURSIVE up (id, parent, name, depth) AS (
      SELECT c.id, c."parentId", c.name, 0 FROM "Category" c JOIN "Listing" l ON l."categoryId" = c.id WHERE l.id = listing
      UNION ALL
      SELECT c.id, c."parentId", c.name, up.depth + 1 FROM "Category" c JOIN up ON c.id = up.parent
    ),
    path AS (SELECT array_agg(id ORDER BY depth DESC) AS ids, string_agg(name, ' ' ORDER BY depth DESC) AS names FROM up)
    INSERT INTO "SearchDocument" (
      "listingId", "sellerId", "categoryId", "categoryPath", county, city, "priceRonBani", condition, attributes,
      title, description, "publishedAt", "expiresAt", document
    )
    SELECT l.id, l."sellerId", l."categoryId", path.ids, l.county, l.city, l."priceRonBani", l.condition, l.attributes,
      l.title, l.description, coalesce(l."publishedAt", l."createdAt"), l."expiresAt",
      search_document(l.title, path.names, l.attributes, l.description)
    FROM "Listing" l, path
    WHERE l.id = listing AND l.status = 'ACTIVE'
    RETURNING title INTO new_title;

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

-- Only what search reads: a counted view or a version bump alone leaves the index as it is.
CREATE FUNCTION search_listing_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      PERFORM search_reindex(OLD.id);
    ELSIF TG_OP = 'INSERT' OR (OLD.status, OLD.title, OLD.description, OLD."categoryId", OLD."priceRonBani", OLD.condition,
        OLD.county, OLD.city, OLD.attributes, OLD."sellerId", OLD."publishedAt", OLD."expiresAt", OLD."createdAt")
      IS DISTINCT FROM (NEW.status, NEW.title, NEW.description, NEW."categoryId", NEW."priceRonBani", NEW.condition,
        NEW.county, NEW.city, NEW.attributes, NEW."sellerId", NEW."publishedAt", NEW."expiresAt", NEW."createdAt") THEN
      PERFORM search_reindex(NEW.id);
      -- Published, or changed while findable: saved searches may match it now (subgraphs/search/alerts.ts).
      IF NEW.status = 'ACTIVE' THEN
        INSERT INTO "SearchChange" ("listingId") VALUES (NEW.id);
      END IF;
    END IF;
    RETURN NULL;
  END;
  $$;

CREATE TRIGGER search_listing_changed
  AFTER INSERT OR UPDATE OR DELETE ON "Listing"
  FOR EACH ROW EXECUTE FUNCTION search_listing_changed();

-- A category renamed or moved: its listings' paths and texts change (the catalog sync, at start-up).
CREATE FUNCTION search_category_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF (OLD.name, OLD."parentId") IS DISTINCT FROM (NEW.name, NEW."parentId") THEN
      PERFORM search_reindex("listingId") FROM "SearchDocument" WHERE "categoryPath" @> ARRAY[NEW.id];
    END IF;
    RETURN NULL;
  END;
  $$;

CREATE TRIGGER search_category_changed
  AFTER UPDATE ON "Category"
  FOR EACH ROW EXECUTE FUNCTION search_category_changed();

-- The whole index from the listings, in three set-based statements (the triggers' work row by row is
-- far slower for a bulk load: the benchmarks load with triggers off, then call this).
CREATE FUNCTION search_rebuild() RETURNS void
  LANGUAGE plpgsql
  AS $$
  BEGIN
    DELETE FROM "SearchDocument";
    DELETE FROM "SearchWord";
    WITH RECURSIVE paths (id, ids, names) AS (
      SELECT id, ARRAY[id], name FROM "Category" WHERE "parentId" IS NULL
      UNION ALL
      SELECT c.id, p.ids || c.id, p.names || ' ' || c.name FROM "Category" c JOIN paths p ON c."parentId" = p.id
    )
    INSERT INTO "SearchDocument" (
      "listingId", "sellerId", "categoryId", "categoryPath", county, city, "priceRonBani", condition, attributes,
      title, description, "publishedAt", "expiresAt", document
    )
    SELECT l.id, l."sellerId", l."categoryId", paths.ids, l.county, l.city, l."priceRonBani", l.condition, l.attributes,
      l.title, l.description, coalesce(l."publishedAt", l."createdAt"), l."expiresAt",
      search_document(l.title, paths.names, l.attributes, l.description)
    FROM "Listing" l JOIN paths ON paths.id = l."categoryId"
    WHERE l.status = 'ACTIVE';
    INSERT INTO "SearchWord" (word, display, "docCount")
    SELECT w.word, (array_agg(w.display ORDER BY w.display = w.word, w.display))[1], count(*)
    FROM "SearchDocument" d, search_title_words(d.title) w
    GROUP BY w.word;
  END;
  $$;

-- Listings that existed before search.
SELECT search_rebuild();
