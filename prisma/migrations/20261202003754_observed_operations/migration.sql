-- CreateTable
CREATE TABLE "ObservedOperation" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "operation" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "totalMs" DOUBLE PRECISION NOT NULL,
    "maxMs" DOUBLE PRECISION NOT NULL,
    "sqlCounted" INTEGER NOT NULL,
    "sqlStatements" INTEGER NOT NULL,
    "histogram" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ObservedOperation_pkey" PRIMARY KEY ("hour","operation")
);

-- CreateTable
CREATE TABLE "ObservedStatement" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "totalMs" DOUBLE PRECISION NOT NULL,
    "maxMs" DOUBLE PRECISION NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ObservedStatement_pkey" PRIMARY KEY ("hour","fingerprint")
);
