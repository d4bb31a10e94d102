-- CreateTable
CREATE TABLE "DutySwap" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shiftId" INTEGER NOT NULL,
    "fromId" INTEGER NOT NULL,
    "toId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "requestedAt" DATETIME NOT NULL,
    "decidedBy" INTEGER,
    "decidedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "DutySwap_shiftId_status_idx" ON "DutySwap"("shiftId", "status");
