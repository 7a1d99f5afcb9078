-- AlterTable
ALTER TABLE "Listing" ADD COLUMN     "favoriteCount" INTEGER NOT NULL DEFAULT 0;

-- The count of each listing's favourites, kept in the same transaction as the favourite itself by
-- triggers: every way a row comes or goes (the API, the demo data, a listing's cascade) keeps it exact.
UPDATE "Listing" l SET "favoriteCount" = f.count
FROM (SELECT "listingId", COUNT(*)::int AS count FROM "Favorite" GROUP BY "listingId") f
WHERE f."listingId" = l.id;

CREATE FUNCTION listing_favorite_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE "Listing" SET "favoriteCount" = "favoriteCount" + 1 WHERE id = NEW."listingId";
  ELSE
    UPDATE "Listing" SET "favoriteCount" = "favoriteCount" - 1 WHERE id = OLD."listingId";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER favorite_count AFTER INSERT OR DELETE ON "Favorite"
FOR EACH ROW EXECUTE FUNCTION listing_favorite_count();
