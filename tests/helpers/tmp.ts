import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "yingji-test-"));
let n = 0;

/** A fresh SQLite file URL for one test (a real file: tests never mock the store). */
export function tmpDbUrl(): string {
  return `file:${path.join(root, `t${process.pid}-${++n}.db`)}`;
}

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(root, "d"));
}
