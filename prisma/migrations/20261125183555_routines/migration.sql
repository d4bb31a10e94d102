-- CreateTable
CREATE TABLE "RoutineReport" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "routine" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "personId" INTEGER NOT NULL,
    "regionPath" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "reportedAt" DATETIME,
    "data" TEXT NOT NULL DEFAULT '{}'
);

-- CreateTable
CREATE TABLE "RoutinePhase" (
    "routine" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "window" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "at" DATETIME NOT NULL,

    PRIMARY KEY ("routine", "date", "window", "phase")
);

-- CreateIndex
CREATE INDEX "RoutineReport_routine_date_regionPath_idx" ON "RoutineReport"("routine", "date", "regionPath");

-- CreateIndex
CREATE UNIQUE INDEX "RoutineReport_routine_date_personId_key" ON "RoutineReport"("routine", "date", "personId");
