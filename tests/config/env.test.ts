import { describe, expect, it } from "vitest";
import { ConfigError, loadEnv } from "../../src/config/env.js";

describe("environment", () => {
  it("has working defaults", () => {
    expect(loadEnv({})).toMatchObject({ DATABASE_URL: "file:./data/yingji.db", SESSION_TTL_MINUTES: 30, SESSION_REMINDER_MINUTES: 5, LOG_LEVEL: "info" });
  });

  it.each([
    [{ SESSION_TTL_MINUTES: "abc" }, '配置错误：SESSION_TTL_MINUTES="abc" 应为 1 到 1440 之间的整数'],
    [{ SESSION_TTL_MINUTES: "0" }, '配置错误：SESSION_TTL_MINUTES="0" 应为 1 到 1440 之间的整数'],
    [{ DATABASE_URL: "postgres://x" }, '配置错误：DATABASE_URL="postgres://x" 应以 file: 开头，例如 file:./data/yingji.db'],
    [{ LOG_LEVEL: "loud" }, '配置错误：LOG_LEVEL="loud" 应为 trace / debug / info / warn / error / fatal / silent 之一'],
    [{ SESSION_TTL_MINUTES: "10", SESSION_REMINDER_MINUTES: "10" }, '配置错误：SESSION_REMINDER_MINUTES="10" 应小于 SESSION_TTL_MINUTES（10）'],
  ])("stops with one line naming the variable: %o", (env, line) => {
    expect(() => loadEnv(env)).toThrow(ConfigError);
    expect(() => loadEnv(env)).toThrow(line);
    try {
      loadEnv(env);
    } catch (e) {
      expect((e as Error).message.split("\n")).toHaveLength(1);
    }
  });
});
