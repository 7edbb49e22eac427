/**
 * Where an experiment page's comparison table comes from: a `comparison.csv` computed from this
 * very folder's runs (its own, or one `reproduce` wrote beside the experiments), as its
 * `comparison.inputs.json` records, with a note when some of those inputs' content changed
 * since; else, once some runs are finished, the comparison computed from them as `compare`
 * computes it, saying so. A table of another folder holding an experiment of the same name is
 * never shown.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { compareExperiment } from "../../analysis/comparison.ts";
import { DEFAULT_RESAMPLES, readResults } from "../report/compare.ts";
import { COMPARISON_COLUMNS, comparisonCsv } from "../report/comparison_csv.ts";
import {
  changedInputs,
  inputsFileOf,
  type InputsRecord,
  parseInputsRecord,
  recordCovers,
} from "../report/comparison_inputs.ts";
import { parseCsv } from "../run/csv.ts";
import { RESOLVED_FILE, RUN_FILES } from "../run/manifest.ts";
import { type FileProblem, problemOf, type ResultsRoot } from "./files.ts";
import type { ExperimentSummary } from "./scan.ts";

/** A comparison table and where it comes from (what an experiment page's table shows). */
export interface TableSource {
  /** Where the rows come from: a file relative to the results folder, or `computed`. */
  source: string;
  /** A remark: how it was computed, or that the files it was computed from changed. */
  note?: string;
  /** The columns of `comparison.csv`. */
  columns: string[];
  /** The rows, as text exactly as in the file. */
  rows: string[][];
}

/** The note of a table whose file does not record what it was computed from. */
export const UNRECORDED_NOTE = "this file does not record which runs it was computed from " +
  "(written before compare recorded it): rerun deno task compare to check it";

/**
 * The comparison `compare` would write for the experiment folder's finished runs, every file read
 * with the folder's one reader.
 */
export async function computedTable(root: ResultsRoot, dir: string): Promise<TableSource> {
  const [results] = await readResults([dir], { allowIncomplete: true, read: root.readText });
  if (results === undefined) throw new Error("no experiment");
  const comparison = compareExperiment(results, { seed: 0, resamples: DEFAULT_RESAMPLES });
  const table = parseCsv(comparisonCsv([comparison]));
  return {
    source: "computed",
    note: `computed from the finished runs of this folder as deno task compare does ` +
      `(${DEFAULT_RESAMPLES} resamples, seed 0)` +
      (results.missing.length > 0 ? `; ${results.missing.length} runs are not finished` : ""),
    columns: table.columns,
    rows: table.rows,
  };
}

/** The note of a table whose recorded inputs in the folder `dir` changed, or undefined. */
async function changeNote(
  root: ResultsRoot,
  file: string,
  record: InputsRecord,
  summary: ExperimentSummary,
): Promise<string | undefined> {
  const recordDir = dirname(join(root.dir, file));
  const stamps = await Promise.all(
    Object.keys(record.files).map((f) => root.stamp(join(recordDir, f))),
  );
  const key = `inputs:${file}:${summary.name}`;
  const changed = await root.remember(
    key,
    `${await root.stamp(inputsFileOf(join(root.dir, file)))}|${stamps.join()}`,
    () => changedInputs(record, recordDir, summary.name, root.readText),
  );
  if (changed.length === 0) return undefined;
  const first = root.relative(join(recordDir, changed[0]!));
  return `${changed.length} of the files it was computed from changed since (${first}` +
    `${changed.length > 1 ? ", …" : ""}): rerun deno task compare`;
}

/**
 * The rows of the `comparison.csv` at `file` (relative to the results folder) for the experiment
 * of the folder `dir`, when its record says it was computed from that folder; the folder's own
 * file without a record is shown with {@link UNRECORDED_NOTE}.
 */
async function tableFromFile(
  root: ResultsRoot,
  file: string,
  dir: string,
  summary: ExperimentSummary,
  own: boolean,
): Promise<TableSource | undefined> {
  const path = join(root.dir, file);
  const table = await root.read(path, "csv", parseCsv);
  if (table === undefined || table.columns.join() !== COMPARISON_COLUMNS.join()) return undefined;
  const rows = table.rows.filter((r) => r[0] === summary.name);
  if (rows.length === 0) return undefined;
  const record = await root.read(inputsFileOf(path), "inputs", parseInputsRecord);
  if (record === undefined) {
    return own ? { source: file, note: UNRECORDED_NOTE, columns: table.columns, rows } : undefined;
  }
  if (!recordCovers(record, dirname(path), summary.name, dir)) return undefined;
  const note = await changeNote(root, file, record, summary);
  return { source: file, ...(note !== undefined && { note }), columns: table.columns, rows };
}

/**
 * The experiment's comparison table: from its own `comparison.csv` or another of `comparisons`
 * (relative to the results folder) computed from this folder's runs, or else computed from its
 * finished runs; unreadable files become `problems`.
 */
export async function experimentTable(
  root: ResultsRoot,
  dir: string,
  summary: ExperimentSummary,
  comparisons: readonly string[],
  problems: FileProblem[],
): Promise<TableSource | undefined> {
  const own = join(summary.path, "comparison.csv").replace(/^\//, "");
  for (const file of [own, ...comparisons.filter((c) => c !== own)]) {
    try {
      const table = await tableFromFile(root, file, dir, summary, file === own);
      if (table !== undefined) return table;
    } catch (e) {
      problems.push(problemOf(file, e));
    }
  }
  if (!summary.runs.some((r) => r.status === "done")) return undefined;
  try {
    const stamps = await Promise.all(
      [
        join(dir, RESOLVED_FILE),
        ...summary.runs.flatMap((r) =>
          [RUN_FILES.manifest, RUN_FILES.progress, RUN_FILES.eval, RUN_FILES.adaptation].map((f) =>
            join(root.dir, r.path, f)
          )
        ),
      ].map((f) => root.stamp(f)),
    );
    return await root.remember(`table:${dir}`, stamps.join(), () => computedTable(root, dir));
  } catch (e) {
    problems.push(problemOf(`${summary.path}/comparison (computed)`, e));
    return undefined;
  }
}
