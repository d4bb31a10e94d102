/**
 * A small Telegram Bot API emulator on loopback, speaking the same JSON as the
 * real one, for end-to-end tests through grammY's real HTTP client. It covers
 * what the bot uses (getMe, getUpdates long polling, sendMessage, sendPhoto,
 * sendDocument, getFile + file download, editMessageReplyMarkup,
 * answerCallbackQuery, set/deleteWebhook) and can answer 429 with retry_after.
 * (`telegram-test-api` has no sendPhoto, getFile or 429.)
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export const BOT = { id: 7000001, is_bot: true, first_name: "应急助手", username: "yingji_bot", can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };

export interface Chat { id: number; type: "private" | "group" | "supergroup"; title?: string }
export interface TgUser { id: number; is_bot: false; first_name: string; last_name?: string }
export interface Call { method: string; body: Record<string, unknown>; ok: boolean }

export class TelegramEmulator {
  readonly token = "123456:TEST-token";
  readonly calls: Call[] = [];
  /** Messages the bot has in each chat, by message id (edits update them). */
  readonly botMessages = new Map<number, Record<string, unknown>>();
  private server!: http.Server;
  private updates: Record<string, unknown>[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 100;
  private waiting: (() => void)[] = [];
  private failures: { method: string; code: number; retryAfter?: number; description: string }[] = [];
  private files = new Map<string, Buffer>();

  get apiRoot(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.route(req, res).catch((e) => {
      res.writeHead(500).end(JSON.stringify({ ok: false, error_code: 500, description: String(e) }));
    }));
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
  }

  async stop(): Promise<void> {
    for (const w of this.waiting.splice(0)) w();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  /** The next `count` calls of `method` fail with this error. */
  fail(method: string, count: number, e: { code: number; retryAfter?: number; description: string }): void {
    for (let i = 0; i < count; i++) this.failures.push({ method, ...e });
  }

  /** Successful calls of a method, oldest first (refused ones are in `calls` with ok: false). */
  callsOf(method: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.method === method && c.ok).map((c) => c.body);
  }

  // --- the user side ---------------------------------------------------------

  private lastPushed: Record<string, unknown> | null = null;

  private push(update: Record<string, unknown>): void {
    this.lastPushed = update;
    this.updates.push({ update_id: this.nextUpdateId++, ...update });
    for (const w of this.waiting.splice(0)) w();
  }

  /** Messages people sent, by message id (so a reply carries the real one). */
  private userMessages = new Map<number, Record<string, unknown>>();

  /**
   * Opens a forum topic in a supergroup, as `creator`; returns its thread id. Like
   * Telegram, every later message in the topic that is not a reply to something
   * else carries the topic's creation message as `reply_to_message`.
   */
  createTopic(chat: Chat, creator: TgUser, name: string): number {
    const message_id = this.nextMessageId++;
    const message = { message_id, date: Math.floor(Date.now() / 1000), chat: { ...chat, is_forum: true }, from: creator, message_thread_id: message_id, forum_topic_created: { name, icon_color: 7322096 } };
    this.userMessages.set(message_id, message);
    this.push({ message });
    return message_id;
  }

  /** A person sends a message; returns its message id. */
  userSends(chat: Chat, from: TgUser, m: { text?: string; photo?: Buffer; document?: { bytes: Buffer; name: string }; location?: { latitude: number; longitude: number }; replyTo?: number; entities?: unknown[]; topic?: number }): number {
    const message_id = this.nextMessageId++;
    const message: Record<string, unknown> = { message_id, date: Math.floor(Date.now() / 1000), chat, from };
    if (m.topic !== undefined) {
      Object.assign(message, { chat: { ...chat, is_forum: true }, is_topic_message: true, message_thread_id: m.topic });
      if (m.replyTo === undefined) message.reply_to_message = this.userMessages.get(m.topic);
    }
    if (m.text !== undefined) message.text = m.text;
    if (m.entities) message.entities = m.entities;
    else if (m.text?.includes(`@${BOT.username}`)) {
      const offset = m.text.indexOf(`@${BOT.username}`);
      message.entities = [{ type: "mention", offset, length: BOT.username.length + 1 }];
    } else if (m.text?.startsWith("/")) message.entities = [{ type: "bot_command", offset: 0, length: m.text.split(" ")[0]!.length }];
    if (m.photo) {
      const big = `photo-${message_id}-big`, small = `photo-${message_id}-small`;
      this.files.set(big, m.photo);
      this.files.set(small, m.photo.subarray(0, 16));
      message.photo = [
        { file_id: small, file_unique_id: `${small}u`, width: 90, height: 60, file_size: 16 },
        { file_id: big, file_unique_id: `${big}u`, width: 1280, height: 960, file_size: m.photo.length },
      ];
    }
    if (m.document) {
      const id = `doc-${message_id}`;
      this.files.set(id, m.document.bytes);
      message.document = { file_id: id, file_unique_id: `${id}u`, file_name: m.document.name, file_size: m.document.bytes.length };
    }
    if (m.location) message.location = m.location;
    if (m.replyTo !== undefined) message.reply_to_message = this.botMessages.get(m.replyTo) ?? this.userMessages.get(m.replyTo) ?? { message_id: m.replyTo, date: 0, chat };
    this.userMessages.set(message_id, message);
    this.push({ message });
    return message_id;
  }

  /** The last update again under a new update_id: what a restart before the offset was confirmed looks like. */
  redeliverLast(): void {
    const last = this.lastPushed;
    if (!last) throw new Error("nothing to redeliver");
    this.push(last);
  }

  /** A person presses inline button `index` under the bot's message. */
  userPresses(chat: Chat, from: TgUser, messageId: number, index: number): string {
    const message = this.botMessages.get(messageId);
    if (!message) throw new Error(`no bot message ${messageId}`);
    const button = ((message.reply_markup as { inline_keyboard: { callback_data: string }[][] } | undefined)?.inline_keyboard ?? []).flat()[index];
    if (!button) throw new Error(`message ${messageId} has no button ${index}`);
    const id = `cbq-${this.nextUpdateId}`;
    this.push({ callback_query: { id, from, chat_instance: String(chat.id), message, data: button.callback_data } });
    return id;
  }

  // --- the API side ----------------------------------------------------------

  private async body(req: http.IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const type = req.headers["content-type"] ?? "";
    if (type.startsWith("multipart/form-data")) {
      const out = parseMultipart(raw, /boundary=(.+)$/.exec(type)![1]!);
      // grammY sends the file as attach://<id> and the bytes under that id.
      for (const [k, v] of Object.entries(out)) if (typeof v === "string" && v.startsWith("attach://")) out[k] = out[v.slice(9)];
      return out;
    }
    return raw.length ? JSON.parse(raw.toString("utf8")) : {};
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, o: unknown): void => void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(o));
    const file = new RegExp(`^/file/bot${this.token}/(.+)$`).exec(url.pathname);
    if (file) {
      const bytes = this.files.get(decodeURIComponent(file[1]!));
      return void (bytes ? res.writeHead(200).end(bytes) : res.writeHead(404).end());
    }
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!m) return send(404, { ok: false, error_code: 404, description: "Not Found" });
    if (m[1] !== this.token) return send(401, { ok: false, error_code: 401, description: "Unauthorized" });
    const method = m[2]!;
    const body = await this.body(req);
    if (process.env.EMU_DEBUG) console.error(Date.now() % 100000, method, JSON.stringify(body).slice(0, 80));
    const fi = this.failures.findIndex((f) => f.method === method);
    if (method !== "getUpdates") this.calls.push({ method, body, ok: fi < 0 });
    if (fi >= 0) {
      const f = this.failures.splice(fi, 1)[0]!;
      return send(f.code, { ok: false, error_code: f.code, description: f.description, ...(f.retryAfter !== undefined ? { parameters: { retry_after: f.retryAfter } } : {}) });
    }
    const ok = (result: unknown) => send(200, { ok: true, result });
    const chat = (id: unknown) => ({ id: Number(id), type: Number(id) < 0 ? "group" : "private" });
    const stored = (extra: Record<string, unknown>) => {
      const message_id = this.nextMessageId++;
      const msg: Record<string, unknown> = { message_id, date: Math.floor(Date.now() / 1000), chat: chat(body.chat_id), from: BOT, ...extra };
      if (body.reply_markup) msg.reply_markup = body.reply_markup;
      this.botMessages.set(message_id, msg);
      return msg;
    };
    switch (method) {
      case "getMe": return ok(BOT);
      case "deleteWebhook": case "setWebhook": case "answerCallbackQuery": case "setMyCommands": return ok(true);
      case "getUpdates": {
        const offset = Number(body.offset ?? 0);
        this.updates = this.updates.filter((u) => (u.update_id as number) >= offset);
        if (this.updates.length === 0 && Number(body.timeout ?? 0) > 0) {
          await new Promise<void>((r) => {
            const t = setTimeout(r, Math.min(Number(body.timeout) * 1000, 1000));
            this.waiting.push(() => { clearTimeout(t); r(); });
          });
        }
        return ok(this.updates.slice(0, Number(body.limit ?? 100)));
      }
      case "sendMessage": return ok(stored({ text: body.text }));
      case "sendPhoto": return ok(stored({ photo: [{ file_id: "sent", file_unique_id: "sentu", width: 1, height: 1 }], ...(body.caption ? { caption: body.caption } : {}) }));
      case "sendDocument": return ok(stored({ document: { file_id: "sentdoc", file_unique_id: "sentdocu" }, ...(body.caption ? { caption: body.caption } : {}) }));
      case "editMessageText": {
        const msg = this.botMessages.get(Number(body.message_id));
        if (!msg) return send(400, { ok: false, error_code: 400, description: "Bad Request: message to edit not found" });
        msg.text = body.text;
        if (body.reply_markup) msg.reply_markup = body.reply_markup;
        return ok(msg);
      }
      case "editMessageReplyMarkup": {
        const msg = this.botMessages.get(Number(body.message_id));
        if (!msg) return send(400, { ok: false, error_code: 400, description: "Bad Request: message to edit not found" });
        msg.reply_markup = body.reply_markup;
        return ok(msg);
      }
      case "getFile": {
        const id = String(body.file_id);
        if (!this.files.has(id)) return send(400, { ok: false, error_code: 400, description: "Bad Request: invalid file_id" });
        return ok({ file_id: id, file_unique_id: `${id}u`, file_size: this.files.get(id)!.length, file_path: id });
      }
      default: return send(404, { ok: false, error_code: 404, description: `Not Found: method ${method} not emulated` });
    }
  }
}

