/**
 * Charts as PNG on the server, with Chinese labels and no browser: vega-lite →
 * vega SVG → resvg, with the CJK font shipped by npm (font.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { cjkFontFiles } from "./font.js";

const FONT = "Noto Sans SC";

/** The chart as SVG (its text is searchable: titles, labels). */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

async function render(spec: TopLevelSpec, file: string, dataDir: string): Promise<string> {
  const svg = await chartSvg(spec);
  const png = new Resvg(svg, { font: { fontFiles: cjkFontFiles(dataDir), loadSystemFonts: false, defaultFontFamily: FONT }, fitTo: { mode: "zoom", value: 2 } }).render().asPng();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, png);
  return file;
}

const config = { font: FONT, title: { fontSize: 16 }, axis: { labelFontSize: 12, titleFontSize: 12 } };

export function barSpec(o: { title: string; rows: { label: string; series: string; value: number }[] }): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json", title: o.title, width: 420, height: 240, config,
    data: { values: o.rows },
    mark: { type: "bar", tooltip: false },
    encoding: {
      x: { field: "label", type: "nominal", title: null, axis: { labelAngle: 0 } },
      xOffset: { field: "series" },
      y: { field: "value", type: "quantitative", title: "处" },
      color: { field: "series", type: "nominal", title: null },
    },
    padding: 12,
  } as TopLevelSpec;
}

/** Bars, e.g. hazards found and rectified per township. */
export function barChart(o: { title: string; rows: { label: string; series: string; value: number }[]; file: string; dataDir: string }): Promise<string> {
  return render(barSpec(o), o.file, o.dataDir);
}

/** A trend line, e.g. hazards found per week. */
export function lineChart(o: { title: string; rows: { label: string; value: number }[]; file: string; dataDir: string }): Promise<string> {
  return render({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json", title: o.title, width: 420, height: 220, config,
    data: { values: o.rows },
    mark: { type: "line", point: true },
    encoding: { x: { field: "label", type: "ordinal", title: null }, y: { field: "value", type: "quantitative", title: "处" } },
  } as TopLevelSpec, o.file, o.dataDir);
}
