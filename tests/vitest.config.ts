import os from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["tests/**/*.test.ts"],
    pool: "forks",
    // Vitest's default is one worker fewer than the cores — one on this 2-core machine, so files ran
    // one after another. The tests are single-threaded, so a worker per core halves the wall time.
    maxWorkers: Math.max(2, os.availableParallelism()),
    // Builds the migrated and the demo-seeded base databases once; tests copy them.
    globalSetup: ["./tests/setup/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { TZ: "UTC" },
    reporters: ["default", "./tests/summary-reporter.ts"],
  },
});
