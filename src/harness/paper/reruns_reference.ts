/**
 * The reference results rerun as a user reruns them: every file of `experiments/reruns/` extends
 * a reported experiment (a fast row, the randomized CartPole) and changes only its training seeds
 * and evaluation tasks. `deno task reference` runs (or resumes) them into
 * `results/reference/reruns/`, compares each beside the results it reruns (both experiments in
 * one `comparison.md`), and writes the README's `reruns` section: per claimed agent and the best
 * agent of the rerun, the reported and the rerun final mean, and the rerun's expectations. A claim
 * that holds only on the seeds and tasks it was reported on shows up there as a FAIL.
 *
 * @module
 */
import { basename, join } from "node:path";
import { compareResults, COMPARISON_FILES, DEFAULT_RESAMPLES } from "../report/compare.ts";
import { type ComparisonCsvRow, readComparisonCsv } from "../report/comparison_csv.ts";
import { formatInterval, formatNumber } from "../report/report.ts";
import { runExperiments } from "../run/runner.ts";
import type { ProgressReporter } from "../run/progress.ts";
import { type Experiment, loadExperiment } from "../../experiment/load.ts";
import { CONFIDENCE } from "../../analysis/comparison_types.ts";
import { expectationLines } from "./maml_reference.ts";

/** The folder of the rerun files, relative to the project. */
export const RERUNS_DIR = "experiments/reruns";

/** Where their results go, under the reference root. */
export const RERUNS_OUT = "reruns";

/** The README section they fill. */
export const RERUNS_SECTION = "reruns";

/** The rerun files (absolute paths, sorted by name). */
export async function rerunFiles(root: string): Promise<string[]> {
  const dir = join(root, RERUNS_DIR);
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".jsonc")) names.push(entry.name);
  }
  return names.sort().map((name) => join(dir, name));
}

/** A rerun file with the experiment it reruns. */
interface Rerun {
  rerun: Experiment;
  reported: Experiment;
}

async function loadRerun(file: string): Promise<Rerun> {
  const rerun = await loadExperiment(file);
  if (rerun.parent === undefined) {
    throw new Error(`${file}: a rerun file must extend the experiment it reruns`);
  }
  return { rerun, reported: await loadExperiment(rerun.parent) };
}

/**
 * Runs (or resumes) the experiments the rerun files extend into `out` (already complete for the
 * fast rows), then the rerun files into `out`/{@link RERUNS_OUT}, and compares each rerun beside
 * the results it reruns, `out`/<reported experiment's name>, into the rerun's folder.
 */
export async function runRerunsReference(
  root: string,
  out: string,
  reporter: ProgressReporter,
): Promise<void> {
  const files = await rerunFiles(root);
  const reruns = await Promise.all(files.map(loadRerun));
  const dir = join(out, RERUNS_OUT);
  const parents = [...new Set(reruns.map((r) => r.reported.path))];
  for (const [batch, folder] of [[parents, out], [files, dir]] as const) {
    const summary = await runExperiments({ files: batch, resume: true, out: folder, reporter });
    const failed = summary.results.filter((r) => r.outcome === "failed").map((r) => r.key);
    if (failed.length > 0 || summary.interrupted) {
      throw new Error(`reruns: runs did not finish: ${failed.join(", ") || "interrupted"}`);
    }
  }
  for (const { rerun, reported } of reruns) {
    const folder = join(dir, rerun.config.name);
    await compareResults({
      inputs: [join(out, reported.config.name), folder],
      out: folder,
      formats: ["md", "csv", "svg"],
      resamples: DEFAULT_RESAMPLES,
      seed: 0,
    });
  }
}

/** The part of a multi-experiment `comparison.md` under the heading `## name`. */
export function experimentPart(markdown: string, name: string): string {
  const start = markdown.indexOf(`\n## ${name}\n`);
  if (start < 0) return "";
  const next = markdown.indexOf("\n## ", start + 1);
  return markdown.slice(start, next < 0 ? undefined : next);
}

/**
 * The agents a rerun's row shows: those its `expect` entries name, then the agent with the
 * highest final mean on the rerun's tasks when it is not one of them.
 */
export function shownAgents(rerun: Experiment, rows: readonly ComparisonCsvRow[]): string[] {
  const claimed = rerun.config.expect.flatMap((e) => [e.agent, e.better_than ?? e.agent]);
  const ranked = rows.filter((r) => r.experiment === rerun.config.name && r.final !== undefined)
    .sort((a, b) => b.final!.point - a.final!.point);
  return [...new Set([...claimed, ...ranked.slice(0, 1).map((r) => r.agent)])];
}

function finalOf(rows: readonly ComparisonCsvRow[], experiment: string, agent: string) {
  return rows.find((r) => r.experiment === experiment && r.agent === agent)?.final;
}

/**
 * The README's {@link RERUNS_SECTION} from the compared reruns under `out`/{@link RERUNS_OUT}, or
 * a line saying they are not there yet.
 */
export async function rerunsSection(root: string, out: string): Promise<string> {
  const rows: string[] = [];
  const expectations: string[] = [];
  for (const file of await rerunFiles(root)) {
    const { rerun, reported } = await loadRerun(file);
    const name = rerun.config.name;
    const dir = join(out, RERUNS_OUT, name);
    let csv: string;
    try {
      csv = await Deno.readTextFile(join(dir, COMPARISON_FILES.csv));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        return `_Not run yet: no comparison under results/reference/${RERUNS_OUT}/${name}/ ` +
          "(deno task reference runs it)._";
      }
      throw e;
    }
    const table = readComparisonCsv(csv);
    for (const agent of shownAgents(rerun, table)) {
      const before = finalOf(table, reported.config.name, agent);
      const after = finalOf(table, name, agent);
      const moved = before === undefined || after === undefined
        ? "–"
        : `${after.point >= before.point ? "+" : ""}${formatNumber(after.point - before.point)}`;
      rows.push(
        `| ${basename(file)} | ${agent} | ${
          before === undefined ? "–" : formatInterval(before)
        } | ` +
          `${after === undefined ? "–" : formatInterval(after)} | ${moved} |`,
      );
    }
    const markdown = await Deno.readTextFile(join(dir, COMPARISON_FILES.md));
    expectations.push(
      ...expectationLines(experimentPart(markdown, name)).map((line) => `${line} (${name})`),
    );
  }
  const pct = `${CONFIDENCE * 100}%`;
  return [
    [
      `| rerun file | agent | reported [${pct} CI] | rerun [${pct} CI] | moved |`,
      "| --- | --- | ---: | ---: | ---: |",
      ...rows,
    ].join("\n"),
    "Each rerun file (experiments/reruns/) changes only the training seeds and the evaluation " +
    "tasks of the experiment it extends. Per agent its claims name, and the rerun's best agent: " +
    "the final mean as reported and as rerun, and how far it moved. The rerun's own " +
    "expectations (the reported file's claims, checked on the rerun):",
    ...(expectations.length === 0 ? [] : [expectations.join("\n")]),
  ].join("\n\n");
}
