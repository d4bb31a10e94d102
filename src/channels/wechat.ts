/**
 * WeChat through Wechaty. The puppet (protocol) is chosen by environment; the
 * login QR code is printed in the terminal and saved as a PNG; the session is kept
 * in Wechaty's memory card (`name`) so a restart does not ask for a new scan.
 * Identity is the contact's stable id, never the nickname. Choices become a
 * numbered list (回复 1/2/3). Images, files and locations map to attachments;
 * the bot sends images (charts) and files (Excel). Pacing is conservative (see
 * src/config/bot-config.ts: personal accounts get limited or banned for bursts).
 */
import fs from "node:fs";
import path from "node:path";
import QRCode from "qrcode";
import { FileBox } from "file-box";
import { types, WechatyBuilder, type Contact, type Message, type Room, type Wechaty, type WechatyOptions } from "wechaty";
import { SendError, type ChannelAdapter, type RateLimits, type SendResult } from "../core/channel.js";
import type { Logger } from "../core/bot.js";
import type { Attachment, InboundMessage, OutboundMessage } from "../core/messages.js";
import { saveMedia } from "./media.js";

export const WECHAT = "wechat";

export interface WechatOptions {
  /** A puppet name (`wechaty-puppet-service`, `wechaty-puppet-wechat4u` …) or instance (tests). */
  puppet: NonNullable<WechatyOptions["puppet"]>;
  puppetToken?: string;
  /** Memory card name: the login session is kept under it. */
  name: string;
  dataDir: string;
  log: Logger;
  limits?: RateLimits;
  /** Print the QR code in the terminal (off in tests). */
  printQr?: boolean;
}

/** How choices read in WeChat, where there are no buttons. */
export function numberedChoices(text: string, choices: string[]): string {
  if (choices.length === 0) return text;
  const list = choices.map((c, i) => `${i + 1}. ${c}`).join("\n");
  return `${text}\n${list}\n（回复 ${choices.map((_, i) => i + 1).join("/")}）`;
}

export class WechatChannel implements ChannelAdapter {
  readonly name = WECHAT;
  readonly limits: RateLimits;
  readonly wechaty: Wechaty;

  constructor(private readonly o: WechatOptions) {
    this.limits = o.limits ?? {};
    this.wechaty = WechatyBuilder.build({
      name: o.name,
      puppet: o.puppet,
      ...(o.puppetToken ? { puppetOptions: { token: o.puppetToken } } : {}),
    } as WechatyOptions);
  }

  async start(onMessage: (m: InboundMessage) => Promise<unknown>): Promise<void> {
    const w = this.wechaty;
    w.on("scan", (qrcode, status) => void this.onScan(qrcode, status));
    w.on("login", (user) => this.o.log.info({ user: user.name() }, "wechat: logged in"));
    w.on("logout", (user, reason) => this.o.log.warn({ user: user.name(), reason }, "wechat: logged out; waiting for a new scan"));
    w.on("error", (err) => this.o.log.error({ err }, "wechat: puppet error (Wechaty reconnects)"));
    w.on("message", async (msg) => {
      try {
        if (msg.self()) return;
        const m = await this.toInbound(msg);
        if (m) await onMessage(m);
      } catch (err) {
        this.o.log.error({ err }, "wechat: could not read a message");
      }
    });
    try {
      await w.start();
    } catch (e) {
      throw new Error(`微信无法启动（请检查 WECHATY_PUPPET 和令牌）：${(e as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    await this.wechaty.stop().catch(() => undefined);
  }

  private async onScan(qrcode: string, status: types.ScanStatus): Promise<void> {
    if (status !== types.ScanStatus.Waiting && status !== types.ScanStatus.Timeout) return;
    const file = path.join(this.o.dataDir, "wechat-login.png");
    fs.mkdirSync(this.o.dataDir, { recursive: true });
    // Written whole then renamed, so whoever opens the PNG never sees half of it.
    fs.writeFileSync(`${file}.tmp`, await QRCode.toBuffer(qrcode, { type: "png", width: 400 }));
    fs.renameSync(`${file}.tmp`, file);
    if (this.o.printQr ?? true) process.stderr.write(`${await QRCode.toString(qrcode, { type: "terminal", small: true })}\n请用机器人微信号扫码登录（二维码也已保存到 ${file}）\n`);
    this.o.log.warn({ file }, "wechat: scan the QR code to log in");
  }

  /** Platform message → normalized message (null for kinds the bot does not read). */
  async toInbound(msg: Message): Promise<InboundMessage | null> {
    const talker = msg.talker();
    const room = msg.room();
    const type = msg.type();
    const attachments: Attachment[] = [];
    let text = "";
    if (type === types.Message.Text) {
      // In a room, "@应急助手 绑定" → "绑定".
      text = room ? await msg.mentionText() : msg.text();
    } else if (type === types.Message.Image || type === types.Message.Attachment || type === types.Message.Emoticon) {
      const box = await msg.toFileBox();
      const bytes = await box.toBuffer();
      const f = await saveMedia(this.o.dataDir, bytes, box.mediaType);
      const isImage = type !== types.Message.Attachment || f.mime.startsWith("image/");
      attachments.push(isImage ? { kind: "photo", path: f.path, sha256: f.sha256, mime: f.mime } : { kind: "file", path: f.path, name: box.name, mime: f.mime });
    } else if (type === types.Message.Location) {
      const loc = await msg.toLocation();
      attachments.push({ kind: "location", lat: loc.latitude(), lng: loc.longitude(), label: loc.name() || loc.address() });
    } else {
      return null;
    }
    const mentioned = room ? (await msg.mentionList()).filter((c) => !c.self()) : [];
    const alias = room ? await room.alias(talker).catch(() => undefined) : undefined;
    return {
      channel: WECHAT, chatId: room ? room.id : talker.id, chatKind: room ? "group" : "private",
      senderId: talker.id, senderName: alias || talker.name(), messageId: msg.id, text, attachments,
      mentionsBot: room ? await msg.mentionSelf() : false, replyToBot: false,
      ...(mentioned.length ? { mentions: mentioned.map((c) => ({ id: c.id, name: c.name() })) } : {}),
      receivedAt: msg.date(),
    };
  }

  async send(m: OutboundMessage): Promise<SendResult> {
    // WeChat cannot edit a sent message; an updated tally waits for the next re-call.
    if (m.edit) return { messageId: null };
    try {
      // WeChat room ids end in @chatroom; asking for a room by a contact id makes puppets complain.
      const room = () => this.wechaty.Room.find({ id: m.chatId });
      const contact = () => this.wechaty.Contact.find({ id: m.chatId });
      const target: Room | Contact | undefined = m.chatId.endsWith("@chatroom") ? await room() : await contact();
      if (!target) throw new SendError(`wechat: no room or contact ${m.chatId}`, false);
      const text = numberedChoices(m.text, m.choices);
      let sent: Message | void;
      if ("topic" in target && m.mention) {
        const who = await this.wechaty.Contact.find({ id: m.mention.id });
        sent = who ? await target.say(text, who) : await target.say(`@${m.mention.name} ${text}`);
      } else sent = await target.say(text);
      // Base64 boxes survive every puppet's serialization (gRPC, the mock); file-path boxes do not.
      for (const f of [m.image, m.file]) if (f) await target.say(FileBox.fromBase64(fs.readFileSync(f).toString("base64"), path.basename(f)));
      return { messageId: sent ? sent.id : null };
    } catch (e) {
      if (e instanceof SendError) throw e;
      // Puppet and network trouble is worth another try; the outbox backs off.
      throw new SendError(`wechat: ${(e as Error).message}`, true);
    }
  }
}
