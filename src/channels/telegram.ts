/**
 * Telegram through grammY. Long polling with the grammY runner (updates of one chat
 * in order, different chats concurrently), or a webhook when a public URL is set.
 * Choices become inline keyboards; a press arrives in the core as the chosen option
 * and the keyboard is removed so it cannot be pressed twice. Photos (largest size),
 * documents and locations become attachments. Sends report 429 retry_after and
 * network failures as transient, so the outbox retries them.
 */
import http from "node:http";
import { Bot, GrammyError, HttpError, InputFile, webhookCallback, type Context } from "grammy";
import type { InlineKeyboardButton, Message, MessageEntity, User } from "grammy/types";
import { run, sequentialize, type RunnerHandle } from "@grammyjs/runner";
import { SendError, type ChannelAdapter, type RateLimits, type SendResult } from "../core/channel.js";
import type { Logger } from "../core/bot.js";
import type { Attachment, InboundMessage, OutboundMessage } from "../core/messages.js";
import { saveMedia } from "./media.js";

export const TELEGRAM = "telegram";
/** Caption limit of sendPhoto/sendDocument; longer texts go as their own message. */
const CAPTION_MAX = 1024;

export interface TelegramOptions {
  token: string;
  /** Bot API server (a self-hosted one, or an emulator in tests). */
  apiRoot?: string;
  dataDir: string;
  log: Logger;
  limits?: RateLimits;
  /** Webhook mode: the public https URL Telegram posts to, the local port, the secret token. */
  /** `host` defaults to 127.0.0.1: a reverse proxy in front terminates TLS and forwards the URL's path here. */
  webhook?: { url: string; port: number; secret: string; host?: string };
  now?: () => Date;
}

