/**
 * Interactive console chat for people: act as anyone in any chat and watch the
 * bot answer. Console commands start with `/` and are not sent to the bot:
 *   /as <id> [名字]      speak as this person (a roster mobile number is that person)
 *   /in <chat> [群|私聊]  switch chat (group or private)
 *   /photo <file>         send a photo       /loc <lat> <lng> [地点]  send a location
 *   /file <file>          send a document (e.g. a roster .xlsx)
 *   /at <ISO time>        move the clock forward (due jobs fire)
 *   /who                  where am I          /quit                   leave
 * Anything else is sent as a message; in a group, start with `@应急助手` to address the bot.
 */
import crypto from "node:crypto";
import path from "node:path";
import readline from "node:readline";
import type { Attachment, InboundMessage, OutboundMessage } from "../../core/messages.js";
import { CONSOLE, stripMention } from "./console-channel.js";

export function formatForPeople(m: OutboundMessage): string {
  const head = `【${m.chatId}】应急助手${m.mention ? ` @${m.mention.name}` : ""}：`;
  const body = m.text.split("\n").map((l) => `  ${l}`).join("\n");
  const choices = m.choices.length ? `\n  ${m.choices.map((c, i) => `[${i + 1}] ${c}`).join("  ")}` : "";
  const att = [m.image && `  [图片] ${m.image}`, m.file && `  [文件] ${m.file}`].filter(Boolean).join("\n");
  return `${head}\n${body}${choices}${att ? `\n${att}` : ""}`;
}

export interface InteractiveDeps {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  now(): Date;
  advanceTo(t: Date): Promise<boolean>;
  handle(m: InboundMessage): Promise<unknown>;
  drain(): Promise<unknown>;
}

const CONSOLE_COMMANDS = new Set(["as", "in", "photo", "file", "loc", "at", "who", "quit", "exit"]);

export async function runInteractive(d: InteractiveDeps): Promise<void> {
  // The demo bureau's grid member 杨波, in a private chat; `/as 13800000004` is the admin.
  let who = { id: "13800000007", name: "杨波" };
  let chat = { id: "console-private", group: false };
  const out = (s: string) => d.output.write(`${s}\n`);
  out("应急助手 控制台。发送「帮助」开始；控制台命令：/as /in /photo /file /loc /at /who /quit");
  out("演示县的人员：/as 13800000001 局领导张建国，/as 13800000004 管理员赵敏，/as 13800000007 网格员杨波；群：/in 泡里村网格群、/in 县应急局值班群");
  const rl = readline.createInterface({ input: d.input, output: d.output, prompt: "> " });
  const promptLine = () => rl.setPrompt(`${who.name}@${chat.id}${chat.group ? "(群)" : ""}> `);
  promptLine();
  rl.prompt();
  for await (const line of rl) {
    const cmd = /^\/(\w+)\s*(.*)$/.exec(line.trim());
    const send = async (text: string, attachments: Attachment[] = []) => {
      const s = stripMention(text);
      await d.handle({
        channel: CONSOLE, chatId: chat.id, chatKind: chat.group ? "group" : "private", senderId: who.id, senderName: who.name,
        messageId: crypto.randomUUID(), text: s.text, attachments, mentionsBot: s.mentionsBot, replyToBot: false, receivedAt: d.now(),
      });
    };
    if (cmd && CONSOLE_COMMANDS.has(cmd[1]!)) {
      const [, name, rest = ""] = cmd;
      const args = rest.split(/\s+/).filter(Boolean);
      if (name === "quit" || name === "exit") break;
      if (name === "as" && args[0]) who = { id: args[0], name: args[1] ?? args[0] };
      else if (name === "in" && args[0]) chat = { id: args[0], group: !["私聊", "private", "p"].includes(args[1] ?? "群") };
      else if (name === "photo" && args[0]) await send("", [{ kind: "photo", path: path.resolve(args[0]) }]);
      else if (name === "file" && args[0]) await send("", [{ kind: "file", path: path.resolve(args[0]), name: path.basename(args[0]) }]);
      else if (name === "loc" && args.length >= 2 && !Number.isNaN(Number(args[0])) && !Number.isNaN(Number(args[1]))) {
        await send("", [{ kind: "location", lat: Number(args[0]), lng: Number(args[1]), ...(args[2] ? { label: args.slice(2).join(" ") } : {}) }]);
      } else if (name === "at" && args[0] && !Number.isNaN(Date.parse(args[0]))) {
        if (!(await d.advanceTo(new Date(args[0])))) out("时间只能往后调。");
      } else if (name === "who") out(`你是 ${who.name}（${who.id}），在 ${chat.id}（${chat.group ? "群聊" : "私聊"}）。`);
      else out("用法：/as <id> [名字] | /in <chat> [群|私聊] | /photo <文件> | /file <文件> | /loc <纬度> <经度> [地点] | /at <时间> | /who | /quit");
    } else await send(line);
    await d.drain();
    promptLine();
    rl.prompt();
  }
  rl.close();
}
