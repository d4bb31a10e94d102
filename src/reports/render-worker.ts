/**
 * The render thread: charts, workbooks and ledgers are drawn here, off the main
 * thread, so the bot keeps answering while vega lays out a county's chart. It has
 * its own read connection to the database (WAL: the last committed snapshot).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Renderer } from "../core/effects.js";
import { hazardLedgerRenderer } from "../features/hazards/flows.js";
import { rollupRenderer } from "../features/stats/commands.js";
import { Prompts } from "../prompts/load.js";
import { openReader } from "../store/db.js";

export interface RenderWorkerData {
  dbFile: string;
  promptsDir: string;
  dataDir: string;
}

const d = workerData as RenderWorkerData;
const db = openReader(d.dbFile);
const prompts = Prompts.load(d.promptsDir);
const renderers = new Map<string, Renderer>([
  ["rollup", rollupRenderer({ db, render: (s) => prompts.render(s), dataDir: d.dataDir })],
  ["hazard-ledger", hazardLedgerRenderer({ db, dataDir: d.dataDir })],
]);

parentPort!.on("message", async (m: { id: number; kind: string; params: unknown; at: string }) => {
  try {
    const r = renderers.get(m.kind);
    if (!r) throw new Error(`no renderer for ${m.kind}`);
    parentPort!.postMessage({ id: m.id, out: await r(m.params as never, new Date(m.at)) });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: String((err as Error)?.stack ?? err) });
  }
});
parentPort!.postMessage({ ready: true });
