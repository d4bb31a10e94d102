-- DropIndex
DROP INDEX "Hazard_createdAt_regionPath_status_idx";

-- CreateIndex
CREATE INDEX "Hazard_period_cover" ON "Hazard"("createdAt", "regionPath", "status", "level", "sector", "supervisionLevel", "deadline");
