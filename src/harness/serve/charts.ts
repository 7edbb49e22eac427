/**
 * The interactive charts of the served pages and the HTML report, as vega-lite specs whose data
 * are named datasets (`curves`, `references`, `stages`, `progress`; a spec's `datasets` names
 * those it draws), so that a page updates a chart's data in place as runs grow. Hovering a point shows its numbers; clicking an agent in the legend
 * (shift-click for several) dims the others.
 *
 * @module
 */
import { SHARED_PROGRESS_COLUMNS } from "../run/csv.ts";
import type { TopLevelSpec } from "vega-lite";
import { PALETTE } from "../report/plot.ts";
import { PAPER_DASH } from "./reference_lines.ts";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** The agents a chart draws, in legend order, and their colours. */
export interface ChartColors {
  /** The variants drawn. */
  domain: string[];
  /** Their colours. */
  range: string[];
}

/**
 * The colours of the variants `drawn` (in that order): each the {@link PALETTE} colour of its
 * place among `all`, so that an agent has one colour on every chart of a page.
 */
export function chartColors(drawn: readonly string[], all: readonly string[]): ChartColors {
  const order = [...all, ...drawn.filter((v) => !all.includes(v))];
  return {
    domain: [...drawn],
    range: drawn.map((v) => PALETTE[order.indexOf(v) % PALETTE.length]!),
  };
}

/**
 * The colour encoding of variants; its legend's swatches are opaque whatever the marks, and it
 * stands `offset` pixels right of the plot.
 */
function colorScale(colors: ChartColors, offset = 18) {
  return {
    field: "variant",
    type: "nominal",
    title: "agent (click to select)",
    scale: { domain: colors.domain, range: colors.range },
    legend: { symbolOpacity: 1, symbolType: "circle", offset },
  } as const;
}

/** The legend's offset that clears labels of `labels` at the right of the plot (10 px font). */
function clearing(labels: readonly string[]): number {
  return labels.length === 0 ? 18 : 16 + 6 * Math.max(...labels.map((l) => l.length));
}

/** Opacity that dims the variants not selected in the legend. */
function selected(on: number, off: number) {
  return { condition: { param: "pick", value: on, empty: true }, value: off } as const;
}

/**
 * The horizontal reference lines (data: `references`, as {@link ReferenceLine}s): each in its
 * agent's colour with its own dash, labelled at the right of the plot.
 */
function referenceLayers(color: ReturnType<typeof colorScale>, y: YAxis) {
  const tooltip = [
    { field: "variant", title: "agent" },
    { field: "kind", title: "reference" },
    { field: "value", title: "value", format: ".3f" },
  ];
  return [
    {
      data: { name: "references" },
      mark: { type: "rule" as const, strokeWidth: 1.5 },
      encoding: {
        y: { ...y, field: "value" },
        color,
        strokeDash: { field: "dash", type: "nominal" as const, scale: null },
        opacity: selected(0.9, 0.1),
        tooltip,
      },
    },
    {
      data: { name: "references" },
      mark: {
        type: "text" as const,
        align: "left" as const,
        dx: 6,
        dy: { expr: "datum.labelDy" },
        fontSize: 10,
      },
      encoding: {
        x: { value: "width" },
        y: { ...y, field: "labelValue" },
        text: { field: "label" },
        color: { ...color, legend: null },
        opacity: selected(1, 0.3),
        tooltip,
      },
    },
  ];
}

/** The paper's returns per stage (data: `stages`): dashed, with their points. */
function stageLayer(color: ReturnType<typeof colorScale>, x: object, y: YAxis) {
  return {
    data: { name: "stages" },
    mark: { type: "line" as const, strokeDash: PAPER_DASH, strokeWidth: 1.5, point: true },
    encoding: {
      x,
      y: { ...y, field: "value" },
      color,
      opacity: selected(0.9, 0.1),
      tooltip: [
        { field: "variant", title: "agent" },
        { field: "source", title: "reference" },
        { field: "stage", title: "stage" },
        { field: "value", title: "return", format: ".2f" },
      ],
    },
  };
}

