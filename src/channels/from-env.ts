/** Builds the chat-platform channels the environment switches on. */
import path from "node:path";
import type { ChannelAdapter } from "../core/channel.js";
import type { Logger } from "../core/bot.js";
import type { Env } from "../config/env.js";

/**
 * Each platform's module is loaded only when the environment switches it on:
 * Wechaty alone takes ≈ 1.6 s to import, which the console and every test would pay.
 */
export async function platformChannels(env: Env, log: Logger): Promise<ChannelAdapter[]> {
  const out: ChannelAdapter[] = [];
  const dataDir = path.resolve(env.DATA_DIR);
  if (env.TELEGRAM_BOT_TOKEN) {
    const { TelegramChannel } = await import("./telegram.js");
    out.push(new TelegramChannel({
      token: env.TELEGRAM_BOT_TOKEN, dataDir, log,
      ...(env.TELEGRAM_API_ROOT ? { apiRoot: env.TELEGRAM_API_ROOT } : {}),
      ...(env.TELEGRAM_WEBHOOK_URL ? { webhook: { url: env.TELEGRAM_WEBHOOK_URL, host: env.TELEGRAM_WEBHOOK_HOST, port: env.TELEGRAM_WEBHOOK_PORT, secret: env.TELEGRAM_WEBHOOK_SECRET! } } : {}),
    }));
  }
  if (env.WECHATY_PUPPET) {
    const { WechatChannel } = await import("./wechat.js");
    out.push(new WechatChannel({
      puppet: env.WECHATY_PUPPET as never, dataDir, log, name: path.join(dataDir, "wechaty", env.WECHATY_NAME),
      ...(env.WECHATY_PUPPET_SERVICE_TOKEN ? { puppetToken: env.WECHATY_PUPPET_SERVICE_TOKEN } : {}),
    }));
  }
  return out;
}
