/**
 * Who is speaking: a chat account bound to a person on the roster. Nicknames are
 * never used to decide — they change. The console is a trusted local channel: a
 * sender id equal to a roster mobile number is that person.
 */
import type { IdentityResolver } from "../../core/ports.js";
import type { Db } from "../../store/db.js";
import { personByIdentity, personByMobile } from "./repo.js";

export function rosterIdentity(db: Db, trustedChannels: readonly string[] = ["console"]): IdentityResolver {
  return {
    async resolve(m) {
      const key = `${m.channel}:${m.senderId}`;
      let p = await personByIdentity(db, m.channel, m.senderId);
      if (!p && trustedChannels.includes(m.channel) && /^1\d{10}$/.test(m.senderId)) p = await personByMobile(db, m.senderId);
      if (!p) return { key, name: m.senderName, roles: [], active: true };
      return { key, name: p.name, roles: p.roles, personId: p.id, regionPath: p.regionPath, active: p.active };
    },
  };
}
