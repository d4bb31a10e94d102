import { Prisma } from "../generated/prisma/client.js";
import type { Db } from "./db.js";

export type JobTrigger = "cron" | "catch-up" | "clock";

/** Claims one occurrence of a job; returns the run id, or null if it was already claimed. */
export async function claimRun(db: Db, job: string, scheduledFor: Date, trigger: JobTrigger, now: Date): Promise<number | null> {
  try {
    const r = await db.$transaction((tx) => tx.jobRun.create({ data: { job, scheduledFor, trigger, status: "running", startedAt: now } }));
    return r.id;
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") return null;
    throw e;
  }
}

export async function finishRun(db: Db, id: number, now: Date, error?: string): Promise<void> {
  await db.$transaction((tx) => tx.jobRun.update({ where: { id }, data: { status: error ? "error" : "ok", finishedAt: now, error: error?.slice(0, 1000) ?? null } }));
}

/** The most recent occurrence of a job that was claimed (any status). */
export async function lastRun(db: Db, job: string): Promise<{ scheduledFor: Date; status: string } | null> {
  return db.jobRun.findFirst({ where: { job }, orderBy: { scheduledFor: "desc" }, select: { scheduledFor: true, status: true } });
}

export async function runsOf(db: Db, job: string): Promise<{ scheduledFor: Date; trigger: string; status: string }[]> {
  return db.jobRun.findMany({ where: { job }, orderBy: { scheduledFor: "asc" }, select: { scheduledFor: true, trigger: true, status: true } });
}
