/** `npm run bench`: the core's message throughput, then stats at county scale. Arguments go to both. */
await import("./core.bench.js");
await import("./stats.bench.js");
