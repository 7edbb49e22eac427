/**
 * The interactive charts of the served pages and the HTML report, as vega-lite specs whose data
 * are named datasets (`curves`, `references`, `progress`), so that a page updates a chart's data
 * in place as runs grow. Hovering a point shows its numbers; clicking an agent in the legend
 * (shift-click for several) dims the others.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { PALETTE } from "../report/plot.ts";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const REFERENCE_DASH = { baseline: [1, 0], paper: [6, 4] };

/** The colour scale of variants: in the given order, the {@link PALETTE} in turn. */
function colorScale(variants: readonly string[]) {
  return {
    field: "variant",
    type: "nominal",
    title: "agent (click to select)",
    scale: { domain: [...variants], range: variants.map((_, i) => PALETTE[i % PALETTE.length]!) },
  } as const;
}

/** Opacity that dims the variants not selected in the legend. */
function selected(on: number, off: number) {
  return { condition: { param: "pick", value: on, empty: true }, value: off } as const;
}

/** The horizontal reference lines: classic baselines solid, the paper's numbers dashed. */
function referenceLayer(color: ReturnType<typeof colorScale>, y: YAxis) {
  return {
    data: { name: "references" },
    mark: { type: "rule" as const, strokeWidth: 1.5 },
    encoding: {
      y: { ...y, field: "value" },
      color,
      strokeDash: {
        field: "kind",
        type: "nominal" as const,
        title: "reference",
        scale: {
          domain: ["baseline", "paper"],
          range: [REFERENCE_DASH.baseline, REFERENCE_DASH.paper],
        },
      },
      opacity: selected(0.9, 0.1),
      tooltip: [
        { field: "variant", title: "agent" },
        { field: "kind", title: "reference" },
        { field: "value", title: "value", format: ".3f" },
      ],
    },
  };
}

/** The x axis of a band chart: its title, field, scale and the tooltip lines it adds. */
interface XAxis {
  title: string;
  field: string;
  scale?: { type: "symlog" };
  tooltip: { field: string; title: string }[];
}

/** The y encoding every layer of a band chart shares. */
type YAxis = { type: "quantitative"; title: string; scale: { zero: false } };

/**
 * Mean with its interval against `x`, one point mark per point (hover: its numbers), and
 * horizontal reference lines: classic baselines solid, the paper's numbers dashed.
 */
function bandSpec(
  title: { text: string; subtitle: string },
  variants: readonly string[],
  x: XAxis,
  yTitle: string,
): TopLevelSpec {
  const color = colorScale(variants);
  const ex = {
    field: x.field,
    type: "quantitative",
    title: x.title,
    ...(x.scale !== undefined && { scale: x.scale }),
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
  return {
    $schema: SCHEMA,
    title,
    width: 640,
    height: 340,
    datasets: { curves: [], references: [] },
    layer: [
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
        encoding: {
          x: ex,
          y: { ...y, field: "mean" },
          color,
          opacity: selected(1, 0.1),
          tooltip,
        },
      },
      referenceLayer(color, y),
    ],
  };
}

/** The learning curves of an experiment (data: `curves` and `references` of its view). */
export function learningCurvesSpec(
  name: string,
  variants: readonly string[],
  source: "evaluation" | "training",
): TopLevelSpec {
  return bandSpec(
    {
      text: `${name}: learning curves`,
      subtitle: "band: 95% CI across seeds; solid rules: classic baselines; dashed: the paper",
    },
    variants,
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
  );
}

/**
 * The adaptation curves: return per episode of the trial (data: `curves`, no references), against
 * the episode, or against the trajectories of the task spent before it on a symmetric log axis
 * (`axis` "trajectories", when some agent's episode stands for K of them, as in `compare`).
 */
export function adaptationSpec(
  name: string,
  variants: readonly string[],
  axis: "episode" | "trajectories" = "episode",
): TopLevelSpec {
  const title = axis === "episode"
    ? "episode of the trial"
    : "trajectories of the task before the episode";
  return bandSpec(
    {
      text: `${name}: adaptation within a trial`,
      subtitle: "mean return of each episode at the final evaluation; band: 95% CI across seeds",
    },
    variants,
    {
      title,
      field: "x",
      ...(axis === "trajectories" && { scale: { type: "symlog" } }),
      tooltip: [
        { field: "x", title: axis === "episode" ? "episode" : "trajectories before" },
        { field: "iteration", title: "at iteration" },
      ],
    },
    "mean return of the episode",
  );
}

/** The diagnostics a run page plots, by `progress.csv` column, with their titles. */
export const DIAGNOSTICS = [
  ["return_mean", "training return (mean ± std)"],
  ["kl", "KL"],
  ["entropy", "entropy (nats)"],
  ["explained_variance", "explained variance"],
  ["advantage_std", "advantage spread (std)"],
  ["step_fraction", "step fraction"],
  ["gradient_norm", "gradient norm"],
  ["value_loss", "value loss"],
] as const;

/** A run's diagnostics over iterations, one small chart each (data: `progress`). */
export function diagnosticsSpec(run: string): TopLevelSpec {
  const x = { field: "iteration", type: "quantitative", title: "iteration" } as const;
  const charts = DIAGNOSTICS.map(([field, title]) => {
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
