/**
 * The comparison table as a reader takes it: every `comparison.csv` statistic under a readable
 * header (its CSV name and meaning on hover), the columns read first before the rest, which the
 * page shows on demand. Read first: the seeds, the final mean with its interval, the paper's
 * number, and the difference and probability of improvement against the baseline; where agents
 * are evaluated by adaptation stages (MAML's), whose trial total mixes the stages, each stage's
 * mean instead, as the README's MAML table shows it.
 *
 * @module
 */
import { CONFIDENCE } from "../../analysis/comparison_types.ts";

/** One column of the comparison table. */
export interface TableColumn {
  /** The cell key: the statistic, with ` vs B` when it is against an agent B. */
  key: string;
  /** The statistic's CSV name. */
  statistic: string;
  /** The agent it is against, or "". */
  versus: string;
  /** The header. */
  label: string;
  /** Hover text: the CSV name and what it means. */
  title: string;
  /** Shown without asking. */
  primary: boolean;
}

const CI = `[${CONFIDENCE * 100}% CI]`;

/** Header and meaning of each statistic, in the order the table lists them; B is the baseline. */
const STATISTICS: Record<string, readonly [string, string]> = {
  seeds: ["seeds", "seeds compared"],
  final_mean: [
    `final ${CI}`,
    "mean total reward per trial over seeds and evaluation tasks at each run's last evaluation",
  ],
  paper: ["paper", "the paper's number for the agent"],
  difference: [`Δ vs B ${CI}`, "mean(agent) − mean(B) over the seeds both have, paired"],
  probability_of_improvement: [
    `P(> B) ${CI}`,
    "probability of improvement: per task, the fraction of seed pairs where the agent earns more",
  ],
  final_iteration: ["iteration", "the iteration of the runs' last evaluation"],
  final_std: ["std", "sample standard deviation of the seeds' final means"],
  final_iqm: [`IQM ${CI}`, "interquartile mean of the seeds' final means"],
  best_mean: [`best ${CI}`, "the evaluation point with the highest mean (optimistic)"],
  best_iteration: ["best @ iteration", "the iteration of the best evaluation point"],
  paired_seeds: ["paired seeds vs B", "the seeds both agents have"],
  level: ["level", "the level of the time to level"],
  seeds_reaching_level: ["seeds reaching level", "the seeds whose mean reaches the level"],
  timesteps_to_level: [
    "timesteps to level [min, max]",
    "training timesteps until a seed's mean first reaches the level, mean over those that do",
  ],
  timesteps_to_level_std: ["timesteps to level, std", "their sample std over the seeds"],
  seconds_to_level: [
    "seconds to level [min, max]",
    "training seconds until a seed's mean first reaches the level, mean over those that do",
  ],
  seconds_to_level_std: ["seconds to level, std", "their sample std over the seeds"],
  episode: [`episode k ${CI}`, "mean reward in episode k of the trial at the final evaluation"],
  adaptation_gain: [
    `last − first episode ${CI}`,
    "mean reward of the trial's last episode minus its first",
  ],
};

/** Header and meaning of episode k, or of stage k when episodes are adaptation stages. */
function episodeName(k: number, stages: boolean): readonly [string, string] {
  if (!stages) {
    return [
      `episode ${k} ${CI}`,
      `mean reward in episode ${k} of the trial at the final evaluation`,
    ];
  }
  const when = k === 1 ? "before adaptation" : `after ${k - 1} adaptation step${k > 2 ? "s" : ""}`;
  return [
    `stage ${k} ${CI}`,
    `mean return of stage ${k} at the final evaluation: ${when} (episode ${k} of the trial for ` +
    "an agent that keeps its memory)",
  ];
}

const ORDER = Object.keys(STATISTICS);
const EPISODE = /^episode_(\d+)_reward$/;
const FIRST = new Set(["seeds", "final_mean", "paper", "difference", "probability_of_improvement"]);

/** Where a statistic sorts: its place in {@link STATISTICS}, episodes by number. */
function rank(statistic: string): [number, number] {
  const episode = EPISODE.exec(statistic)?.[1];
  if (episode !== undefined) return [ORDER.indexOf("episode"), Number(episode)];
  const at = ORDER.indexOf(statistic);
  return [at < 0 ? ORDER.length : at, 0];
}

/** A column of `statistic` against `versus`; `stages` names episodes as adaptation stages. */
function column(statistic: string, versus: string, stages: boolean): TableColumn {
  const episode = EPISODE.exec(statistic)?.[1];
  const known = episode === undefined
    ? STATISTICS[statistic]
    : episodeName(Number(episode), stages);
  const [label, meaning] = known ?? [statistic.replaceAll("_", " "), ""];
  const name = (text: string) => text.replaceAll(/\bB\b/g, versus || "the baseline");
  const key = versus === "" ? statistic : `${statistic} vs ${versus}`;
  return {
    key,
    statistic,
    versus,
    label: name(label),
    title: meaning === "" ? key : `${key}: ${name(meaning)}`,
    primary: stages ? statistic === "seeds" || episode !== undefined : FIRST.has(statistic),
  };
}

/**
 * The columns of a table's rows (`comparison.csv` rows: statistic at 3, versus at 4), ordered:
 * those read first, then the rest. `stages`: the agents' episodes are adaptation stages, which
 * then come first in place of the trial's totals.
 */
export function tableColumns(rows: readonly string[][], stages: boolean): TableColumn[] {
  const columns = new Map<string, TableColumn>();
  for (const row of rows) {
    const c = column(row[3] ?? "", row[4] ?? "", stages);
    if (!columns.has(c.key)) columns.set(c.key, c);
  }
  return [...columns.values()].map((c, i) => ({ c, i })).sort((a, b) => {
    const [ra, rb] = [rank(a.c.statistic), rank(b.c.statistic)];
    return Number(b.c.primary) - Number(a.c.primary) || ra[0] - rb[0] || ra[1] - rb[1] ||
      a.i - b.i;
  }).map(({ c }) => c);
}
