/**
 * The text of `comparison.md` (readable tables, with the definitions of every statistic, links to
 * the plots, and one line per checked expectation), and the number formats the other reports
 * share. No timestamps or hostnames: the same comparison gives the same bytes. `comparison.csv`
 * is `comparison_csv.ts`.
 *
 * @module
 */
import {
  CONFIDENCE,
  type ExpectationResult,
  type ExperimentComparison,
  IMPROVEMENT_RESAMPLES,
  IQM_MIN_SEEDS,
  PAPER_LEVEL_FRACTION,
  type Setting,
  type SettingRow,
  valueText,
  type VariantSummary,
} from "../../analysis/comparison_types.ts";
import type { Interval } from "../../analysis/bootstrap.ts";
import type { Spread, TimeToResult } from "../../analysis/time_to_result.ts";
import { adaptationSection } from "./adaptation_report.ts";
import { ablationPlotFile, curvePlotFile } from "./plot_files.ts";

/** How the numbers were made, for the report's preamble. */
export interface ReportSettings {
  /** Bootstrap resamples. */
  resamples: number;
  /** Seed of the bootstraps. */
  seed: number;
  /** Names of the plot files written beside the report, to link. */
  plots: ReadonlySet<string>;
}

export function formatNumber(x: number): string {
  const text = x.toFixed(3);
  return /^-0\.0+$/.test(text) ? text.slice(1) : text;
}

function signed(x: number): string {
  const text = formatNumber(x);
  return text.startsWith("-") || /^0\.0+$/.test(text) ? text : `+${text}`;
}

/** An interval as `point [lower, upper]`, the point formatted by `point` (three decimals). */
export function formatInterval(
  i: Interval,
  point: (x: number) => string = formatNumber,
): string {
  return `${point(i.point)} [${formatNumber(i.lower)}, ${formatNumber(i.upper)}]`;
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}

function table(header: readonly string[], rows: readonly string[][], right: number): string {
  const align = header.map((_, i) => i < right ? "---" : "---:");
  return [header, align, ...rows].map((r) => `| ${r.map(cell).join(" | ")} |`).join("\n");
}

function spreadText(s: Spread, digits: number): string {
  const text = (x: number) => x.toFixed(digits);
  return s.std === undefined ? text(s.mean) : `${text(s.mean)} ± ${text(s.std)}`;
}

/**
 * Time to level in words: `≥ level: steps, seconds (reached/seeds)`, each as mean ± std over
 * the seeds that reached the level; `–` without a level.
 */
export function formatTimeToLevel(t: TimeToResult | undefined): string {
  if (t === undefined) return "–";
  const head = `≥ ${formatNumber(t.level)}: `;
  const count = `(${t.reached}/${t.seeds})`;
  if (t.timesteps === undefined || t.seconds === undefined) return `${head}not reached ${count}`;
  return `${head}${spreadText(t.timesteps, 0)} steps, ${spreadText(t.seconds, 1)} s ${count}`;
}

function finalCell(summary: VariantSummary, bold: boolean): string {
  const f = summary.final;
  if (f === undefined) return "–";
  return formatInterval(f, (x) => bold ? `**${formatNumber(x)}**` : formatNumber(x));
}

