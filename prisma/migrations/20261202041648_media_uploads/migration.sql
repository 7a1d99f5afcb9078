-- CreateEnum
CREATE TYPE "MediaPurpose" AS ENUM ('LISTING', 'MESSAGE');

-- CreateTable
CREATE TABLE "MediaUpload" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "contentHash" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "dominantColor" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "purpose" "MediaPurpose",
    "attachedAt" TIMESTAMPTZ(3),
    "detachedAt" TIMESTAMPTZ(3),

    CONSTRAINT "MediaUpload_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MediaUpload_purpose_createdAt_idx" ON "MediaUpload"("purpose", "createdAt");

-- CreateIndex
CREATE INDEX "MediaUpload_detachedAt_idx" ON "MediaUpload"("detachedAt");

-- CreateIndex
CREATE INDEX "MediaUpload_contentHash_idx" ON "MediaUpload"("contentHash");
