import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["tests/**/*.test.ts"],
    pool: "forks",
    // Builds the migrated and the demo-seeded base databases once; tests copy them.
    globalSetup: ["./tests/setup/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { TZ: "UTC" },
    reporters: ["default", "./tests/summary-reporter.ts"],
  },
});