/** One expectation's outcome in words. */
export function formatExpectation(result: ExpectationResult): string {
  const level = `${Math.round(result.confidence * 1000) / 10}%`;
  const verdict = result.passed ? "PASS" : "FAIL";
  if (result.kind === "better_than") {
    const claim = `${result.variant} better than ${result.other}`;
    if (result.unavailable !== undefined) return `${verdict} ${claim}: ${result.unavailable}`;
    const bound = result.bound!;
    return `${verdict} ${claim}: difference ${signed(result.value!)}, one-sided ${level} lower ` +
      `bound ${formatNumber(bound)} ${bound > 0 ? ">" : "≤"} 0 (${result.seeds} paired seeds)`;
  }
  if (result.kind === "not_below") {
    const claim = `${result.variant} not below ${result.threshold}`;
    if (result.unavailable !== undefined) return `${verdict} ${claim}: ${result.unavailable}`;
    return `${verdict} ${claim}: mean ${formatNumber(result.value!)}, upper end of its ` +
      `two-sided ${level} interval ${formatNumber(result.bound!)} ` +
      `${result.passed ? "≥" : "<"} ${result.threshold} (${result.seeds} seeds)`;
  }
  const claim = `${result.variant} at least ${result.threshold}`;
  if (result.unavailable !== undefined) return `${verdict} ${claim}: ${result.unavailable}`;
  return `${verdict} ${claim}: mean ${formatNumber(result.value!)} ` +
    `${result.passed ? "≥" : "<"} ${result.threshold} (one-sided ${level} lower bound ` +
    `${formatNumber(result.bound!)}, ${result.seeds} seeds)`;
}

function preamble(settings: ReportSettings): string {
  const pct = `${CONFIDENCE * 100}%`;
  const improvement = Math.min(IMPROVEMENT_RESAMPLES, settings.resamples);
  return `# Comparison

Every number is a mean total reward per trial on the evaluation tasks (shared by all agents).
Intervals are ${pct} percentile bootstrap intervals (${settings.resamples} resamples, seed ${settings.seed}).

- **final**: the mean over seeds and evaluation tasks at each run's last evaluation; its interval
  comes from a nested bootstrap (seeds resampled with replacement, then evaluation tasks within
  each resampled seed).
- **std**: the sample standard deviation of the seeds' final means.
- **IQM**: the interquartile mean of the seeds' final means (with ${IQM_MIN_SEEDS} seeds or more), same bootstrap.
- **best**: the evaluation point with the highest mean (its iteration after \`@\`). Optimistic:
  the point is picked on the data it is reported on, and its interval ignores the picking.
- **Δ vs B**: mean(agent) − mean(B) over the seeds both have, paired: seeds matched by seed
  number, and both agents resampled with the same seed and task indices.
- **P(> B)**: the probability of improvement (rliable): per evaluation task, the fraction of
  (agent seed, B seed) pairs where the agent's return is higher (ties count ½), averaged over
  tasks; interval from ${improvement} resamples of the seeds within each task.
- **bold**: the highest final mean of a setting, when its interval lies entirely above every
  other agent's interval in that setting (lower bound above each other upper bound).
- **paper**: the paper's number for the agent.
- **time to level**: for a trained agent, the training timesteps and wall-clock seconds (the
  \`seconds\` column of progress.csv: training only, evaluations excluded) until a seed's mean on
  the evaluation tasks first reaches the level (\`--level\`, else ${
    PAPER_LEVEL_FRACTION * 100
  }% of the agent's
  paper number), as mean ± sample std over the seeds that reach it (reached/seeds in brackets).
  Only evaluation points count, so it is as coarse as \`evaluation.every\`.
- **expectations**: \`better_than\` passes when the one-sided lower confidence bound of the
  paired difference (the 1 − confidence quantile of its bootstrap distribution) is above 0;
  \`at_least\` passes when the final mean is at least the value (its one-sided lower bound is
  shown for information); \`not_below\` passes when the upper end of the final mean's two-sided
  interval at the entry's confidence (the draws' (1 + confidence) / 2 quantile) is at least the
  value: the interval contains or exceeds it. An entry with \`episode\` (\`agent episode k\`) is
  about the mean reward in episode k of the trial at the final evaluation instead of the trial's
  return, seeds resampled; \`better_than_episode\` sets it against another episode of the same
  agent, paired by seed.
`;
}

function allSettings(comparisons: readonly ExperimentComparison[]) {
  return comparisons.flatMap((c) => c.settings.map((setting) => ({ c, setting })));
}

