/**
 * The numbers of a comparison table, computed from results already read: per setting (an
 * experiment at one ablation point) and agent, the mean total reward per trial at the final
 * evaluation with a nested bootstrap interval across seeds and evaluation tasks, the IQM of the
 * seeds, the best evaluation point, the paired difference to the baseline and the probability
 * of improvement over it; learning curves on timesteps; one table per ablation axis; and the
 * experiment's expectations checked. Pure: the same results and options give the same numbers.
 *
 * Definitions (the markdown report repeats them):
 * - A run's score on an evaluation task is the total reward of one trial. Seeds are the runs
 *   of one agent at one ablation point; all agents share the evaluation tasks.
 * - *final*: the mean over seeds and tasks at each run's last evaluation, with a 95%
 *   percentile interval of a nested bootstrap (resample seeds, then tasks within each seed).
 * - *IQM*: the interquartile mean of the seeds' mean scores, with five seeds or more.
 * - *best*: the evaluation point (common to all seeds) with the highest mean. Optimistic: the
 *   point is chosen on the data it is reported on, and its interval ignores that choice.
 * - *difference*: mean(agent) − mean(baseline) over the seeds both have, paired: seeds matched
 *   by seed number and both agents resampled with the same seed and task indices.
 * - *probability of improvement*: rliable's P(agent > baseline) at the final evaluation, with
 *   evaluation tasks as rliable's tasks and seeds as its runs.
 * - *bold*: in a setting, the highest final mean when its interval lies entirely above every
 *   other agent's interval (lower bound greater than each other upper bound).
 * - *time to level*: per trained agent, the timesteps and training seconds until a seed's
 *   held-out mean first reaches a level (the `level` option, else {@link PAPER_LEVEL_FRACTION} of
 *   the agent's paper number), as mean ± sample std over the seeds that reach it.
 * - *expectations*: `better_than` holds when the one-sided lower bound of the paired difference
 *   at the entry's confidence is above 0; `at_least` when the final mean is at least the value;
 *   `not_below` when the upper end of the final mean's two-sided interval at the entry's
 *   confidence is at least the value (the interval contains or exceeds it). With `episode`, the
 *   same about the mean reward in that episode of the trial (seeds resampled), and
 *   `better_than_episode` against another episode of the same agent.
 *
 * @module
 */
import type { ExperimentConfig } from "../experiment/schema.ts";
import { canonicalJson } from "../canonical.ts";
import { timeToResult } from "./time_to_result.ts";
import {
  type AxisTable,
  type ComparisonOptions,
  type ExperimentComparison,
  type ExperimentResults,
  PAPER_LEVEL_FRACTION,
  type Setting,
  type SettingRow,
  valueText,
  variantName,
  type VariantResults,
} from "./comparison_types.ts";
import { ExperimentStatistics } from "./experiment_statistics.ts";
import { expandRuns, type Run } from "../experiment/expand.ts";
import { type AgentConfig, isClassicAgent } from "../experiment/schema.ts";
import { findLearner } from "../learners/registry.ts";
import { finetuned } from "../experiment/support.ts";
import { checkExpectations } from "./expectations.ts";

/**
 * How many trajectories of a task one episode of a variant's evaluation trial stands for (K for
 * MAML's stages and fine-tuned agents; 1 for classic baselines).
 */
function episodeTrajectories(
  runs: readonly Run[],
  v: VariantResults,
  experiment: Pick<ExperimentConfig, "task" | "evaluation">,
): number {
  const run = runs.find((r) => r.id.startsWith(`${variantName(v)}/seed-`));
  return run === undefined ? 1 : agentEpisodeTrajectories(run.agentConfig, experiment);
}

/**
 * How many trajectories of a task one episode of an agent's evaluation trial stands for in
 * `experiment`: K of `evaluation.finetune` for an agent it fine-tunes, its learner's
 * `episodeTrajectories` (K for MAML's stages), 1 for every other agent.
 */
export function agentEpisodeTrajectories(
  agent: AgentConfig,
  experiment: Pick<ExperimentConfig, "task" | "evaluation">,
): number {
  if (isClassicAgent(agent)) return 1;
  const { finetune } = experiment.evaluation;
  if (finetune !== undefined && finetuned(agent, experiment.task)) return finetune.trajectories;
  return findLearner(agent.kind)?.episodeTrajectories?.(agent) ?? 1;
}

/** Every combination of one variant per agent (agents in name order, the first varying slowest). */
function settingsOf(results: ExperimentResults): { label: string; variants: VariantResults[] }[] {
  const agents = Object.keys(results.config.agents).sort();
  const byAgent = agents.map((a) => results.variants.filter((v) => v.agent === a))
    .filter((list) => list.length > 0);
  const ablated = byAgent.filter((list) => list.some((v) => v.label !== "")).length;
  let combos: VariantResults[][] = [[]];
  for (const list of byAgent) combos = combos.flatMap((c) => list.map((v) => [...c, v]));
  return combos.map((variants) => ({
    label: variants.filter((v) => v.label !== "")
      .map((v) => ablated > 1 ? `${v.agent}:${v.label}` : v.label).join(" "),
    variants,
  }));
}

