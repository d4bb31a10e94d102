-- CreateTable
CREATE TABLE "Warning" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "issuerId" INTEGER NOT NULL,
    "regionPaths" TEXT NOT NULL,
    "roles" TEXT NOT NULL,
    "response" TEXT NOT NULL,
    "recallMinutes" INTEGER NOT NULL,
    "cycles" INTEGER NOT NULL,
    "escalateAfter" INTEGER NOT NULL,
    "cycle" INTEGER NOT NULL DEFAULT 0,
    "lastCycleAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "endedAt" DATETIME
);

-- CreateTable
CREATE TABLE "WarningTarget" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "warningId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "regionPath" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "confirmedAt" DATETIME,
    "measures" TEXT,
    "calls" INTEGER NOT NULL DEFAULT 1,
    "escalations" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "WarningTarget_warningId_fkey" FOREIGN KEY ("warningId") REFERENCES "Warning" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Warning_number_key" ON "Warning"("number");

-- CreateIndex
CREATE INDEX "Warning_status_idx" ON "Warning"("status");

-- CreateIndex
CREATE INDEX "WarningTarget_warningId_status_idx" ON "WarningTarget"("warningId", "status");

-- CreateIndex
CREATE INDEX "WarningTarget_personId_status_idx" ON "WarningTarget"("personId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "WarningTarget_warningId_personId_key" ON "WarningTarget"("warningId", "personId");
