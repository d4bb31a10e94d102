/** Locates the project's own folders (prompts/, prisma/) from src/ or the built dist/src/. */
import fs from "node:fs";
import path from "node:path";

function findRoot(): string {
  let dir = import.meta.dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "prompts"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error("cannot find the project root (package.json + prompts/)");
    dir = up;
  }
}

export const PROJECT_ROOT = findRoot();

export function projectPath(...parts: string[]): string {
  return path.join(PROJECT_ROOT, ...parts);
}
