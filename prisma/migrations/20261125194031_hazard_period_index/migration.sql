-- CreateIndex
CREATE INDEX "Hazard_createdAt_regionPath_status_idx" ON "Hazard"("createdAt", "regionPath", "status");
