/**
 * A CJK font for server-side charts, shipped by npm (no system fonts, no network):
 * Noto Sans SC (OFL) from @fontsource comes as WOFF unicode-range subsets; WOFF 1 is
 * zlib-compressed sfnt tables, so each subset is turned back into a TTF once and
 * kept under the data folder for resvg, which reads TTF/OTF only.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import zlib from "node:zlib";

/** WOFF 1 → sfnt (TTF/OTF). */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) throw new Error("not a WOFF file");
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: number; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const e = 44 + i * 20;
    const [tag, offset, compLength, origLength, checksum] = [woff.readUInt32BE(e), woff.readUInt32BE(e + 4), woff.readUInt32BE(e + 8), woff.readUInt32BE(e + 12), woff.readUInt32BE(e + 16)];
    const raw = woff.subarray(offset, offset + compLength);
    tables.push({ tag, checksum, data: compLength < origLength ? zlib.inflateSync(raw) : Buffer.from(raw) });
  }
  let pow = 1, log = 0;
  while (pow * 2 <= numTables) { pow *= 2; log++; }
  const header = Buffer.alloc(12 + 16 * numTables);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(pow * 16, 6);
  header.writeUInt16BE(log, 8);
  header.writeUInt16BE(numTables * 16 - pow * 16, 10);
  let offset = header.length;
  const bodies: Buffer[] = [];
  tables.sort((a, b) => a.tag - b.tag).forEach((t, i) => {
    const r = 12 + i * 16;
    header.writeUInt32BE(t.tag, r);
    header.writeUInt32BE(t.checksum, r + 4);
    header.writeUInt32BE(offset, r + 8);
    header.writeUInt32BE(t.data.length, r + 12);
    const padded = Buffer.alloc((t.data.length + 3) & ~3);
    t.data.copy(padded);
    bodies.push(padded);
    offset += padded.length;
  });
  return Buffer.concat([header, ...bodies]);
}

/** The TTF files of Noto Sans SC (regular), converted once into `dataDir/fonts`. */
export function cjkFontFiles(dataDir: string): string[] {
  const require = createRequire(import.meta.url);
  const src = path.join(path.dirname(require.resolve("@fontsource/noto-sans-sc/package.json")), "files");
  const out = path.join(dataDir, "fonts", "noto-sans-sc");
  fs.mkdirSync(out, { recursive: true });
  const files: string[] = [];
  for (const f of fs.readdirSync(src).filter((n) => /-400-normal\.woff$/.test(n))) {
    const ttf = path.join(out, f.replace(/\.woff$/, ".ttf"));
    if (!fs.existsSync(ttf)) {
      fs.writeFileSync(`${ttf}.tmp`, woffToSfnt(fs.readFileSync(path.join(src, f))));
      fs.renameSync(`${ttf}.tmp`, ttf);
    }
    files.push(ttf);
  }
  return files;
}
