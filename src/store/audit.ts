import type { Tx } from "./db.js";

export interface AuditEntry {
  at: Date;
  /** Who: `channel:senderId`, or `system:<job>`. */
  actor: string;
  action: string;
  entity: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/** Records a state change; call it in the same transaction as the change. */
export async function audit(tx: Tx, e: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: { at: e.at, actor: e.actor, action: e.action, entity: e.entity, entityId: String(e.entityId), before: json(e.before), after: json(e.after) },
  });
}

/** This actor's latest audit row for an action since a moment (what they just asked), or null. */
export async function lastAudited(db: Pick<Tx, "auditLog">, actor: string, action: string, since: Date): Promise<{ after: string | null } | null> {
  return db.auditLog.findFirst({ where: { actor, action, at: { gte: since } }, orderBy: { id: "desc" }, select: { after: true } });
}
