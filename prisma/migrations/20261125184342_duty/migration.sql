-- CreateTable
CREATE TABLE "DutyShift" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "date" TEXT NOT NULL,
    "startAt" DATETIME NOT NULL,
    "endAt" DATETIME NOT NULL,
    "regionPath" TEXT NOT NULL,
    "officerIds" TEXT NOT NULL,
    "leaderId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DutyEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shiftId" INTEGER NOT NULL,
    "personId" INTEGER,
    "kind" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "openItems" TEXT NOT NULL DEFAULT '[]',
    CONSTRAINT "DutyEvent_shiftId_fkey" FOREIGN KEY ("shiftId") REFERENCES "DutyShift" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "NoonReport" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shiftId" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "regionPath" TEXT NOT NULL,
    "reporterId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "details" TEXT,
    "handled" TEXT,
    "reportedUp" TEXT,
    "at" DATETIME NOT NULL,
    "confirmedBy" INTEGER,
    "confirmedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "DutyShift_startAt_idx" ON "DutyShift"("startAt");

-- CreateIndex
CREATE INDEX "DutyShift_endAt_idx" ON "DutyShift"("endAt");

-- CreateIndex
CREATE UNIQUE INDEX "DutyShift_date_regionPath_startAt_key" ON "DutyShift"("date", "regionPath", "startAt");

-- CreateIndex
CREATE INDEX "DutyEvent_shiftId_kind_idx" ON "DutyEvent"("shiftId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "NoonReport_shiftId_key" ON "NoonReport"("shiftId");
