-- CreateTable
CREATE TABLE "Hazard" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" TEXT NOT NULL,
    "reporterId" INTEGER NOT NULL,
    "responsibleId" INTEGER NOT NULL,
    "regionId" INTEGER NOT NULL,
    "regionPath" TEXT NOT NULL,
    "place" TEXT NOT NULL,
    "lat" REAL,
    "lng" REAL,
    "sector" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "photos" TEXT NOT NULL DEFAULT '[]',
    "responsibleUnit" TEXT NOT NULL,
    "deadline" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "rectifiedAt" DATETIME,
    "closedAt" DATETIME,
    "remindedAt" DATETIME,
    "overdueAt" DATETIME,
    "escalatedAt" DATETIME,
    "supervisionLevel" TEXT,
    "listedAt" DATETIME,
    "listedBy" INTEGER
);

-- CreateTable
CREATE TABLE "HazardEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hazardId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "actorId" INTEGER,
    "kind" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "note" TEXT,
    "photos" TEXT NOT NULL DEFAULT '[]',
    CONSTRAINT "HazardEvent_hazardId_fkey" FOREIGN KEY ("hazardId") REFERENCES "Hazard" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Hazard_number_key" ON "Hazard"("number");

-- CreateIndex
CREATE INDEX "Hazard_regionPath_createdAt_idx" ON "Hazard"("regionPath", "createdAt");

-- CreateIndex
CREATE INDEX "Hazard_status_deadline_idx" ON "Hazard"("status", "deadline");

-- CreateIndex
CREATE INDEX "Hazard_reporterId_idx" ON "Hazard"("reporterId");

-- CreateIndex
CREATE INDEX "Hazard_responsibleId_idx" ON "Hazard"("responsibleId");

-- CreateIndex
CREATE INDEX "Hazard_supervisionLevel_status_idx" ON "Hazard"("supervisionLevel", "status");

-- CreateIndex
CREATE INDEX "HazardEvent_hazardId_at_idx" ON "HazardEvent"("hazardId", "at");
