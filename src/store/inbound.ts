import { Prisma } from "../generated/prisma/client.js";
import type { Tx } from "./db.js";

/** How much of an inbound text is kept in the record (the rest is noted by length). */
export const STORED_TEXT_MAX = 8000;

export interface InboundRecord {
  channel: string;
  platformMessageId: string;
  chatId: string;
  chatKind: string;
  senderId: string;
  senderName: string;
  text: string;
  attachments: unknown[];
  receivedAt: Date;
}

/**
 * Records an inbound message once. Returns false when (channel, platform message id)
 * was already recorded: a redelivered update, to be ignored.
 */
export async function recordInbound(tx: Tx, m: InboundRecord, now: Date): Promise<boolean> {
  const text = m.text.length > STORED_TEXT_MAX ? `${m.text.slice(0, STORED_TEXT_MAX)}…[共${m.text.length}字]` : m.text;
  try {
    await tx.inboundMessage.create({
      data: { ...m, text, senderName: m.senderName.slice(0, 200), attachments: JSON.stringify(m.attachments), recordedAt: now },
    });
    return true;
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") return false;
    throw e;
  }
}
