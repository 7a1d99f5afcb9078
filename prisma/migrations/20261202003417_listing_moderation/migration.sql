-- CreateEnum
CREATE TYPE "ModerationDecision" AS ENUM ('APPROVED', 'REJECTED', 'NEEDS_REVIEW');

-- CreateTable
CREATE TABLE "ListingModeration" (
    "listingId" UUID NOT NULL,
    "listingVersion" INTEGER NOT NULL,
    "decision" "ModerationDecision" NOT NULL,
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "score" DOUBLE PRECISION NOT NULL,
    "decidedBy" UUID,
    "runId" UUID,
    "insights" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ListingModeration_pkey" PRIMARY KEY ("listingId")
);

-- CreateIndex
CREATE INDEX "ListingModeration_decision_updatedAt_idx" ON "ListingModeration"("decision", "updatedAt");

-- AddForeignKey
ALTER TABLE "ListingModeration" ADD CONSTRAINT "ListingModeration_listingId_fkey" FOREIGN KEY ("listingId") REFERENCES "Listing"("id") ON DELETE CASCADE ON UPDATE CASCADE;
