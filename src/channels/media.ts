/**
 * Stores received photos and files by content hash under the data folder
 * (`data/media/ab/abcdef….jpg`): the same picture sent twice is kept once, and a
 * path never changes once recorded. Files are readable by the bot's user only
 * (evidence photos, rosters with mobiles), and their extension comes from what
 * the bytes are, never from the name a sender gave them.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileTypeFromBuffer } from "file-type";
import mime from "mime-types";

export async function saveMedia(dataDir: string, bytes: Buffer, declaredMime?: string): Promise<{ path: string; sha256: string; mime: string }> {
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  const { ext, type } = await kindOf(bytes, declaredMime);
  const dir = path.join(dataDir, "media", sha256.slice(0, 2));
  const file = path.join(dir, `${sha256}.${ext}`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, bytes, { mode: 0o600 });
    fs.renameSync(tmp, file); // atomic: a reader never sees half a file
  }
  return { path: file, sha256, mime: type };
}

/**
 * What the bytes are: their signature first (a photo called `名单.csv` is still
 * a jpg), else the content type the platform declares (text formats such as CSV
 * have no signature; Telegram's photos are always JPEG), else `bin`. The name a
 * sender typed is never used.
 */
export async function kindOf(bytes: Buffer, declaredMime?: string): Promise<{ ext: string; type: string }> {
  const sniffed = await fileTypeFromBuffer(bytes).catch(() => undefined);
  if (sniffed) return { ext: sniffed.ext === "cfb" ? "xls" : sniffed.ext, type: sniffed.mime };
  const declared = declaredMime ? mime.extension(declaredMime) : false;
  return declared ? { ext: declared, type: declaredMime! } : { ext: "bin", type: "application/octet-stream" };
}

/** Media older than `retentionDays` (by modification time) is removed; returns how many files. */
export function pruneMedia(dataDir: string, now: Date, retentionDays: number): number {
  const root = path.join(dataDir, "media");
  if (!fs.existsSync(root)) return 0;
  const cutoff = now.getTime() - retentionDays * 24 * 3600_000;
  let removed = 0;
  for (const d of fs.readdirSync(root, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const dir = path.join(root, d.name);
    for (const f of fs.readdirSync(dir)) {
      const p = path.join(dir, f);
      const st = fs.statSync(p, { throwIfNoEntry: false });
      if (st?.isFile() && st.mtimeMs < cutoff) {
        fs.rmSync(p, { force: true });
        removed++;
      }
    }
    if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  }
  return removed;
}
