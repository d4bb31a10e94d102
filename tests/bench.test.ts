import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { projectPath } from "../src/paths.js";

// Not a timing test: it only keeps `npm run bench` working (its figures are read by people).
describe("npm run bench", () => {
  it("runs a small workload end to end and prints its figures", () => {
    const r = spawnSync("npm", ["run", "bench", "--", "--people", "4", "--concurrency", "2", "--hazards", "2000", "--patrols", "4000", "--render-hazards", "2000"], { cwd: projectPath(), encoding: "utf8", timeout: 120_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/core: messages handled\/s\s+\d+/);
    expect(r.stdout).toMatch(/reminders \/ hazards stored\s+4 \/ 4/);
    expect(r.stdout).toMatch(/ratio core \/ raw\s+[\d.]+/);
    expect(r.stdout).toMatch(/monthly county rollup \(16 townships\)\s+\d+ ms/);
    expect(r.stdout).toMatch(/township quick stat: hazards this month\s+\d+ ms/);
    expect(r.stdout).toMatch(/帮助 during the render\s+p50 [\d.]+ ms/);
  }, 120_000);
});
