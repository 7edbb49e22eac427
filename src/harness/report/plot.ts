/**
 * SVG plots of a comparison, rendered headless (no DOM, no canvas) by vega-lite and vega:
 * learning curves per setting and final return against each ablation axis. Specs are plain
 * data built from the comparison; the same comparison gives the same SVG bytes.
 *
 * @module
 */
import { compile, type TopLevelSpec } from "vega-lite";
import { parse, View } from "vega";
import {
  type AxisTable,
  type ExperimentComparison,
  type Setting,
  valueText,
} from "../../analysis/comparison_types.ts";

/** Colours given to agents in name order (vega's tableau10). */
export const PALETTE = [
  "#4c78a8",
  "#f58518",
  "#e45756",
  "#72b7b2",
  "#54a24b",
  "#eeca3b",
  "#b279a2",
  "#ff9da6",
  "#9d755d",
  "#bab0ac",
] as const;

/** Colour of baseline reference lines in ablation plots. */
const REFERENCE_COLOR = "#555555";
const WIDTH = 480;
const HEIGHT = 300;

/** Each agent's colour: agents in name order take the {@link PALETTE} in turn. */
export function agentColors(agents: readonly string[]): Map<string, string> {
  return new Map(
    [...agents].sort().map((a, i) => [a, PALETTE[i % PALETTE.length]!] as const),
  );
}

/**
 * The learning curves of one setting: per trained agent, the mean return across seeds against
 * timesteps with its 95% band; classic baselines as solid horizontal lines at their mean, and
 * the paper's numbers as dashed horizontal lines, each in its agent's colour. Undefined when the
 * setting has nothing to draw.
 */
export function learningCurveSpec(
  c: ExperimentComparison,
  setting: Setting,
): TopLevelSpec | undefined {
  const colors = agentColors(Object.keys(c.config.agents));
  const color = {
    field: "agent",
    type: "nominal",
    title: "agent",
    scale: { domain: [...colors.keys()], range: [...colors.values()] },
  } as const;
  const curves = setting.rows.flatMap((r) =>
    (r.curve ?? []).map((p) => ({
      agent: r.agent,
      x: p.x,
      mean: p.mean,
      lower: p.lower,
      upper: p.upper,
    }))
  );
  const classic = setting.rows.flatMap((r) =>
    r.classic && r.summary.final !== undefined
      ? [{ agent: r.agent, value: r.summary.final.point }]
      : []
  );
  const paper = setting.rows.flatMap((r) =>
    r.paper === undefined ? [] : [{ agent: r.agent, value: r.paper }]
  );
  if (curves.length === 0 && classic.length === 0) return undefined;
  const yTitle = c.curveSource === "evaluation"
    ? "mean return per trial (evaluation)"
    : "mean return per trial (training)";
  const x = { field: "x", type: "quantitative", title: "timesteps" } as const;
  const y = { type: "quantitative", title: yTitle, scale: { zero: false } } as const;
  const layer: NonNullable<Extract<TopLevelSpec, { layer: unknown }>["layer"]> = [];
  if (curves.length > 0) {
    layer.push(
      {
        data: { values: curves },
        mark: { type: "area", opacity: 0.2 },
        encoding: { x, y: { ...y, field: "lower" }, y2: { field: "upper" }, color },
      },
      {
        data: { values: curves },
        mark: { type: "line", strokeWidth: 2 },
        encoding: { x, y: { ...y, field: "mean" }, color },
      },
    );
  }
  const rule = (values: { agent: string; value: number }[], dash: number[]) =>
    layer.push({
      data: { values },
      mark: { type: "rule", strokeWidth: 1.5, ...(dash.length > 0 && { strokeDash: dash }) },
      encoding: { y: { ...y, field: "value" }, color },
    });
  if (classic.length > 0) rule(classic, []);
  if (paper.length > 0) rule(paper, [6, 4]);
  const title = setting.label === "" ? c.name : `${c.name}: ${setting.label}`;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: title,
      subtitle: "band: 95% CI across seeds; flat: classic baselines; dashed: the paper",
    },
    width: WIDTH,
    height: HEIGHT,
    layer,
  };
}

/**
 * Final return against one ablation axis: per value of the axis, the agent's final mean with
 * its 95% interval as an error bar, one line per combination of the agent's other ablated
 * fields, and the baseline's mean as a dashed line. Undefined when no point has results.
 */
export function ablationSpec(c: ExperimentComparison, axis: AxisTable): TopLevelSpec | undefined {
  const single = axis.columns.length === 1 && axis.columns[0] === "";
  const points = axis.rows.flatMap((row) =>
    row.cells.flatMap((summary, j) =>
      summary?.final === undefined ? [] : [{
        value: valueText(row.value),
        series: single ? axis.agent : axis.columns[j]!,
        mean: summary.final.point,
        lower: summary.final.lower,
        upper: summary.final.upper,
      }]
    )
  );
  if (points.length === 0) return undefined;
  const x = {
    field: "value",
    type: "ordinal",
    title: axis.path,
    sort: axis.rows.map((r) => valueText(r.value)),
  } as const;
  const y = {
    type: "quantitative",
    title: "final mean return per trial",
    scale: { zero: false },
  } as const;
  const color = {
    field: "series",
    type: "nominal",
    title: single ? "agent" : "other fields",
  } as const;
  const layer: NonNullable<Extract<TopLevelSpec, { layer: unknown }>["layer"]> = [
    {
      data: { values: points },
      mark: { type: "rule", strokeWidth: 1.5 },
      encoding: { x, y: { ...y, field: "lower" }, y2: { field: "upper" }, color },
    },
    {
      data: { values: points },
      mark: { type: "line", point: { filled: true, size: 40 } },
      encoding: { x, y: { ...y, field: "mean" }, color },
    },
  ];
  const base = axis.baseline?.summary.final;
  if (base !== undefined) {
    layer.push({
      data: { values: [{ value: base.point }] },
      mark: { type: "rule", strokeDash: [6, 4], color: REFERENCE_COLOR },
      encoding: { y: { ...y, field: "value" } },
    });
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `${c.name}: ${axis.path}`,
      subtitle: `bars: 95% CI across seeds and tasks` +
        (base === undefined ? "" : `; dashed: baseline ${axis.baseline!.variant}`),
    },
    width: WIDTH,
    height: HEIGHT,
    layer,
  };
}

/**
 * Renders a vega-lite spec to SVG text without a browser (vega's `renderer: "none"`; text
 * widths are estimated, so no canvas is needed).
 *
 * @example A two-point line
 * ```ts
 * import { renderSvg } from "./plot.ts";
 * const svg = await renderSvg({
 *   data: { values: [{ x: 0, y: 1 }, { x: 1, y: 2 }] },
 *   mark: "line",
 *   encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
 * });
 * if (!svg.startsWith("<svg") || !svg.includes("<path")) throw new Error("not an SVG line");
 * ```
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    return `${await view.toSVG()}\n`;
  } finally {
    view.finalize();
  }
}
