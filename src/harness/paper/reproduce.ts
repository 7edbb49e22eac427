/**
 * `reproduce table1|table2 [--quick|--fast]`: runs the experiment files of one of the RL² paper's
 * tables at one of three budgets (`experiments/paper/<table>/` at the paper's,
 * `experiments/paper/quick/<table>/` reduced, `experiments/paper/fast/<table>/` the fast
 * protocol), or only some of those files, compares their results, and writes the table in the
 * paper's layout with our number ± its 95% interval beside the paper's in every cell.
 *
 * The paper's numbers always come from the paper-budget files, which carry every column of their
 * row; the other budgets' files may leave out columns (RL² at n ≥ 100), whose cells then show the
 * paper's number only, or rows, which the markdown table leaves out and the CSV keeps.
 *
 * @module
 */
import { join, relative, resolve } from "node:path";
import {
  type PaperLayout,
  paperRows,
  renderPaperTable,
  RL2_TABLE1,
  RL2_TABLE2,
} from "../../analysis/paper_table.ts";
import { CONFIDENCE } from "../../analysis/comparison_types.ts";
import type { BackendName } from "../../backend.ts";
import { loadExperiment } from "../../experiment/load.ts";
import { writeFileAtomic } from "../run/atomic.ts";
import { compareResults, type Format } from "../report/compare.ts";
import { experimentFiles } from "../../experiment/files.ts";
import { PROJECT_ROOT } from "../../project.ts";
import type { ProgressReporter } from "../run/progress.ts";
import { runExperiments } from "../run/runner.ts";
import type { RunnerSummary } from "../run/run_options.ts";
import type { Shard } from "../run/shard.ts";

/** The paper tables `reproduce` builds, by the name given on the command line. */
export const PAPER_TABLES: Readonly<Record<string, PaperLayout>> = {
  table1: RL2_TABLE1,
  table2: RL2_TABLE2,
};

/**
 * The budgets a table is reproduced at: the paper's, the quick one (minutes, to show the
 * pipeline) and the fast protocol.
 */
export const BUDGETS = ["paper", "quick", "fast"] as const;
/** One of {@link BUDGETS}. */
export type Budget = typeof BUDGETS[number];

/**
 * The folder of a table's experiment files at a budget: `experiments/paper/<table>` for the
 * paper's, `experiments/paper/<budget>/<table>` for the others.
 */
export function tableExperimentsDir(table: string, budget: Budget): string {
  return join(
    PROJECT_ROOT,
    "experiments",
    "paper",
    ...(budget === "paper" ? [] : [budget]),
    table,
  );
}

/**
 * The folder (under the results root) where a table and its comparison are written:
 * `reproduce-<table>`, with `-<budget>` after it for budgets other than the paper's.
 */
export function tableOutputDir(out: string, table: string, budget: Budget): string {
  return join(out, `reproduce-${table}${budget === "paper" ? "" : `-${budget}`}`);
}

/** File names of the rendered table inside {@link tableOutputDir}. */
export const TABLE_FILES = { md: "table.md", csv: "table.csv" } as const;

/** What to reproduce and how. */
export interface ReproduceOptions {
  /** A key of {@link PAPER_TABLES}. */
  table: string;
  /** Whose files to run: the paper-budget ones, the quick ones or the fast protocol's. */
  budget: Budget;
  /**
   * Only these experiment files (each inside {@link tableExperimentsDir} of the table and
   * budget), for the runs and the table; the markdown table leaves the other rows out.
   */
  files?: readonly string[];
  /** Results root. */
  out: string;
  /** Only render the table from results already in `out` (e.g. after merging shards). */
  tableOnly: boolean;
  /** Runs at a time. */
  jobs?: number;
  /** Only this shard of the runs; the table is left for after the merge. */
  shard?: Shard;
  /** Skip finished runs and continue interrupted ones. */
  resume: boolean;
  /** Only the runs of these agents (e.g. the classic baselines). */
  only?: readonly string[];
  /** Overrides every experiment's backend. */
  backend?: BackendName;
  /** Intra-op threads of each run's ONNX Runtime. */
  threads?: number;
  /** Shows progress. */
  reporter: ProgressReporter;
  /** Aborting it stops the runs. */
  signal?: AbortSignal;
  /**
   * Render the table even when runs are incomplete or corrupt (left out, and named). Without
   * it, `tableOnly` refuses them; after running, the runner has listed its failed runs and
   * they are always left out and named.
   */
  allowIncomplete?: boolean;
  /** With `resume`: continue checkpoints written by another commit of the code. */
  allowMixed?: boolean;
  /** Bootstrap resamples of the intervals. */
  resamples: number;
  /** Seed of the bootstraps. */
  seed: number;
}

