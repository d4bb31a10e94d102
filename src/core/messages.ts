/**
 * The normalized message types. Channels (console, Telegram, WeChat) convert their
 * platform updates into `InboundMessage` and deliver `OutboundMessage`; nothing
 * platform-specific travels further than the channel adapter.
 */

export type ChatKind = "group" | "private";

export type Attachment =
  | { kind: "photo"; path: string; mime?: string; sha256?: string }
  | { kind: "location"; lat: number; lng: number; label?: string }
  | { kind: "file"; path: string; name: string; mime?: string };

export interface InboundMessage {
  channel: string;
  chatId: string;
  chatKind: ChatKind;
  senderId: string;
  senderName: string;
  /** The platform's id for this message; with `channel` it makes the dedupe key. */
  messageId: string;
  text: string;
  attachments: Attachment[];
  /** The bot was @mentioned. */
  mentionsBot: boolean;
  /** The message replies to (quotes) one of the bot's messages. */
  replyToBot: boolean;
  /** People @mentioned (other than the bot), where the platform says who. */
  mentions?: { id: string; name: string }[];
  /** The sender of the message this one replies to, where the platform says. */
  replyTo?: { senderId: string; senderName: string };
  receivedAt: Date;
}

export interface OutboundMessage {
  channel: string;
  chatId: string;
  /** Platform message id being replied to, if the channel supports threading. */
  replyTo?: string;
  /** Person to @mention in a group. */
  mention?: { id: string; name: string };
  text: string;
  /** Options the person may answer with (by number or text). Rendered per channel. */
  choices: string[];
  /** Local file path of an image to attach. */
  image?: string;
  /** Local file path of a document to attach (e.g. an .xlsx ledger). */
  file?: string;
  /** Replace the text of this earlier message (its platform id) instead of posting; channels that cannot edit skip it. */
  edit?: string;
}
