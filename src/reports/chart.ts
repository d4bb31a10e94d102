/**
 * Charts as PNG on the server, with Chinese labels and no browser: vega-lite →
 * vega SVG → resvg, with the CJK font shipped by npm (font.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { renderAsync } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { cjkFontFiles } from "./font.js";

const FONT = "Noto Sans SC";
const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const config = { font: FONT, title: { fontSize: 16 }, axis: { labelFontSize: 12, titleFontSize: 12 }, legend: { labelFontSize: 12 } };

export interface SeriesRow { label: string; series: string; value: number }
/** One panel of a chart: a title and its rows, without the page around it. */
type Panel = Record<string, unknown>;

/** The chart as SVG (its text is searchable: titles, labels). */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

async function render(spec: TopLevelSpec, file: string, dataDir: string): Promise<string> {
  const svg = await chartSvg(spec);
  // Rasterised on libuv's thread pool, so other chats are answered meanwhile.
  const png = (await renderAsync(svg, { font: { fontFiles: cjkFontFiles(dataDir), loadSystemFonts: false, defaultFontFamily: FONT }, fitTo: { mode: "zoom", value: 2 } })).asPng();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, png);
  return file;
}

const page = (title: string, panel: Panel): TopLevelSpec => ({ $schema: SCHEMA, title: { text: title, offset: 12 }, config, padding: 12, ...panel }) as TopLevelSpec;

/** Whole numbers from 0 up to at least 1 (an all-zero chart still reads 0, 1 — not 0.000000). */
const countScale = (unit: string, rows: { value: number }[]) =>
  ({ type: "quantitative", title: unit, scale: { domain: [0, Math.max(1, ...rows.map((r) => r.value))], nice: true }, axis: { format: "d", tickMinStep: 1 } });

/** Series in the order given (排查 before 已整改), the same colours in every panel. */
const seriesColor = (series: string[]) => ({ field: "series", type: "nominal", title: null, sort: series, scale: { domain: series } });

/** Grouped bars, e.g. hazards found and rectified per township. */
export function barPanel(rows: SeriesRow[], unit: string, series = [...new Set(rows.map((r) => r.series))]): Panel {
  return {
    width: 420, height: 220, data: { values: rows },
    mark: { type: "bar", tooltip: false },
    encoding: {
      x: { field: "label", type: "nominal", title: null, sort: null, axis: { labelAngle: rows.length > 16 ? -45 : 0 } },
      xOffset: { field: "series", sort: series },
      y: { field: "value", ...countScale(unit, rows) },
      color: seriesColor(series),
    },
  };
}

/** Lines over time, one per series, e.g. hazards found and rectified per week. */
export function linePanel(rows: SeriesRow[], unit: string, series = [...new Set(rows.map((r) => r.series))]): Panel {
  return {
    width: 420, height: 200, data: { values: rows },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "label", type: "ordinal", title: null, sort: null, axis: { labelAngle: new Set(rows.map((r) => r.label)).size > 8 ? -40 : 0 } },
      y: { field: "value", ...countScale(unit, rows) },
      color: seriesColor(series),
    },
  };
}

/** Horizontal bars with the figure at the end, largest first, e.g. hazards per sector. */
export function rankPanel(rows: { label: string; value: number }[], unit: string): Panel {
  const enc = { y: { field: "label", type: "nominal", title: null, sort: null }, x: { field: "value", ...countScale(unit, rows) } };
  return {
    width: 420, height: Math.max(60, rows.length * 24), data: { values: [...rows].sort((a, b) => b.value - a.value) },
    layer: [{ mark: { type: "bar", color: "#e45756" } }, { mark: { type: "text", align: "left", dx: 3 }, encoding: { text: { field: "value" } } }],
    encoding: enc,
  };
}

export function barSpec(o: { title: string; rows: SeriesRow[]; unit?: string }): TopLevelSpec {
  return page(o.title, barPanel(o.rows, o.unit ?? "处"));
}

/** Panels stacked under one title: what a rollup attaches (one image per message). */
export function boardSpec(title: string, panels: { title: string; panel: Panel }[]): TopLevelSpec {
  return page(title, { vconcat: panels.map((p) => ({ title: { text: p.title, fontSize: 13, anchor: "start", offset: 8 }, ...p.panel })), spacing: 28,
    // Each panel its own axes; the series colours shared (排查 is the same colour everywhere).
    resolve: { scale: { x: "independent", y: "independent", color: "shared" } } });
}

export function barChart(o: { title: string; rows: SeriesRow[]; file: string; dataDir: string }): Promise<string> {
  return render(barSpec(o), o.file, o.dataDir);
}

export function chartFile(spec: TopLevelSpec, file: string, dataDir: string): Promise<string> {
  return render(spec, file, dataDir);
}