/** The x axis of a band chart: its title, field, scale and the tooltip lines it adds. */
interface XAxis {
  title: string;
  field: string;
  scale?: { type: "symlog" };
  /** Whole numbers only (episodes, trajectories): integer ticks. */
  integer?: boolean;
  tooltip: { field: string; title: string }[];
}

/** A layer of a band chart, drawing one named dataset. */
type Layer = { data: { name: string }; [key: string]: unknown };

/** The y encoding every layer of a band chart shares. */
type YAxis = { type: "quantitative"; title: string; scale: { zero: false } };

/** The height of a band chart's plot, in pixels. */
export const BAND_HEIGHT = 340;

/**
 * Mean with its interval against `x`, one point mark per point (hover: its numbers), and the
 * `extra` layers (reference lines, the paper's stages) that take the same colours and axes.
 */
function bandSpec(
  title: { text: string; subtitle: string },
  colors: ChartColors,
  x: XAxis,
  yTitle: string,
  extra: (
    color: ReturnType<typeof colorScale>,
    ex: object,
    y: YAxis,
  ) => Layer[],
  legendOffset?: number,
): TopLevelSpec {
  const color = colorScale(colors, legendOffset);
  const ex = {
    field: x.field,
    type: "quantitative",
    title: x.title,
    ...(x.scale !== undefined && { scale: x.scale }),
    ...(x.integer === true && { axis: { tickMinStep: 1, format: "d" } }),
  } as const;
  const y: YAxis = { type: "quantitative", title: yTitle, scale: { zero: false } };
  const tooltip = [
    { field: "variant", title: "agent" },
    ...x.tooltip,
    { field: "mean", title: "mean", format: ".3f" },
    { field: "lower", title: "95% CI lower", format: ".3f" },
    { field: "upper", title: "95% CI upper", format: ".3f" },
    { field: "seeds", title: "seeds" },
  ];
  const layers: Layer[] = [
    {
      data: { name: "curves" },
      mark: { type: "area", opacity: 0.18 },
      encoding: { x: ex, y: { ...y, field: "lower" }, y2: { field: "upper" }, color },
    },
    {
      data: { name: "curves" },
      mark: { type: "line", strokeWidth: 2 },
      encoding: { x: ex, y: { ...y, field: "mean" }, color, opacity: selected(1, 0.15) },
    },
    {
      data: { name: "curves" },
      params: [{ name: "pick", select: { type: "point", fields: ["variant"] }, bind: "legend" }],
      mark: { type: "point", filled: true, size: 28 },
      encoding: { x: ex, y: { ...y, field: "mean" }, color, opacity: selected(1, 0.1), tooltip },
    },
    ...extra(color, ex, y),
  ];
  return {
    $schema: SCHEMA,
    title,
    width: 640,
    height: BAND_HEIGHT,
    datasets: Object.fromEntries(layers.map((l) => [l.data.name, []])),
    layer: layers,
  } as unknown as TopLevelSpec;
}

/**
 * The learning curves of an experiment (data: `curves` and `references` of its page), in the
 * `colors` of the variants drawn; `labels`: those of its reference lines, if it has any.
 */
export function learningCurvesSpec(
  name: string,
  colors: ChartColors,
  source: "evaluation" | "training",
  labels: readonly string[],
): TopLevelSpec {
  const references = labels.length > 0;
  return bandSpec(
    {
      text: `${name}: learning curves`,
      subtitle: "band: 95% CI across seeds" +
        (references
          ? "; rules: classic baselines (solid) and the paper (dashed), labelled at the right"
          : ""),
    },
    colors,
    {
      title: "timesteps",
      field: "x",
      tooltip: [
        { field: "iteration", title: "iteration" },
        { field: "x", title: "timesteps", format: "," } as { field: string; title: string },
      ],
    },
    source === "evaluation"
      ? "mean return per trial (evaluation)"
      : "mean return per trial (training)",
    (color, _x, y) => references ? referenceLayers(color, y) : [],
    clearing(labels),
  );
}

