-- CreateIndex
CREATE INDEX "Hazard_rectifiedAt_regionPath_idx" ON "Hazard"("rectifiedAt", "regionPath");
