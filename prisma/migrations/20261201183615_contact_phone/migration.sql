-- AlterTable
ALTER TABLE "User" ADD COLUMN     "showPhone" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "PhoneReveal" (
    "id" UUID NOT NULL,
    "listingId" UUID NOT NULL,
    "sellerId" UUID NOT NULL,
    "viewerId" UUID NOT NULL,
    "revealedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PhoneReveal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PhoneReveal_listingId_idx" ON "PhoneReveal"("listingId");