function displayName(u: User): string {
  return [u.first_name, u.last_name].filter(Boolean).join(" ") || u.username || String(u.id);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** sendMessage's limit is 4096 characters; keep a margin for the @mention link. */
const TEXT_MAX = 3900;

/**
 * A long text (a county's 月报) as pieces Telegram accepts, cut between lines
 * (a line longer than a piece is cut by characters), each piece within `max`
 * once escaped — never inside an `&amp;`.
 */
export function splitText(text: string, max = TEXT_MAX): string[] {
  const size = (t: string) => escapeHtml(t).length;
  const pieces: string[] = [];
  let cur: string | null = null; // null: nothing in this piece yet (a blank line is something)
  for (const line of text.split("\n")) {
    const next: string = cur === null ? line : `${cur}\n${line}`;
    if (size(next) <= max) { cur = next; continue; }
    if (cur !== null) pieces.push(cur);
    // A line longer than a piece: cut by characters, counting each one escaped.
    let piece = "", n = 0;
    for (const ch of line) {
      const w = size(ch);
      if (n + w > max) { pieces.push(piece); piece = ""; n = 0; }
      piece += ch;
      n += w;
    }
    cur = piece;
  }
  pieces.push(cur ?? "");
  return pieces;
}

/** `chatId:messageId` — Telegram message ids are unique per chat only. */
const messageKey = (chatId: number | string, messageId: number) => `${chatId}:${messageId}`;

export class TelegramChannel implements ChannelAdapter {
  readonly name = TELEGRAM;
  readonly limits: RateLimits;
  readonly bot: Bot;
  private runner: RunnerHandle | null = null;
  private server: http.Server | null = null;

  constructor(private readonly o: TelegramOptions) {
    this.limits = o.limits ?? {};
    this.bot = new Bot(o.token, o.apiRoot ? { client: { apiRoot: o.apiRoot } } : {});
  }

  async start(onMessage: (m: InboundMessage) => Promise<unknown>): Promise<void> {
    try {
      await this.bot.init();
    } catch (e) {
      const why = e instanceof GrammyError ? `${e.error_code} ${e.description}` : (e as Error).message;
      throw new Error(`Telegram 无法启动（请检查 TELEGRAM_BOT_TOKEN 和网络）：${why}`);
    }
    this.bot.catch((err) => this.o.log.error({ err: err.error, update: err.ctx.update.update_id }, "telegram: handler failed"));
    this.bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString()));
    this.bot.on("callback_query:data", (ctx) => this.onPress(ctx, onMessage));
    this.bot.on("message", async (ctx) => {
      const m = await this.toInbound(ctx.message);
      if (m) await onMessage(m);
    });
    if (this.o.webhook) {
      const { url, port, secret, host = "127.0.0.1" } = this.o.webhook;
      const handle = webhookCallback(this.bot, "http", { secretToken: secret });
      const hookPath = new URL(url).pathname;
      // Only the webhook's own path answers; everything else is 404 and never reaches grammY.
      this.server = http.createServer((req, res) => {
        const reqPath = new URL(req.url ?? "/", "http://x").pathname;
        if (reqPath !== hookPath) return void res.writeHead(404).end();
        if (req.method !== "POST") return void res.writeHead(405, { allow: "POST" }).end();
        void handle(req, res);
      });
      await new Promise<void>((r) => this.server!.listen(port, host, r));
      await this.bot.api.setWebhook(url, { secret_token: secret, allowed_updates: ["message", "callback_query"] });
      this.o.log.info({ url, host, port, path: hookPath }, "telegram: webhook set");
    } else {
      await this.bot.api.deleteWebhook();
      this.runner = run(this.bot, { runner: { fetch: { allowed_updates: ["message", "callback_query"] } } });
      this.o.log.info({ bot: this.bot.botInfo.username }, "telegram: long polling");
    }
  }

  /** The local port the webhook listens on (after start). */
  get webhookPort(): number | null {
    const a = this.server?.address();
    return a && typeof a === "object" ? a.port : null;
  }

  async stop(): Promise<void> {
    if (this.runner?.isRunning()) await this.runner.stop();
    this.runner = null;
    if (this.server) await new Promise((r) => this.server!.close(r));
    this.server = null;
  }

  /** A button press: check it is the addressee's, close the keyboard, hand the option on. */
  private async onPress(ctx: Context, onMessage: (m: InboundMessage) => Promise<unknown>): Promise<void> {
    const q = ctx.callbackQuery!;
    const [, index, target] = /^c:(\d+):(.*)$/.exec(q.data ?? "") ?? [];
    const msg = q.message;
    const button = msg && "reply_markup" in msg ? msg.reply_markup?.inline_keyboard.flat()[Number(index)] : undefined;
    if (index === undefined || !msg || !button) {
      await ctx.answerCallbackQuery({ text: "这个按钮已失效" }).catch(() => undefined);
      return;
    }
    if (target && target !== String(q.from.id)) {
      await ctx.answerCallbackQuery({ text: "这不是给你的选项" }).catch(() => undefined);
      return;
    }
    await ctx.answerCallbackQuery().catch(() => undefined);
    await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch((err) => this.o.log.warn({ err }, "telegram: could not close keyboard"));
    await onMessage({
      channel: TELEGRAM, chatId: String(msg.chat.id), chatKind: msg.chat.type === "private" ? "private" : "group",
      senderId: String(q.from.id), senderName: displayName(q.from), messageId: `cb:${q.id}`, text: button.text,
      attachments: [], mentionsBot: false, replyToBot: true, receivedAt: this.now(),
    });
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  private async download(fileId: string, declaredMime: string | undefined): Promise<{ path: string; sha256: string; mime: string }> {
    const f = await this.bot.api.getFile(fileId);
    const root = this.o.apiRoot ?? "https://api.telegram.org";
    const res = await fetch(`${root}/file/bot${this.o.token}/${f.file_path}`);
    if (!res.ok) throw new Error(`telegram: download failed ${res.status}`);
    return saveMedia(this.o.dataDir, Buffer.from(await res.arrayBuffer()), declaredMime);
  }

  /** Platform message → normalized message (null for kinds the bot does not read). */
  async toInbound(m: Message): Promise<InboundMessage | null> {
    if (!m.from || m.from.is_bot) return null;
    const me = this.bot.botInfo;
    const raw = m.text ?? m.caption ?? "";
    const entities: MessageEntity[] = m.entities ?? m.caption_entities ?? [];
    const mentionsBot = entities.some((e) =>
      (e.type === "mention" && raw.slice(e.offset, e.offset + e.length).toLowerCase() === `@${me.username.toLowerCase()}`) ||
      (e.type === "text_mention" && e.user.id === me.id));
    const mentions = entities.filter((e): e is MessageEntity.TextMentionMessageEntity => e.type === "text_mention" && e.user.id !== me.id)
      .map((e) => ({ id: String(e.user.id), name: displayName(e.user) }));
    // "@yingji_bot 工作提醒" → "工作提醒"; "/help@yingji_bot" is left to the router.
    const text = raw.replace(new RegExp(`(^|\\s)@${me.username}\\b`, "gi"), " ").trim();
    const attachments: Attachment[] = [];
    try {
      if (m.photo?.length) {
        const largest = m.photo.reduce((a, b) => ((b.width * b.height) > (a.width * a.height) ? b : a));
        const f = await this.download(largest.file_id, "image/jpeg");
        attachments.push({ kind: "photo", path: f.path, sha256: f.sha256, mime: f.mime });
      }
      if (m.document) {
        const f = await this.download(m.document.file_id, m.document.mime_type);
        attachments.push({ kind: "file", path: f.path, name: m.document.file_name ?? "file", mime: f.mime });
      }
    } catch (err) {
      this.o.log.warn({ err, chat: m.chat.id }, "telegram: attachment could not be downloaded");
    }
    if (m.location) attachments.push({ kind: "location", lat: m.location.latitude, lng: m.location.longitude, ...(m.venue ? { label: m.venue.title } : {}) });
    // In a forum topic every message "replies" to the topic's first message; that is not a reply to a person.
    const reply = m.reply_to_message && !m.reply_to_message.forum_topic_created && !(m.is_topic_message && m.reply_to_message.message_id === m.message_thread_id) ? m.reply_to_message : undefined;
    return {
      channel: TELEGRAM, chatId: String(m.chat.id), chatKind: m.chat.type === "private" ? "private" : "group",
      senderId: String(m.from.id), senderName: displayName(m.from), messageId: messageKey(m.chat.id, m.message_id),
      text, attachments, mentionsBot, replyToBot: reply?.from?.id === me.id,
      ...(mentions.length ? { mentions } : {}),
      ...(reply?.from && reply.from.id !== me.id ? { replyTo: { senderId: String(reply.from.id), senderName: displayName(reply.from) } } : {}),
      receivedAt: new Date(m.date * 1000),
    };
  }

  async send(m: OutboundMessage): Promise<SendResult> {
    const mention = m.mention ? `<a href="tg://user?id=${encodeURIComponent(m.mention.id)}">@${escapeHtml(m.mention.name)}</a> ` : "";
    const pieces = splitText(m.text).map((t, i) => (i === 0 ? mention : "") + escapeHtml(t));
    const html = pieces.join("\n");
    const keyboard: InlineKeyboardButton[][] = m.choices.map((c, i) => [{ text: c, callback_data: `c:${i}:${m.mention?.id ?? ""}`.slice(0, 64) }]);
    const replyMid = m.replyTo ? Number(m.replyTo.split(":").pop()) : NaN;
    // In a group (a message that @mentions someone) a question without buttons asks for a
    // reply: the person's client opens one, so the bot sees the answer even in privacy mode.
    const markup = keyboard.length ? { reply_markup: { inline_keyboard: keyboard } } : m.mention ? { reply_markup: { force_reply: true as const, selective: true } } : {};
    const reply = Number.isInteger(replyMid) ? { reply_parameters: { message_id: replyMid, allow_sending_without_reply: true } } : {};
    const common = { parse_mode: "HTML" as const, ...markup, ...reply };
    // A text in pieces: the first answers the message replied to, the last carries the buttons.
    // (A failure half-way makes the outbox send the whole message again: at least once, as everywhere.)
    const sendText = async () => {
      let last: Message | undefined;
      for (const [i, piece] of pieces.entries()) {
        last = await this.bot.api.sendMessage(m.chatId, piece, { parse_mode: "HTML", ...(i === 0 ? reply : {}), ...(i === pieces.length - 1 ? markup : {}) });
      }
      return last!;
    };
    try {
      if (m.edit) {
        // Tallies are edited in place (groups allow only ~20 bot messages a minute).
        const mid = Number(m.edit.split(":").pop());
        const r = await this.bot.api.editMessageText(m.chatId, mid, html, keyboard.length ? { parse_mode: "HTML", reply_markup: { inline_keyboard: keyboard } } : { parse_mode: "HTML" });
        return { messageId: typeof r === "object" ? messageKey(r.chat.id, r.message_id) : m.edit };
      }
      // The text rides as the first attachment's caption when it fits, else as its own message after it;
      // a rollup carries both a chart and a workbook: the chart, the text, then the .xlsx.
      const media = [...(m.image ? [{ photo: true, path: m.image }] : []), ...(m.file ? [{ photo: false, path: m.file }] : [])];
      const fits = media.length > 0 && html.length <= CAPTION_MAX;
      let sent: Message | undefined;
      for (const [i, a] of media.entries()) {
        const opts = i === 0 && fits ? { ...common, caption: html } : {};
        const r = a.photo ? await this.bot.api.sendPhoto(m.chatId, new InputFile(a.path), opts) : await this.bot.api.sendDocument(m.chatId, new InputFile(a.path), opts);
        if (i === 0) sent = fits ? r : await sendText();
      }
      if (!sent) sent = await sendText();
      return { messageId: messageKey(sent.chat.id, sent.message_id) };
    } catch (e) {
      throw toSendError(e);
    }
  }
}

/** 429 and 5xx and network trouble are worth retrying; 400/403 (bad request, kicked) are not. */
export function toSendError(e: unknown): SendError {
  if (e instanceof GrammyError) {
    const transient = e.error_code === 429 || e.error_code >= 500;
    const retryAfter = e.parameters?.retry_after;
    return new SendError(`${e.error_code} ${e.description}`, transient, retryAfter !== undefined ? retryAfter * 1000 : undefined);
  }
  if (e instanceof HttpError) return new SendError(`network: ${e.message}`, true);
  return new SendError(String((e as Error)?.message ?? e), true);
}