/** What {@link reproduce} did. */
export interface ReproduceSummary {
  /** The runner's summary, unless only the table was rendered. */
  runs?: RunnerSummary;
  /** The folder of the table, when it was written. */
  dir?: string;
  /** The table as markdown, when it was written. */
  markdown?: string;
  /** Runs without finished results, as `experiment: run ids`. */
  missing: string[];
}

/** The paper's numbers of every row of a table, read from its paper-budget files. */
async function paperValues(
  table: string,
  layout: PaperLayout,
): Promise<Map<string, Readonly<Record<string, number>>>> {
  const values = new Map<string, Readonly<Record<string, number>>>();
  for (const file of await experimentFiles([tableExperimentsDir(table, "paper")])) {
    const { paper } = (await loadExperiment(file)).config;
    if (paper?.table === layout.table) values.set(paper.row, paper.values);
  }
  return values;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/**
 * The experiment files of a table at a budget, or only `chosen` among them; throws when the
 * folder holds none or a chosen file is not one of them.
 */
async function tableFiles(
  table: string,
  budget: Budget,
  chosen: readonly string[] | undefined,
): Promise<string[]> {
  const dir = tableExperimentsDir(table, budget);
  const all = await exists(dir) ? await experimentFiles([dir]) : [];
  if (all.length === 0) throw new Error(`no experiment files for ${table} in ${dir}`);
  if (chosen === undefined) return all;
  const paths = chosen.map((file) => {
    const path = resolve(file);
    if (!all.includes(path)) {
      const where = relative(dir, path).startsWith("..") ? "is not inside" : "is not a file of";
      throw new Error(`${file} ${where} ${dir}, the folder of ${table} at the ${budget} budget`);
    }
    return path;
  });
  return [...new Set(paths)];
}

/**
 * Runs the experiments of a paper table (unless `tableOnly`), then, when every selected run
 * ended and no shard was asked for, compares the results and writes `comparison.md`,
 * `comparison.csv`, the plots, and `table.md` / `table.csv` into {@link tableOutputDir}.
 */
export async function reproduce(options: ReproduceOptions): Promise<ReproduceSummary> {
  const layout = PAPER_TABLES[options.table];
  if (layout === undefined) {
    throw new Error(
      `unknown table "${options.table}"; expected one of ${Object.keys(PAPER_TABLES).join(", ")}`,
    );
  }
  const files = await tableFiles(options.table, options.budget, options.files);
  let runs: RunnerSummary | undefined;
  if (!options.tableOnly) {
    runs = await runExperiments({
      files,
      ...(options.jobs !== undefined && { jobs: options.jobs }),
      ...(options.shard !== undefined && { shard: options.shard }),
      resume: options.resume,
      ...(options.backend !== undefined && { backend: options.backend }),
      ...(options.threads !== undefined && { threads: options.threads }),
      ...(options.allowMixed === true && { allowMixed: true }),
      ...(options.only !== undefined && { only: options.only }),
      out: options.out,
      reporter: options.reporter,
      ...(options.signal !== undefined && { signal: options.signal }),
    });
    if (runs.interrupted || options.shard !== undefined) return { runs, missing: [] };
  }
  const inputs: string[] = [];
  for (const file of files) {
    const dir = join(options.out, (await loadExperiment(file)).config.name);
    if (await exists(dir)) inputs.push(dir);
  }
  if (inputs.length === 0) {
    throw new Error(`no results of ${options.table} under ${options.out}; run it first`);
  }
  const dir = tableOutputDir(options.out, options.table, options.budget);
  const formats: Format[] = ["md", "csv", "svg"];
  const { comparisons } = await compareResults({
    inputs,
    out: dir,
    formats,
    resamples: options.resamples,
    seed: options.seed,
    allowIncomplete: options.allowIncomplete ?? !options.tableOnly,
  });
  const rows = paperRows(layout, comparisons);
  for (const [row, paper] of await paperValues(options.table, layout)) {
    rows[row] = { results: rows[row]?.results ?? {}, paper };
  }
  const rendered = renderPaperTable(layout, rows, CONFIDENCE);
  await writeFileAtomic(join(dir, TABLE_FILES.md), rendered.markdown);
  await writeFileAtomic(join(dir, TABLE_FILES.csv), rendered.csv);
  const missing = comparisons.flatMap((c) =>
    c.missing.length === 0 ? [] : [`${c.name}: ${c.missing.join(", ")}`]
  );
  return { ...(runs !== undefined && { runs }), dir, markdown: rendered.markdown, missing };
}
