/**
 * The data of a run's page: its summary (status, iteration, time per iteration), its
 * `progress.csv` as numbers for the diagnostics charts, its mean evaluation return per
 * evaluation point, its manifest and the tail of its log.
 *
 * @module
 */
import { join } from "node:path";
import { RUN_FILES } from "../run/manifest.ts";
import { evaluationMeans, progressRecords } from "./run_csv.ts";
import { dedupeProblems, type FileProblem, problemOf, type ResultsRoot } from "./files.ts";
import { type RunSummary, summarizeRun } from "./scan.ts";

/** How much of the end of a run's log its page shows. */
export const LOG_TAIL_BYTES = 64 * 1024;

/** Everything a run's page shows. */
export interface RunView {
  /** The run as the index lists it. */
  run: RunSummary;
  /** The experiment folder, relative to the results folder. */
  experiment: string;
  /** progress.csv, one record per iteration. */
  progress: Record<string, number>[];
  /** Mean evaluation return per evaluation iteration. */
  evaluations: { iteration: number; mean: number }[];
  /** manifest.json's text. */
  manifest?: string;
  /** The end of log.txt. */
  log?: string;
  /** Unreadable files. */
  problems: FileProblem[];
}

/** The page data of the run folder `dir` of the experiment folder `experimentDir`. */
export async function runView(
  root: ResultsRoot,
  experimentDir: string,
  dir: string,
): Promise<RunView> {
  const run = await summarizeRun(root, experimentDir, dir);
  const problems = [...run.problems];
  const attempt = async <T>(file: string, kind: string, parse: (t: string) => T) => {
    try {
      return await root.read(join(dir, file), kind, parse);
    } catch (e) {
      problems.push(problemOf(root.relative(join(dir, file)), e));
      return undefined;
    }
  };
  const progress = await attempt(RUN_FILES.progress, "records", progressRecords) ?? [];
  const evals = await attempt(RUN_FILES.eval, "eval-means", evaluationMeans);
  const manifest = await root.read(join(dir, RUN_FILES.manifest), "text", (t) => t)
    .catch(() => undefined);
  const log = await root.tail(join(dir, RUN_FILES.log), LOG_TAIL_BYTES);
  return {
    run,
    experiment: root.relative(experimentDir),
    progress,
    evaluations: [...evals ?? []].map(([iteration, mean]) => ({ iteration, mean })),
    ...(manifest !== undefined && { manifest }),
    ...(log !== undefined && { log }),
    problems: dedupeProblems(problems),
  };
}
