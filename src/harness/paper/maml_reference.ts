/**
 * The reference comparison beyond RL²: MAML-TRPO, RL² and the fine-tuned memoryless TRPO policy
 * on MAML's 2-D navigation, with the oracle (goal observed) as a reference line, and MAML-TRPO
 * trained and evaluated as the authors' code made the MAML paper's Table 4. `deno task
 * reference` runs (or resumes) its experiment files into `results/reference/maml/`, compares each,
 * and writes the README's `maml` section from the comparisons' files: per agent, the mean return
 * of each stage of a held-out task's trial (before adaptation and after 1, 2, 3 policy-gradient
 * steps for MAML and the fine-tuned baseline; episodes 1–4 for RL²) beside the MAML paper's, and
 * the experiments' expectations.
 *
 * @module
 */
import { join } from "node:path";
import { parseCsv } from "../run/csv.ts";
import { COMPARISON_COLUMNS } from "../report/comparison_csv.ts";
import { compareResults, COMPARISON_FILES, DEFAULT_RESAMPLES } from "../report/compare.ts";
import { formatInterval } from "../report/report.ts";
import { runExperiments } from "../run/runner.ts";
import type { ProgressReporter } from "../run/progress.ts";
import { loadExperiment } from "../../experiment/load.ts";
import type { Interval } from "../../analysis/bootstrap.ts";
import { MAML_PAPER_STAGES } from "../../analysis/paper_table.ts";
import { CONFIDENCE } from "../../analysis/comparison_types.ts";

/** The experiment files of the comparison, relative to the project. */
export const MAML_FILES = [
  "experiments/maml/navigation.jsonc",
  "experiments/maml/navigation-oracle.jsonc",
  "experiments/maml/navigation-authors-table4.jsonc",
] as const;

/** Where their results go, under the reference root. */
export const MAML_OUT = "maml";

/** The README section they fill. */
export const MAML_SECTION = "maml";

/** Runs (or resumes) the comparison's experiments into `out`/{@link MAML_OUT}, comparing each. */
export async function runMamlReference(
  root: string,
  out: string,
  reporter: ProgressReporter,
): Promise<void> {
  const files = MAML_FILES.map((f) => join(root, f));
  const dir = join(out, MAML_OUT);
  const summary = await runExperiments({ files, resume: true, out: dir, reporter });
  const failed = summary.results.filter((r) => r.outcome === "failed").map((r) => r.key);
  if (failed.length > 0 || summary.interrupted) {
    throw new Error(`MAML reference: runs did not finish: ${failed.join(", ") || "interrupted"}`);
  }
  for (const file of files) {
    const experiment = join(dir, (await loadExperiment(file)).config.name);
    await compareResults({
      inputs: [experiment],
      out: experiment,
      formats: ["md", "csv", "svg"],
      resamples: DEFAULT_RESAMPLES,
      seed: 0,
    });
  }
}

/** Per agent of a `comparison.csv`, its `episode_k_reward` intervals in episode order. */
export function episodeRewards(csv: string): Map<string, Interval[]> {
  const table = parseCsv(csv);
  if (table.columns.join() !== COMPARISON_COLUMNS.join()) {
    throw new Error(`comparison.csv has columns ${table.columns.join(",")}`);
  }
  const byAgent = new Map<string, Interval[]>();
  for (const [, , agent, statistic, , value, lower, upper] of table.rows) {
    const episode = /^episode_(\d+)_reward$/.exec(statistic!)?.[1];
    if (episode === undefined) continue;
    const rewards = byAgent.get(agent!) ?? [];
    byAgent.set(agent!, rewards);
    rewards[Number(episode) - 1] = {
      point: Number(value),
      lower: Number(lower),
      upper: Number(upper),
    };
  }
  return byAgent;
}

/** The expectation lines (`- PASS …`, `- FAIL …`) of a `comparison.md`. */
export function expectationLines(markdown: string): string[] {
  const start = markdown.indexOf("### Expectations");
  if (start < 0) return [];
  return markdown.slice(start).split("\n").slice(1)
    .filter((line) => /^- (PASS|FAIL) /.test(line));
}

/**
 * The README's {@link MAML_SECTION} from the compared results under `out`/{@link MAML_OUT}, or a
 * line saying they are not there yet.
 */
export async function mamlSection(root: string, out: string): Promise<string> {
  const rows: string[] = [];
  const expectations: string[] = [];
  for (const file of MAML_FILES) {
    const name = (await loadExperiment(join(root, file))).config.name;
    const dir = join(out, MAML_OUT, name);
    let csv: string;
    try {
      csv = await Deno.readTextFile(join(dir, COMPARISON_FILES.csv));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        return `_Not run yet: no comparison under results/reference/${MAML_OUT}/${name}/ ` +
          "(deno task reference runs it)._";
      }
      throw e;
    }
    for (const [agent, rewards] of episodeRewards(csv)) {
      rows.push(`| ${name} | ${agent} | ${rewards.map((r) => formatInterval(r)).join(" | ")} |`);
    }
    const markdown = await Deno.readTextFile(join(dir, COMPARISON_FILES.md));
    expectations.push(...expectationLines(markdown).map((line) => `${line} (${name})`));
  }
  const stages = MAML_PAPER_STAGES.length;
  const header = Array.from({ length: stages }, (_, k) => `stage ${k + 1}`);
  return [
    [
      `| experiment | agent | ${header.join(" | ")} |`,
      `| --- | --- | ${header.map(() => "---:").join(" | ")} |`,
      ...rows,
      `| MAML paper (Table 4) | maml | ${MAML_PAPER_STAGES.join(" | ")} |`,
    ].join("\n"),
    `Mean return of each stage of a held-out task's trial at the final evaluation, ` +
    `[${CONFIDENCE * 100}% CI] over seeds: before adaptation and after 1, 2, 3 ` +
    "policy-gradient steps of K trajectories (maml, and trpo fine-tuned; K = 20, and 40 in " +
    "maml-navigation-authors-table4 as in the authors' test script), episodes 1–4 " +
    "of one trial (rl2, its memory kept), or the same policy four times (the oracle, which " +
    "observes the goal).",
    ...(expectations.length === 0 ? [] : [expectations.join("\n")]),
  ].join("\n\n");
}
