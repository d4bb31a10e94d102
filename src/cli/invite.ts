/**
 * `npm run invite -- <手机号>`: an invite code issued on the server, by the operator — for
 * the county's own leaders, whom no one in chat ranks above (features/org/policy.ts,
 * `org.bind.person`). Earlier unused codes of that person stop working.
 */
import { loadEnv } from "../config/env.js";
import { INVITE_TTL_MS, newInviteCode, findMobile } from "../features/org/binding.js";
import { createInvite, personByMobile } from "../features/org/repo.js";
import { openStore } from "../store/db.js";
import { formatLocal } from "../time/shanghai.js";

const mobile = findMobile(process.argv.slice(2).join(" "));
if (!mobile) {
  process.stderr.write("用法：npm run invite -- 手机号\n");
  process.exit(1);
}
const env = loadEnv();
const store = await openStore(env.DATABASE_URL);
try {
  const p = await personByMobile(store.db, mobile);
  if (!p || !p.active) {
    process.stderr.write(`花名册里没有在岗的 ${mobile}\n`);
    process.exitCode = 1;
  } else {
    const now = new Date();
    const code = newInviteCode();
    const expires = new Date(now.getTime() + INVITE_TTL_MS);
    await store.db.$transaction((tx) => createInvite(tx, code, p.id, "cli:invite", now, expires));
    process.stdout.write(`${p.name}（${p.regionPath}，${p.roles.join("、")}）的邀请码：${code}（${formatLocal(expires)} 前有效，只能使用一次）。请本人发送「绑定」后回复此邀请码。\n`);
  }
} finally {
  await store.close();
}
