-- CreateTable
CREATE TABLE "WarningNotice" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "warningId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "cycle" INTEGER NOT NULL,
    "outboxKey" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "WarningNotice_outboxKey_key" ON "WarningNotice"("outboxKey");

-- CreateIndex
CREATE INDEX "WarningNotice_warningId_personId_idx" ON "WarningNotice"("warningId", "personId");

-- Backfill: notices written before this table, read once from their outbox keys
-- (yj:<warning>:p:<person>:<cycle>:<channel>:<chat>).
INSERT OR IGNORE INTO "WarningNotice" ("warningId", "personId", "cycle", "outboxKey")
WITH k1 AS (SELECT "dedupeKey" AS k, substr("dedupeKey", 4) AS r1 FROM "OutboxMessage" WHERE "dedupeKey" LIKE 'yj:%:p:%'),
k2 AS (SELECT k, substr(r1, 1, instr(r1, ':') - 1) AS wid, substr(r1, instr(r1, ':') + 3) AS r3 FROM k1 WHERE substr(r1, instr(r1, ':') + 1, 2) = 'p:'),
k3 AS (SELECT k, wid, substr(r3, 1, instr(r3, ':') - 1) AS pid, substr(r3, instr(r3, ':') + 1) AS r4 FROM k2)
SELECT CAST(wid AS INTEGER), CAST(pid AS INTEGER), CAST(substr(r4, 1, instr(r4, ':') - 1) AS INTEGER), k FROM k3 WHERE instr(r4, ':') > 0;
