-- CreateEnum
CREATE TYPE "ListingImportStatus" AS ENUM ('RUNNING', 'DONE', 'FAILED');

-- CreateTable
CREATE TABLE "ListingImport" (
    "id" UUID NOT NULL,
    "sellerId" UUID NOT NULL,
    "urls" TEXT[],
    "status" "ListingImportStatus" NOT NULL DEFAULT 'RUNNING',
    "listingIds" UUID[],
    "problems" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ListingImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ListingImport_sellerId_createdAt_id_idx" ON "ListingImport"("sellerId", "createdAt" DESC, "id" DESC);
