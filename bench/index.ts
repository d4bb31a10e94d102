/** `npm run bench`: the core's message throughput, stats at county scale, and 帮助 while a chart renders. */
await import("./core.bench.js");
await import("./stats.bench.js");
await import("./render.bench.js");
