import type { Db } from "./db.js";

const DAY = 24 * 60 * 60_000;

/** Drops old delivery bookkeeping; audit and domain records are kept. */
export async function pruneOld(db: Db, now: Date, keep = { inboundDays: 90, outboxDays: 30, jobRunDays: 30 }) {
  // Fresh planner statistics once a day keep the stats queries on the right index.
  await db.$transaction((tx) => tx.$executeRawUnsafe("ANALYZE"));
  return db.$transaction(async (tx) => ({
    inbound: (await tx.inboundMessage.deleteMany({ where: { recordedAt: { lt: new Date(now.getTime() - keep.inboundDays * DAY) } } })).count,
    outbox: (await tx.outboxMessage.deleteMany({ where: { status: "sent", sentAt: { lt: new Date(now.getTime() - keep.outboxDays * DAY) } } })).count,
    jobRuns: (await tx.jobRun.deleteMany({ where: { finishedAt: { lt: new Date(now.getTime() - keep.jobRunDays * DAY) } } })).count,
  }));
}