/**
 * multipart/form-data → fields (JSON-looking values parsed) and files
 * ({ fileName, size, bytes }). grammY writes `content-disposition:form-data;…`
 * without spaces, which undici's strict parser refuses.
 */
function parseMultipart(raw: Buffer, boundary: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const sep = Buffer.from(`--${boundary}`);
  let pos = raw.indexOf(sep);
  while (pos >= 0) {
    const start = pos + sep.length;
    if (raw.subarray(start, start + 2).toString() === "--") break;
    const next = raw.indexOf(sep, start);
    if (next < 0) break;
    const part = raw.subarray(start + 2, next - 2); // skip CRLF after the boundary and before the next
    const headEnd = part.indexOf("\r\n\r\n");
    const head = part.subarray(0, headEnd).toString("utf8");
    const body = part.subarray(headEnd + 4);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    const fileName = /filename="?([^";\r\n]*)"?/i.exec(head)?.[1] ?? (/content-type:/i.test(head) ? "" : undefined);
    if (name !== undefined) {
      if (fileName !== undefined) out[name] = { fileName, size: body.length, bytes: Buffer.from(body) };
      else {
        const v = body.toString("utf8");
        out[name] = /^[[{]/.test(v) ? JSON.parse(v) : v;
      }
    }
    pos = next;
  }
  return out;
}