function summaryTable(comparisons: readonly ExperimentComparison[]): string {
  const entries = allSettings(comparisons);
  const agents = [...new Set(entries.flatMap((e) => e.setting.rows.map((r) => r.agent)))];
  const rows = entries.map(({ c, setting }) => [
    c.name,
    setting.label,
    ...agents.map((agent) => {
      const row = setting.rows.find((r) => r.agent === agent);
      return row === undefined ? "" : finalCell(row.summary, row.bold);
    }),
  ]);
  return `## Summary\n\nFinal mean [${CONFIDENCE * 100}% CI] per setting.\n\n` +
    table(["experiment", "setting", ...agents], rows, 2);
}

/** The columns of an experiment's detail table: header and how a row fills it. */
function detailColumns(c: ExperimentComparison) {
  const rows = c.settings.flatMap((s) => s.rows);
  const b = c.baseline;
  const columns: [string, (row: SettingRow, setting: Setting) => string][] = [];
  if (c.settings.some((s) => s.label !== "")) columns.push(["setting", (_, s) => s.label]);
  columns.push(
    ["agent", (r) => r.agent],
    ["seeds", (r) => String(r.summary.seeds.length)],
    [`final [${CONFIDENCE * 100}% CI]`, (r) => finalCell(r.summary, r.bold)],
    ["std", (r) => r.summary.std === undefined ? "–" : formatNumber(r.summary.std)],
  );
  if (rows.some((r) => r.summary.iqm !== undefined)) {
    columns.push(["IQM", (r) => r.summary.iqm === undefined ? "–" : formatInterval(r.summary.iqm)]);
  }
  if (rows.some((r) => r.summary.best !== undefined)) {
    columns.push(["best @ iteration", (r) => {
      const best = r.summary.best;
      return best === undefined ? "–" : `${formatInterval(best.interval)} @ ${best.iteration}`;
    }]);
  }
  if (b !== undefined) {
    const versus = (r: SettingRow, text: (v: NonNullable<SettingRow["versus"]>) => string) =>
      r.agent === b ? "baseline" : r.versus === undefined ? "–" : text(r.versus);
    columns.push(
      [`Δ vs ${b}`, (r) => versus(r, (v) => formatInterval(v.difference, signed))],
      [`P(> ${b})`, (r) => versus(r, (v) => formatInterval(v.improvement))],
    );
  }
  if (rows.some((r) => r.paper !== undefined)) {
    columns.push(["paper", (r) => r.paper === undefined ? "" : String(r.paper)]);
  }
  if (rows.some((r) => r.timeToLevel !== undefined)) {
    columns.push(["time to level", (r) => formatTimeToLevel(r.timeToLevel)]);
  }
  return columns;
}

