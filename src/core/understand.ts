/**
 * How people type what the bot asks for, read once for commands, dialog steps and
 * one-message forms alike: trailing punctuation and emoji (`上报隐患。`, `收到👌`),
 * polite openings (`我要上报隐患`), and the many ways of saying 收到.
 * Pure functions of the matching form (`normalizeForMatch`).
 */

/** Punctuation, emoji (with their joiners and variation selectors) and spaces at the end. */
const TRAILING = /(?:[\s。.！!？?~～…,，、;；:：)）】」』"'”’]|\p{Extended_Pictographic}|[\u200d\ufe0f\u{1f3fb}-\u{1f3ff}]|\[(?:强|OK|ok|抱拳|握手|胜利|拳头|玫瑰|微笑|好的|耶|爱心|鼓掌|加油)\])+$/u;

export function trimTrailing(norm: string): string {
  return norm.replace(TRAILING, "");
}

/** Emoji or brackets before the words (`⚠️隐患 …`, `【隐患】…`): not part of them. */
export function withoutLeadingMarks(text: string): string {
  return text.replace(/^(?:\p{Extended_Pictographic}|[\u200d\ufe0f\s【】\[\]])+/u, "");
}

/** What people put before a command word without changing it: `我要上报隐患`, `请帮我导出`. */
const POLITE = /^(?:我要|我想|我来|想要|要|请|麻烦|帮我|请帮我|麻烦帮我)+\s*/;

export function withoutPoliteOpening(norm: string): string {
  return norm.replace(POLITE, "");
}

/** Emoji people answer a call with. */
/** Emoji people answer a call with — also as WeChat writes them in text (`[强]` is 👍, `[OK]` is 👌). */
const ACK_EMOJI = /^(?:[👌👍🫡🙏✅✔☑🆗]|\p{Emoji_Modifier}|[\u200d\ufe0f]|\[(?:强|OK|ok|抱拳|握手)\])+$/u;
const ACK_WORDS = /^(?:(?:好的?|好滴|嗯|嗯嗯|ok|okay)?[\s,，、]*(?:确认|已经?|均已|都已)?(?:收到|收|知悉|知晓|知道了?|明白了?|了解|已阅|阅)(?:了|啦|啊|哈|哦|喽)?(?:预警|通知|信息|消息)?(?:[\s,，、]*(?:谢谢|马上落实|立即落实|马上办|正在落实|会落实的?|正在转发|马上转发|已转发|马上通知|正在通知|已通知))?|ok|okay)$/;

/**
 * 收到 however it is typed: `收到！`, `已收到`, `好的，收到`, `收到了`, `收到收到`, `👌`, `收到🫡`.
 * Not `收到，但是…` with more to say, nor plain chatter (`好的` alone is not an answer to a call).
 */
export function isAcknowledgement(norm: string): boolean {
  const s = trimTrailing(norm.trim());
  if (s === "") return ACK_EMOJI.test(norm.replace(/\s+/g, ""));
  const once = s.replace(/^(收到[\s,，、]*)+收到$/, "收到");
  // `已收到，正在转发群众`: a clear 收到, then a remark after a comma.
  return ACK_WORDS.test(once) || ACK_THEN_REMARK.test(once);
}

const ACK_THEN_REMARK = /^(?:好的?[\s,，、]*)?(?:已经?|均已|都已)?(?:收到|知悉|知晓|明白)(?:了|啦)?[,，、;；:：。!！](?!\s*(?:但|可是|不过|没|未))\s*\S/;
