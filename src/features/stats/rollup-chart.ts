/**
 * The picture of a rollup: found and rectified per township (or village), the
 * weekly trend, and the sector breakdown — one PNG, panels stacked under the
 * rollup's title, so a group gets one image with the report.
 */
import path from "node:path";
import { say, type Say } from "../../prompts/catalog.js";
import type { TopLevelSpec } from "vega-lite";
import { barPanel, boardSpec, chartFile, linePanel, rankPanel } from "../../reports/chart.js";
import type { Rollup } from "./rollup.js";

export const CHART_PANELS = ["units", "trend", "sectors"] as const;
export type ChartPanel = (typeof CHART_PANELS)[number];

/** The words that ask `图表 …` for one panel. */
const PANEL_WORDS: Record<ChartPanel, string[]> = { units: ["乡镇", "各单位", "分单位", "各村"], trend: ["趋势", "走势", "按周", "每周"], sectors: ["行业", "领域"] };
/** A text that begins with a panel word ("图表趋势" typed without a space). */
export const PANEL_WORD_START = new RegExp(`^(${Object.values(PANEL_WORDS).flat().join("|")})`);

/** Which panels a `图表 …` request asks for: 趋势 / 行业 / 乡镇, or all three. */
export function panelsAsked(text: string): ChartPanel[] {
  const asked = CHART_PANELS.filter((p) => PANEL_WORDS[p].some((w) => text.includes(w)));
  return asked.length ? asked : [...CHART_PANELS];
}

/** The rollup's chart as a vega-lite spec: the chosen panels under the rollup's title. */
export function rollupChartSpec(r: Rollup, t: (s: Say) => string, panels: readonly ChartPanel[] = CHART_PANELS): TopLevelSpec {
  const found = t(say("rollup.series_found")), rectified = t(say("rollup.series_rectified")), unit = t(say("rollup.chart_unit"));
  const build: Record<ChartPanel, () => { title: string; panel: Record<string, unknown> }> = {
    units: () => ({
      title: t(say("rollup.chart_units")),
      panel: barPanel(r.townships.flatMap((x) => [{ label: x.unit, series: found, value: x.found }, { label: x.unit, series: rectified, value: x.rectified }]), unit),
    }),
    trend: () => ({
      title: t(say("rollup.chart_trend", { weeks: r.trend.length })),
      panel: linePanel(r.trend.flatMap((w) => [{ label: w.label, series: found, value: w.found }, { label: w.label, series: rectified, value: w.rectified }]), unit),
    }),
    sectors: () => ({ title: t(say("rollup.chart_sectors")), panel: rankPanel(r.sectors.map((s) => ({ label: s.unit, value: s.found })), unit) }),
  };
  // A panel with nothing to draw (no sub-units, no hazards by sector) is left out; the trend always has its weeks.
  const drawn = panels.filter((p) => (p === "units" ? r.townships.length > 0 : p === "sectors" ? r.sectors.length > 0 : true));
  return boardSpec(t(r.title), (drawn.length ? drawn : ["trend" as const]).map((p) => build[p]()));
}

/** The chart as a PNG under DATA_DIR/exports, named after the rollup. */
export async function rollupChart(r: Rollup, t: (s: Say) => string, o: { dataDir: string; now: Date; panels?: readonly ChartPanel[] }): Promise<string> {
  const name = t(r.title).replace(/[\\/:*?"<>|\s【】]/g, "");
  return chartFile(rollupChartSpec(r, t, o.panels), path.join(o.dataDir, "exports", `${name}-${o.now.getTime()}.png`), o.dataDir);
}
