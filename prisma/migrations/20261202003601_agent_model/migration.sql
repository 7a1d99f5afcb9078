-- CreateTable
CREATE TABLE "AgentModel" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "metrics" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgentModel_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AgentModel_kind_createdAt_idx" ON "AgentModel"("kind", "createdAt" DESC);
