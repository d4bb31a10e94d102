/** Who to tell, and how: outbox items for a person or a group (used by scheduled jobs). */
import type { OutboxItem } from "../../core/ports.js";
import type { Tx } from "../../store/db.js";
import { accountsOf, groupsAbove, personById } from "./repo.js";

/** Privately on each bound account; else @ in the nearest group of their region. */
export async function toPerson(tx: Tx, personId: number, text: string, key: string): Promise<OutboxItem[]> {
  const accounts = await accountsOf(tx, personId);
  if (accounts.length) return accounts.map((a) => ({ channel: a.channel, chatId: a.platformUserId, payload: { text, choices: [] }, dedupeKey: `${key}:${a.channel}:${a.platformUserId}` }));
  const p = await personById(tx, personId);
  if (!p) return [];
  const [g] = await groupsAbove(tx, p.regionPath, ["网格群", "工作群", "值班群", "领导群"]);
  // The console knows people by mobile, so a console group can still @ them.
  return g ? [{ channel: g.channel, chatId: g.chatId, payload: { text, choices: [], mention: { id: p.mobile, name: p.name } }, dedupeKey: `${key}:${g.channel}:${g.chatId}` }] : [];
}

export function toGroup(g: { channel: string; chatId: string }, text: string, key: string): OutboxItem[] {
  return [{ channel: g.channel, chatId: g.chatId, payload: { text, choices: [] }, dedupeKey: `${key}:${g.channel}:${g.chatId}` }];
}
