-- CreateTable
CREATE TABLE "ConversationFlag" (
    "conversationId" UUID NOT NULL,
    "messageId" UUID NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "dismissedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ConversationFlag_pkey" PRIMARY KEY ("conversationId")
);

-- CreateTable
CREATE TABLE "ChatScanCursor" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "lastCreatedAt" TIMESTAMPTZ(3) NOT NULL,
    "lastMessageId" UUID NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ChatScanCursor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConversationFlag_dismissedAt_updatedAt_idx" ON "ConversationFlag"("dismissedAt", "updatedAt");

-- CreateIndex
CREATE INDEX "ChatMessage_createdAt_id_idx" ON "ChatMessage"("createdAt", "id");

-- AddForeignKey
ALTER TABLE "ConversationFlag" ADD CONSTRAINT "ConversationFlag_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
