-- CreateEnum
CREATE TYPE "AgentRunStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "AgentRun" (
    "id" UUID NOT NULL,
    "agent" TEXT NOT NULL,
    "goal" TEXT NOT NULL,
    "input" JSONB NOT NULL,
    "status" "AgentRunStatus" NOT NULL DEFAULT 'QUEUED',
    "output" JSONB,
    "metadata" JSONB,
    "error" TEXT,
    "progress" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "requestedBy" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "AgentRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentSetting" (
    "agent" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "schedule" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AgentSetting_pkey" PRIMARY KEY ("agent")
);

-- CreateIndex
CREATE INDEX "AgentRun_agent_createdAt_id_idx" ON "AgentRun"("agent", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "AgentRun_status_createdAt_idx" ON "AgentRun"("status", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "AgentRun_createdAt_id_idx" ON "AgentRun"("createdAt" DESC, "id" DESC);
