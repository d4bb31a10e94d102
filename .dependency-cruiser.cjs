/**
 * Dependency direction for yingji-bot (see docs/decisions/009-dependency-rules.md and
 * /work/shared/design/architecture.md). Checked in `npm test` by tests/architecture/dependencies.test.ts.
 *
 * 今天已有的违规记录在 .dependency-cruiser-known-violations.json（基线），只许减少，不许增加。
 * Today's violations are recorded in .dependency-cruiser-known-violations.json (the baseline):
 * it may only shrink. Regenerate it only after removing violations (npm run deps:baseline):
 *   depcruise src --config .dependency-cruiser.cjs --output-type baseline --output-to .dependency-cruiser-known-violations.json
 * Check from the command line (npm run deps:check):
 *   depcruise src --config .dependency-cruiser.cjs --ignore-known .dependency-cruiser-known-violations.json
 *
 * Paths are relative to the repo root, posix style ("src/core/bot.ts", "node_modules/grammy/…").
 */

/** npm packages that talk to a platform: Prisma, Telegram (grammY), WeChat (Wechaty). */
const PRISMA_PKG = "(^|/)node_modules/(@prisma/|\\.prisma/|prisma/)";
const TELEGRAM_PKG = "(^|/)node_modules/(grammy|@grammyjs/[^/]+)/";
const WECHAT_PKG = "(^|/)node_modules/(wechaty[^/]*|@juzi/wechaty[^/]*)/";
/** The generated Prisma client (not traversed, but imports resolve to it). */
const GENERATED = "^src/generated/";
/** Where a channel's contract may live outside the core (target layout: src/channels/contract.ts). */
const CHANNEL_CONTRACT = "^src/channels/contract\\.ts$";
/** A repository: any repo.ts (features/<name>/repo.ts) or a repo/ folder. */
const ANY_REPO = "(^|/)repo(\\.ts$|/)";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "core-no-platforms",
      severity: "error",
      comment:
        "核心与渠道、数据库无关：src/core 不得引用 Prisma、生成的客户端、grammY、Wechaty、store、flows、features、" +
        "channels（渠道契约除外）、reports、scheduler、outbox。依赖方向是平台 → 核心，而不是反过来。 " +
        "The core is channel- and storage-agnostic: src/core must not import Prisma, the generated client, " +
        "grammY, Wechaty, store, flows, features, channels (except the channel contract), reports, scheduler " +
        "or outbox. Platforms depend on the core, never the other way; pass what the core needs through its ports.",
      from: { path: "^src/core/" },
      to: {
        path: [
          PRISMA_PKG,
          TELEGRAM_PKG,
          WECHAT_PKG,
          GENERATED,
          "^src/(store|flows|features|channels|reports|scheduler|outbox)/",
          "^src/platform/(db|outbox|scheduler)/",
        ],
        pathNot: CHANNEL_CONTRACT,
      },
    },
    {
      name: "prisma-only-in-repos",
      severity: "error",
      comment:
        "只有仓储可以用 Prisma：src/generated/prisma 与 @prisma/* 只能被 src/**/repo.ts、src/store/**（存储平台）" +
        "和 src/platform/** 引用。其他代码通过仓储导出的函数读写数据。 " +
        "Only repositories touch Prisma: src/generated/prisma and @prisma/* may be imported only from " +
        "src/**/repo.ts, src/store/** (the store platform) and src/platform/**. Everything else calls a repository's functions.",
      from: {
        path: "^src/",
        pathNot: ["(^|/)repo\\.ts$", "(^|/)repo/", "^src/store/", "^src/platform/", GENERATED],
      },
      to: { path: [GENERATED, PRISMA_PKG] },
    },
    {
      name: "feature-no-foreign-repo",
      severity: "error",
      comment:
        "功能之间不直接读对方的仓储：src/features/X 不得引用 src/features/Y/repo.ts（Y≠X），请调用 Y 导出的函数（index.ts）。 " +
        "A feature does not reach into another feature's repository: src/features/X must not import " +
        "src/features/Y/repo.ts (Y≠X); ask through Y's exported functions (its index.ts).",
      from: { path: "^src/features/([^/]+)/" },
      to: {
        path: "^src/features/[^/]+/repo(\\.ts$|/)",
        pathNot: "^src/features/$1/",
      },
    },
    {
      name: "rules-no-store",
      severity: "error",
      comment:
        "规则是纯函数：src/domain/** 与 src/features/*/rules.ts 不得引用 store、任何 repo.ts、channels、生成的客户端或 @prisma。" +
        "数据由调用方读好后作为参数传入。 " +
        "Rules are pure functions: src/domain/** and src/features/*/rules.ts must not import the store, any " +
        "repo.ts, channels, the generated client or @prisma. The caller loads the data and passes it in.",
      from: { path: ["^src/domain/", "^src/features/[^/]+/rules(\\.ts$|/)"] },
      to: {
        path: ["^src/store/", "^src/platform/db/", ANY_REPO, "^src/channels/", GENERATED, PRISMA_PKG],
      },
    },
    {
      name: "channels-only-via-contract",
      severity: "error",
      comment:
        "功能与领域规则不认识具体渠道：src/features/** 与 src/domain/** 不得引用 grammY、Wechaty 或 src/channels，" +
        "只通过渠道契约（core/channel.ts、将来的 channels/contract.ts）交互。 " +
        "Features and domain rules do not know the concrete channel: src/features/** and src/domain/** must not " +
        "import grammY, Wechaty or src/channels; they talk through the channel contract (core/channel.ts, later channels/contract.ts).",
      from: { path: ["^src/features/", "^src/domain/"] },
      to: {
        path: [TELEGRAM_PKG, WECHAT_PKG, "^src/channels/"],
        pathNot: CHANNEL_CONTRACT,
      },
    },
    {
      name: "no-circular",
      severity: "error",
      comment:
        "不允许循环依赖：循环让模块无法单独理解、测试和搬迁（例如搬进 features/）。 " +
        "No circular dependencies: a cycle makes modules impossible to understand, test or move " +
        "(e.g. into features/) on their own.",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    // Leaves: seen as dependencies, never traversed (the generated client is big and not ours).
    doNotFollow: { path: ["node_modules", GENERATED] },
    tsConfig: { fileName: "tsconfig.json" },
    // Count `import type` too: a type-only import from Prisma still ties the module to Prisma.
    tsPreCompilationDeps: true,
    moduleSystems: ["es6", "cjs"],
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