/** Marks the row whose final interval lies entirely above every other row's. */
function markBest(rows: SettingRow[]): void {
  const scored = rows.filter((r) => r.summary.final !== undefined);
  if (scored.length < 2) return;
  const top = scored.reduce((a, b) => b.summary.final!.point > a.summary.final!.point ? b : a);
  const separated = scored.every((r) =>
    r === top || top.summary.final!.lower > r.summary.final!.upper
  );
  top.bold = separated;
}

function buildSetting(
  setting: { label: string; variants: VariantResults[] },
  stats: ExperimentStatistics,
  config: ExperimentConfig,
  runs: readonly Run[],
  baseline: string | undefined,
  level: number | undefined,
): Setting {
  const reference = setting.variants.find((v) => v.agent === baseline);
  const rows = setting.variants.map((v): SettingRow => {
    const versus = reference === undefined || reference === v
      ? undefined
      : stats.versus(v, reference);
    const paper = config.paper?.values[v.agent];
    const curve = stats.curve(v);
    const adaptation = stats.adaptation(v);
    const trajectories = adaptation === undefined ? 1 : episodeTrajectories(runs, v, config);
    const target = level ?? (paper === undefined ? undefined : PAPER_LEVEL_FRACTION * paper);
    const timeToLevel = v.classic || v.runs.length === 0 || target === undefined
      ? undefined
      : timeToResult(v.runs.map((r) => r.evaluations), target);
    return {
      agent: v.agent,
      variant: variantName(v),
      classic: v.classic,
      summary: stats.summary(v),
      ...(versus !== undefined && { versus }),
      ...(paper !== undefined && { paper }),
      bold: false,
      ...(curve !== undefined && { curve }),
      ...(timeToLevel !== undefined && { timeToLevel }),
      ...(adaptation !== undefined && { adaptation }),
      ...(trajectories !== 1 && { episodeTrajectories: trajectories }),
    };
  });
  markBest(rows);
  return { label: setting.label, rows };
}

function buildAxes(
  results: ExperimentResults,
  stats: ExperimentStatistics,
  baseline: string | undefined,
): AxisTable[] {
  const { ablations } = results.config;
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
  return Object.keys(ablations).sort().map((path) => {
    const agent = path.slice(0, path.indexOf("."));
    const variants = results.variants.filter((v) => v.agent === agent);
    const others = Object.keys(ablations).sort().filter((p) =>
      p !== path && p.startsWith(`${agent}.`)
    );
    const columnOf = (v: VariantResults) =>
      others.map((p) => `${p}=${valueText(v.point[p])}`).join("+");
    const columns = [...new Set(variants.map(columnOf))];
    const rows = (ablations[path] ?? []).map((value) => ({
      value,
      cells: columns.map((column) => {
        const v = variants.find((c) => same(c.point[path], value) && columnOf(c) === column);
        return v === undefined ? undefined : stats.summary(v);
      }),
    }));
    const reference = results.variants.filter((v) => v.agent === baseline);
    const only = reference.length === 1 && baseline !== agent ? reference[0] : undefined;
    return {
      agent,
      path,
      columns,
      rows,
      ...(only !== undefined && {
        baseline: { variant: variantName(only), summary: stats.summary(only) },
      }),
    };
  });
}

/**
 * The comparison of one experiment's results: settings, ablation axes and expectations. Every
 * bootstrap draws from `Rng.derive(seed, "compare/<statistic>/<experiment>/<variants>")`, so a
 * number does not depend on which other numbers were computed.
 */
export function compareExperiment(
  results: ExperimentResults,
  options: ComparisonOptions,
): ExperimentComparison {
  const { config } = results;
  const baseline = options.baseline ?? config.baseline;
  if (baseline !== undefined && !Object.hasOwn(config.agents, baseline)) {
    throw new Error(`experiment "${results.name}" has no agent "${baseline}" to compare with`);
  }
  const curveSource = config.evaluation.every > 0 ? "evaluation" : "training";
  const stats = new ExperimentStatistics(results.name, options, curveSource);
  const combos = settingsOf(results);
  const runs = expandRuns({ config });
  return {
    name: results.name,
    config,
    ...(baseline !== undefined && { baseline }),
    curveSource,
    settings: combos.map((s) => buildSetting(s, stats, config, runs, baseline, options.level)),
    axes: buildAxes(results, stats, baseline),
    expectations: checkExpectations(results, combos, stats),
    missing: results.missing,
    ...(results.commits !== undefined && { commits: results.commits }),
  };
}
