/**
 * The render queue (RenderJob): heavy work asked for in a transaction and done
 * after its commit. One process renders, so a claim is a plain update.
 */
import type { ClaimedRender } from "../core/renders.js";
import type { Db, Tx } from "./db.js";

/** Queues a render in the caller's transaction; false when its dedupe key was queued before. */
export async function enqueueRender(tx: Tx, r: { kind: string; params: unknown; target: unknown; at: Date; dedupeKey?: string }): Promise<boolean> {
  if (r.dedupeKey && (await tx.renderJob.findUnique({ where: { dedupeKey: r.dedupeKey }, select: { id: true } }))) return false;
  await tx.renderJob.create({ data: { kind: r.kind, params: JSON.stringify(r.params), target: JSON.stringify(r.target), at: r.at, dedupeKey: r.dedupeKey ?? null } });
  return true;
}

/** The oldest pending render, marked running (null: none). */
export async function claimRender(db: Db, now: Date): Promise<ClaimedRender | null> {
  return db.$transaction(async (tx) => {
    const r = await tx.renderJob.findFirst({ where: { status: "pending" }, orderBy: { id: "asc" } });
    if (!r) return null;
    await tx.renderJob.update({ where: { id: r.id }, data: { status: "running", startedAt: now, attempts: { increment: 1 } } });
    return { id: r.id, kind: r.kind, params: JSON.parse(r.params), target: JSON.parse(r.target), at: r.at, attempts: r.attempts + 1 };
  });
}

export async function finishRender(tx: Tx, id: number, now: Date): Promise<void> {
  await tx.renderJob.update({ where: { id }, data: { status: "done", finishedAt: now, lastError: null } });
}

/** A failed render goes back to the queue, or is given up (`final`). */
export async function failRender(tx: Tx, id: number, now: Date, error: string, final: boolean): Promise<void> {
  await tx.renderJob.update({ where: { id }, data: { status: final ? "failed" : "pending", finishedAt: final ? now : null, lastError: error.slice(0, 2000) } });
}

/** At start-up: renders a crash left running are run again. */
export async function requeueRunning(db: Db): Promise<number> {
  const r = await db.$transaction((tx) => tx.renderJob.updateMany({ where: { status: "running" }, data: { status: "pending" } }));
  return r.count;
}

export async function pendingRenders(db: Db): Promise<number> {
  return db.renderJob.count({ where: { status: { in: ["pending", "running"] } } });
}
