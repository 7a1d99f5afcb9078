-- DropIndex
DROP INDEX "Listing_sellerId_status_idx";

-- CreateIndex
CREATE INDEX "Listing_sellerId_status_publishedAt_idx" ON "Listing"("sellerId", "status", "publishedAt" DESC);
