-- DropIndex
DROP INDEX "SearchDocument_county_city_idx";

-- CreateIndex
CREATE INDEX "SearchDocument_county_city_categoryId_idx" ON "SearchDocument"("county", "city", "categoryId");
