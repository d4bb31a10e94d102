/**
 * Stores received photos and files by content hash under the data folder
 * (`data/media/ab/abcdef….jpg`): the same picture sent twice is kept once, and a
 * path never changes once recorded.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export function saveMedia(dataDir: string, bytes: Buffer, ext: string): { path: string; sha256: string } {
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  const clean = ext.replace(/[^a-z0-9]/gi, "").toLowerCase().slice(0, 8) || "bin";
  const dir = path.join(dataDir, "media", sha256.slice(0, 2));
  const file = path.join(dir, `${sha256}.${clean}`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file); // atomic: a reader never sees half a file
  }
  return { path: file, sha256 };
}

export function extOf(name: string | undefined, fallback: string): string {
  const m = /\.([a-z0-9]{1,8})$/i.exec(name ?? "");
  return m ? m[1]!.toLowerCase() : fallback;
}
