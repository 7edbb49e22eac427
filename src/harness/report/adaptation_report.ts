/**
 * The adaptation curve in a comparison: per setting, each agent's mean reward in every episode
 * of the trial at its final evaluation (intervals over seeds), as a markdown table and a plot.
 * A learner that adapts earns more in later episodes than in the first; a flat curve after the
 * first episode means it does not learn across the episodes of a trial.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import {
  CONFIDENCE,
  type ExperimentComparison,
  type Setting,
} from "../../analysis/comparison_types.ts";
import type { Interval } from "../../analysis/bootstrap.ts";
import { trajectoriesBefore } from "../../analysis/adaptation.ts";
import { agentColors } from "./plot.ts";
import { adaptationPlotFile } from "./plot_files.ts";

/** Episodes a table shows at most; longer trials show a spread of them (every one is plotted). */
const TABLE_EPISODES = 12;

/**
 * The episodes a table lists for a trial of `n`: all when few, else 1, 2, 3, the ends of
 * roughly geometric steps, and n.
 */
export function tableEpisodes(n: number): number[] {
  if (n <= TABLE_EPISODES) return Array.from({ length: n }, (_, i) => i + 1);
  const picked = new Set([1, 2, 3, n]);
  const steps = TABLE_EPISODES - picked.size;
  const ratio = (n / 3) ** (1 / (steps + 1));
  for (let k = 1; k <= steps; k++) {
    picked.add(Math.min(n - 1, Math.max(4, Math.round(3 * ratio ** k))));
  }
  for (let e = 4; picked.size < TABLE_EPISODES; e++) picked.add(e);
  return [...picked].sort((a, b) => a - b);
}

function cell(i: Interval): string {
  return `${i.point.toFixed(3)} [${i.lower.toFixed(3)}, ${i.upper.toFixed(3)}]`;
}

/**
 * The markdown section of a setting's adaptation curves (empty when no agent recorded one):
 * a table of episodes × agents, the gain of the last episode over the first, and the plot
 * when `plots` has its file.
 */
export function adaptationSection(
  c: ExperimentComparison,
  setting: Setting,
  plots: ReadonlySet<string>,
): string[] {
  const rows = setting.rows.filter((r) => r.adaptation !== undefined);
  if (rows.length === 0) return [];
  const n = rows[0]!.adaptation!.points.length;
  const header = ["episode", ...rows.map((r) => r.agent)];
  const body = tableEpisodes(n).map((e) => [
    String(e),
    ...rows.map((r) => cell(r.adaptation!.points[e - 1]!.reward)),
  ]);
  body.push([`last − first`, ...rows.map((r) => cell(r.adaptation!.gain))]);
  const adapted = rows.some((r) => r.episodeTrajectories !== undefined);
  if (adapted) {
    body.unshift([
      "trajectories per episode",
      ...rows.map((r) => String(r.episodeTrajectories ?? 1)),
    ]);
  }
  const table = [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...body.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
  const title = `### Adaptation${setting.label === "" ? "" : ` (${setting.label})`}`;
  const text = `Mean reward in each episode of the trial at the final evaluation, ` +
    `[${CONFIDENCE * 100}% CI] over seeds. An agent that learns across episodes earns more ` +
    `later in the trial; flat after episode 1 means it does not.` +
    (adapted
      ? ` An agent evaluated by adaptation steps spends K trajectories of the task per ` +
        `"episode" (its mean return after k − 1 steps), so the plot sets every agent on one ` +
        `axis: the trajectories of the task spent before the episode, (k − 1) × K.`
      : "");
  const file = adaptationPlotFile(c.name, setting.label);
  const plot = plots.has(file) ? [`![adaptation ${setting.label || c.name}](${file})`] : [];
  return [[title, text, table, ...plot].join("\n\n")];
}

/**
 * The plot of a setting's adaptation curves: mean reward per episode against the episode, with
 * its band, one line per agent that recorded one (classic baselines included); when an agent's
 * episode stands for K trajectories (MAML's stages), against the trajectories of the task spent
 * before it, on a symmetric log axis. Undefined when no agent recorded a curve.
 */
export function adaptationSpec(
  c: ExperimentComparison,
  setting: Setting,
): TopLevelSpec | undefined {
  const adapted = setting.rows.some((r) => r.episodeTrajectories !== undefined);
  const values = setting.rows.flatMap((r) =>
    (r.adaptation?.points ?? []).map((p) => ({
      agent: r.agent,
      x: adapted ? trajectoriesBefore(p.episode, r.episodeTrajectories ?? 1) : p.episode,
      mean: p.reward.point,
      lower: p.reward.lower,
      upper: p.reward.upper,
    }))
  );
  if (values.length === 0) return undefined;
  const colors = agentColors(Object.keys(c.config.agents));
  const color = {
    field: "agent",
    type: "nominal",
    title: "agent",
    scale: { domain: [...colors.keys()], range: [...colors.values()] },
  } as const;
  const x = adapted
    ? {
      field: "x",
      type: "quantitative",
      title: "trajectories of the task before the episode",
      scale: { type: "symlog" },
    } as const
    : { field: "x", type: "quantitative", title: "episode of the trial" } as const;
  const y = { type: "quantitative", title: "mean reward in the episode", scale: { zero: false } };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `${setting.label === "" ? c.name : `${c.name}: ${setting.label}`}: adaptation`,
      subtitle: `final evaluation; band: ${CONFIDENCE * 100}% CI across seeds`,
    },
    width: 480,
    height: 300,
    data: { values },
    layer: [
      {
        mark: { type: "area", opacity: 0.2 },
        encoding: { x, y: { ...y, field: "lower" }, y2: { field: "upper" }, color },
      },
      {
        mark: { type: "line", strokeWidth: 2, point: true },
        encoding: { x, y: { ...y, field: "mean" }, color },
      },
    ],
  } as TopLevelSpec;
}
