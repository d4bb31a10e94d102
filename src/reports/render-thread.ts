/**
 * The main thread's side of the render thread (render-worker.ts): one worker,
 * started on the first render, asked by kind; a worker that dies fails what it
 * had in hand (the render queue tries again) and is started afresh next time.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Json } from "../core/flow-types.js";
import type { Rendered, Renderer } from "../core/effects.js";
import type { RenderWorkerData } from "./render-worker.js";

export const RENDER_KINDS = ["rollup", "hazard-ledger"] as const;

/** tsx's ES-module API (its `import` export: require.resolve would give the CommonJS one). */
function tsxEsmApi(): string {
  const pkg = createRequire(import.meta.url).resolve("tsx/package.json");
  const exp = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { exports: Record<string, { import: { default: string } }> }).exports["./esm/api"]!;
  return pathToFileURL(path.join(path.dirname(pkg), exp.import.default)).href;
}

type Pending = { resolve: (r: Rendered) => void; reject: (e: Error) => void };

export class RenderThread {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly data: RenderWorkerData) {}

  /** A renderer of this kind that draws on the render thread. */
  renderer(kind: string): Renderer {
    return (params, at) => this.run(kind, params, at);
  }

  run(kind: string, params: Json, at: Date): Promise<Rendered> {
    const w = this.start();
    const id = ++this.seq;
    return new Promise<Rendered>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, kind, params, at: at.toISOString() });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // Under tsx (npm start, tests) the worker is TypeScript and needs tsx's loader; built, it is plain JavaScript.
    const ts = import.meta.url.endsWith(".ts");
    const entry = new URL(ts ? "./render-worker.ts" : "./render-worker.js", import.meta.url).href;
    const tsx = ts ? tsxEsmApi() : "";
    const w = ts
      ? new Worker(`import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); })`, { eval: true, workerData: this.data })
      : new Worker(new URL(entry), { workerData: this.data });
    w.unref();
    w.on("message", (m: { id?: number; out?: Rendered; error?: string }) => {
      if (m.id === undefined) return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.out!);
    });
    const fail = (err: Error) => {
      if (this.worker === w) this.worker = null;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    w.on("error", fail);
    w.on("exit", (code) => fail(new Error(`render thread exited (${code})`)));
    this.worker = w;
    return w;
  }
}