function experimentSection(c: ExperimentComparison, settings: ReportSettings): string {
  const parts: string[] = [`## ${c.name}`];
  const facts = [
    ...(c.config.paper === undefined
      ? []
      : [`Paper: ${c.config.paper.table}, row ${c.config.paper.row}.`]),
    c.baseline === undefined ? "No baseline." : `Baseline: ${c.baseline}.`,
    `${c.config.evaluation.tasks} evaluation tasks.`,
  ];
  parts.push(facts.join(" "));
  const mixed = mixedVersions(c);
  if (mixed !== undefined) parts.push(`**Warning:** ${mixed}.`);
  const columns = detailColumns(c);
  const rightFrom = columns.findIndex(([name]) => name === "seeds");
  const rows = c.settings.flatMap((s) => s.rows.map((r) => columns.map(([, get]) => get(r, s))));
  parts.push(table(columns.map(([name]) => name), rows, rightFrom));
  const curves = c.settings
    .map((s) => ({ s, file: curvePlotFile(c.name, s.label) }))
    .filter(({ file }) => settings.plots.has(file));
  if (curves.length > 0) {
    const what = c.curveSource === "evaluation"
      ? "evaluation return"
      : "training return (no intermediate evaluations)";
    parts.push(
      `Learning curves (${what} vs timesteps):\n\n` +
        curves.map(({ s, file }) => `![${s.label || c.name}](${file})`).join("\n"),
    );
  }
  parts.push(...c.settings.flatMap((s) => adaptationSection(c, s, settings.plots)));
  for (const axis of c.axes) {
    const lines = [`### Ablation of ${axis.path}`];
    const base = axis.baseline;
    lines.push(
      `Final mean [${CONFIDENCE * 100}% CI] (seeds) of ${axis.agent}` +
        (axis.columns.length > 1 || axis.columns[0] !== ""
          ? "; columns fix its other ablated fields"
          : "") +
        (base === undefined || base.summary.final === undefined
          ? "."
          : `. Baseline ${base.variant}: ${
            formatInterval(base.summary.final)
          } (${base.summary.seeds.length}).`),
    );
    const header = [axis.path, ...axis.columns.map((col) => col === "" ? "final" : col)];
    const body = axis.rows.map((row) => [
      valueText(row.value),
      ...row.cells.map((s) =>
        s?.final === undefined ? "–" : `${formatInterval(s.final)} (${s.seeds.length})`
      ),
    ]);
    lines.push(table(header, body, 1));
    const file = ablationPlotFile(c.name, axis.path);
    if (settings.plots.has(file)) lines.push(`![${axis.path}](${file})`);
    parts.push(lines.join("\n\n"));
  }
  if (c.expectations.length > 0) {
    parts.push(
      `### Expectations\n\n${c.expectations.map((e) => `- ${formatExpectation(e)}`).join("\n")}`,
    );
  }
  if (c.missing.length > 0) {
    parts.push(`Runs without finished results: ${c.missing.join(", ")}.`);
  }
  return parts.join("\n\n");
}

/**
 * A warning when the results of `c` were made by more than one version of the code (their
 * numbers may differ for that reason alone), else undefined.
 */
export function mixedVersions(c: Pick<ExperimentComparison, "commits">): string | undefined {
  const commits = c.commits ?? [];
  if (commits.length < 2) return undefined;
  return `these results were made by ${commits.length} versions of the code ` +
    `(${commits.join(", ")}); differences between runs may come from the code`;
}

/** The summary table (with several settings) and each experiment's section. */
function tableParts(
  comparisons: readonly ExperimentComparison[],
  settings: ReportSettings,
): string[] {
  const parts = [];
  if (allSettings(comparisons).length > 1) parts.push(summaryTable(comparisons));
  parts.push(...comparisons.map((c) => experimentSection(c, settings)));
  return parts;
}

function joinParts(parts: readonly string[]): string {
  return `${parts.map((p) => p.trim()).join("\n\n")}\n`;
}

/** The text of `comparison.md`: the definitions of every statistic, then the tables. */
export function comparisonMarkdown(
  comparisons: readonly ExperimentComparison[],
  settings: ReportSettings,
): string {
  return joinParts([preamble(settings), ...tableParts(comparisons, settings)]);
}

/**
 * The line that stands for `comparison.md`'s definitions of the statistics on the terminal: what
 * the numbers are, and where each column is defined.
 */
export function statisticsPointer(settings: Pick<ReportSettings, "resamples" | "seed">): string {
  return `Every number is a mean total reward per trial on the evaluation tasks, with ` +
    `${CONFIDENCE * 100}% bootstrap intervals (${settings.resamples} resamples, seed ` +
    `${settings.seed}); what each column means: docs/comparing.md, or the top of comparison.md.`;
}

/**
 * `comparison.md` as the terminal shows it: the tables first, and one line pointing to the
 * definitions of the statistics instead of them.
 */
export function comparisonConsole(
  comparisons: readonly ExperimentComparison[],
  settings: ReportSettings,
): string {
  return joinParts([...tableParts(comparisons, settings), statisticsPointer(settings)]);
}
