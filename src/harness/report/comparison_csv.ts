/**
 * `comparison.csv`: a comparison as tidy rows (one per setting × agent × statistic, with its
 * interval where it has one), and the final means and times to level read back from such a file,
 * for summaries built from a written comparison. No timestamps or hostnames: the same comparison
 * gives the same bytes.
 *
 * @module
 */
import type { ExperimentComparison, Setting, SettingRow } from "../../analysis/comparison_types.ts";
import type { Interval } from "../../analysis/bootstrap.ts";
import type { Spread, TimeToResult } from "../../analysis/time_to_result.ts";
import { formatCsv, parseCsv } from "../run/csv.ts";

/** Columns of `comparison.csv`. */
export const COMPARISON_COLUMNS = [
  "experiment",
  "setting",
  "agent",
  "statistic",
  "versus",
  "value",
  "lower",
  "upper",
] as const;

function rowsOf(c: ExperimentComparison, setting: Setting, row: SettingRow): string[][] {
  const out: string[][] = [];
  const add = (statistic: string, value: number, bounds?: Interval, versus = "") =>
    out.push([
      c.name,
      setting.label,
      row.agent,
      statistic,
      versus,
      String(value),
      bounds === undefined ? "" : String(bounds.lower),
      bounds === undefined ? "" : String(bounds.upper),
    ]);
  const s = row.summary;
  add("seeds", s.seeds.length);
  if (s.finalIteration !== undefined) add("final_iteration", s.finalIteration);
  if (s.final !== undefined) add("final_mean", s.final.point, s.final);
  if (s.std !== undefined) add("final_std", s.std);
  if (s.iqm !== undefined) add("final_iqm", s.iqm.point, s.iqm);
  if (s.best !== undefined) {
    add("best_mean", s.best.interval.point, s.best.interval);
    add("best_iteration", s.best.iteration);
  }
  const v = row.versus;
  if (v !== undefined) {
    add("paired_seeds", v.seeds, undefined, v.baseline);
    add("difference", v.difference.point, v.difference, v.baseline);
    add("probability_of_improvement", v.improvement.point, v.improvement, v.baseline);
  }
  if (row.paper !== undefined) add("paper", row.paper);
  const t = row.timeToLevel;
  if (t !== undefined) {
    add("level", t.level);
    add("seeds_reaching_level", t.reached);
    for (const [name, spread] of [["timesteps", t.timesteps], ["seconds", t.seconds]] as const) {
      if (spread === undefined) continue;
      add(`${name}_to_level`, spread.mean, {
        point: spread.mean,
        lower: spread.min,
        upper: spread.max,
      });
      if (spread.std !== undefined) add(`${name}_to_level_std`, spread.std);
    }
  }
  const a = row.adaptation;
  if (a !== undefined) {
    for (const p of a.points) add(`episode_${p.episode}_reward`, p.reward.point, p.reward);
    add("adaptation_gain", a.gain.point, a.gain);
  }
  return out;
}

/** The text of `comparison.csv`: one row per setting × agent × statistic. */
export function comparisonCsv(comparisons: readonly ExperimentComparison[]): string {
  const rows = comparisons.flatMap((c) =>
    c.settings.flatMap((setting) => setting.rows.flatMap((row) => rowsOf(c, setting, row)))
  );
  return formatCsv(COMPARISON_COLUMNS, rows);
}

/** An agent's final mean and time to level in one setting, as read back from `comparison.csv`. */
export interface ComparisonCsvRow {
  /** The experiment's name. */
  experiment: string;
  /** The setting's label. */
  setting: string;
  /** The agent's name. */
  agent: string;
  /** The last evaluation iteration (0 for a classic baseline, which is not trained). */
  finalIteration?: number;
  /** Mean at the final evaluation, with its interval. */
  final?: Interval;
  /** Time to level, for a trained agent with a level to reach. */
  timeToLevel?: TimeToResult;
}

/**
 * The final means and times to level of `comparison.csv` text, one entry per setting × agent in
 * file order: the inverse of {@link comparisonCsv} for those statistics, so the numbers are the
 * ones the comparison computed.
 */
export function readComparisonCsv(text: string): ComparisonCsvRow[] {
  const table = parseCsv(text);
  if (table.columns.join() !== COMPARISON_COLUMNS.join()) {
    throw new Error(
      `comparison.csv has columns ${table.columns.join(",")}; expected ${COMPARISON_COLUMNS}`,
    );
  }
  const byKey = new Map<string, Map<string, Interval>>();
  for (const [experiment, setting, agent, statistic, , value, lower, upper] of table.rows) {
    const key = JSON.stringify([experiment, setting, agent]);
    const stats = byKey.get(key) ?? new Map<string, Interval>();
    byKey.set(key, stats);
    const point = Number(value);
    stats.set(statistic!, {
      point,
      lower: lower === "" ? point : Number(lower),
      upper: upper === "" ? point : Number(upper),
    });
  }
  return [...byKey].map(([key, stats]) => {
    const [experiment, setting, agent] = JSON.parse(key) as [string, string, string];
    const at = (statistic: string) => stats.get(statistic)?.point;
    const spread = (name: string): Spread | undefined => {
      const s = stats.get(`${name}_to_level`);
      const std = at(`${name}_to_level_std`);
      return s === undefined
        ? undefined
        : { mean: s.point, ...(std !== undefined && { std }), min: s.lower, max: s.upper };
    };
    const level = at("level");
    const timesteps = spread("timesteps");
    const seconds = spread("seconds");
    const finalIteration = at("final_iteration");
    const final = stats.get("final_mean");
    return {
      experiment,
      setting,
      agent,
      ...(finalIteration !== undefined && { finalIteration }),
      ...(final !== undefined && { final }),
      ...(level !== undefined && {
        timeToLevel: {
          level,
          seeds: at("seeds") ?? 0,
          reached: at("seeds_reaching_level") ?? 0,
          ...(timesteps !== undefined && { timesteps }),
          ...(seconds !== undefined && { seconds }),
        },
      }),
    };
  });
}