/**
 * The adaptation curves: return per episode of the trial (data: `curves`; `stages`, the paper's
 * returns per stage, drawn when `stages`), against the episode, or against the trajectories of
 * the task spent before it on a symmetric log axis (`axis` "trajectories", when some agent's
 * episode stands for K of them, as in `compare`). Both axes tick whole numbers only.
 */
export function adaptationSpec(
  name: string,
  colors: ChartColors,
  axis: "episode" | "trajectories" = "episode",
  stages = false,
): TopLevelSpec {
  const title = axis === "episode"
    ? "episode of the trial"
    : "trajectories of the task before the episode";
  return bandSpec(
    {
      text: `${name}: adaptation within a trial`,
      subtitle: "mean return of each episode at the final evaluation; band: 95% CI across seeds" +
        (stages ? "; dashed: the paper" : ""),
    },
    colors,
    {
      title,
      field: "x",
      integer: true,
      ...(axis === "trajectories" && { scale: { type: "symlog" } }),
      tooltip: [
        { field: "x", title: axis === "episode" ? "episode" : "trajectories before" },
        { field: "iteration", title: "at iteration" },
      ],
    },
    "mean return of the episode",
    (color, x, y) => stages ? [stageLayer(color, x, y)] : [],
  );
}

/** The shared `progress.csv` columns a run page plots, with their titles. */
export const DIAGNOSTICS: readonly (readonly [string, string])[] = [
  ["return_mean", "training return (mean ± std)"],
  ["kl", "KL"],
  ["entropy", "entropy (nats)"],
  ["explained_variance", "explained variance"],
  ["advantage_std", "advantage spread (std)"],
  ["gradient_norm", "gradient norm"],
  ["value_loss", "value loss"],
];

/**
 * A run's diagnostics over iterations, one small chart each (data: `progress`): the shared
 * ones of {@link DIAGNOSTICS}, then each column of its `progress.csv` (`columns`) beyond the
 * shared ones, its learner's own (a line search's steps, PPO's clip fraction).
 */
export function diagnosticsSpec(run: string, columns: readonly string[]): TopLevelSpec {
  const x = { field: "iteration", type: "quantitative", title: "iteration" } as const;
  const own = columns.filter((c) => !SHARED_PROGRESS_COLUMNS.includes(c) && c !== "seconds")
    .map((c) => [c, c.replaceAll("_", " ")] as const);
  const charts = [...DIAGNOSTICS, ...own].map(([field, title]) => {
    const y = { field, type: "quantitative", title, scale: { zero: false } } as const;
    const tooltip = [
      { field: "iteration", title: "iteration" },
      { field: "timesteps", title: "timesteps", format: "," },
      { field, title, format: ".4g" },
    ];
    const band = field === "return_mean"
      ? [{
        transform: [
          { calculate: "datum.return_mean - datum.return_std", as: "low" },
          { calculate: "datum.return_mean + datum.return_std", as: "high" },
        ],
        mark: { type: "area", opacity: 0.2 },
        encoding: { x, y: { ...y, field: "low" }, y2: { field: "high" } },
      }]
      : [];
    return {
      width: 220,
      height: 140,
      data: { name: "progress" },
      layer: [
        ...band,
        { mark: { type: "line" }, encoding: { x, y } },
        { mark: { type: "point", filled: true, size: 14 }, encoding: { x, y, tooltip } },
      ],
    };
  });
  return {
    $schema: SCHEMA,
    title: { text: `${run}: training diagnostics`, subtitle: "from progress.csv, per iteration" },
    datasets: { progress: [] },
    columns: 4,
    concat: charts,
  } as unknown as TopLevelSpec;
}
