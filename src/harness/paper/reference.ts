/**
 * The committed reference results: `deno task reference` reproduces both paper tables at the
 * quick budget, then the fast protocol's n = 10 rows ({@link REFERENCE_FAST}), then the MAML
 * comparison on 2-D navigation (`maml_reference.ts`), into
 * `results/reference/` (resuming what is already there) and writes their tables, a
 * learning-curve plot and the fast rows' times to result into the README's generated sections,
 * so the README shows what the code produces and is never edited by hand. A test checks that the
 * README's sections equal the committed results. A fast table without results (its rows not run
 * yet) has a section saying so, which the test holds the README to as well.
 *
 * @module
 */
import { join, relative } from "node:path";
import { PROJECT_ROOT } from "../../project.ts";
import { defaultReporter } from "../run/progress.ts";
import {
  type Budget,
  reproduce,
  TABLE_FILES,
  tableExperimentsDir,
  tableOutputDir,
} from "./reproduce.ts";
import { COMPARISON_FILES, DEFAULT_RESAMPLES } from "../report/compare.ts";
import { formatInterval, formatTimeToLevel } from "../report/report.ts";
import { readComparisonCsv } from "../report/comparison_csv.ts";
import { curvePlotFile } from "../report/plot_files.ts";
import { CONFIDENCE, PAPER_LEVEL_FRACTION } from "../../analysis/comparison_types.ts";
import { beyondTable, measureRows } from "./beyond.ts";
import { MAML_SECTION, mamlSection, runMamlReference } from "./maml_reference.ts";
import { RERUNS_SECTION, rerunsSection, runRerunsReference } from "./reruns_reference.ts";
import { readIfExists } from "../run/missing.ts";

/** Where the reference results live, relative to the project. */
export const REFERENCE_OUT = "results/reference";

/**
 * The backend of the quick reference runs: WASM, the one that gives the same numbers on every
 * machine (the native backend's float kernels differ between processors and libraries). The fast
 * rows run on the backend their files name (ONNX Runtime: their budgets are sized for it).
 */
export const REFERENCE_BACKEND = "wasm";

/** The tables of the reference run, in README order. */
export const REFERENCE_TABLES = ["table1", "table2"] as const;

/** The fast protocol's rows the reference run covers (the n = 10 rows): file names per table. */
export const REFERENCE_FAST = {
  table1: ["bandits-n10-k5.jsonc", "bandits-n10-k10.jsonc", "bandits-n10-k50.jsonc"],
  table2: ["mdp-n10.jsonc"],
} as const satisfies Record<typeof REFERENCE_TABLES[number], readonly string[]>;

/** The README section of the fast protocol's times to result. */
export const FAST_TIME_SECTION = "fast-time-to-result";

/** The README section of a table's fast rows: `fast-table1`, `fast-table2`. */
export function fastSection(table: string): string {
  return `fast-${table}`;
}

/** What a fast section says while its table's rows have not been run. */
export function notRunYet(table: string): string {
  const dir = tableOutputDir(REFERENCE_OUT, table, "fast").replaceAll("\\", "/");
  return `_Not run yet: no results under ${dir}/ (deno task reference runs them)._`;
}

/** The experiment whose learning curves the README shows. */
export const REFERENCE_CURVES = { table: "table1", experiment: "paper-quick-table1-n10-k5" };

/**
 * The README's markers around a generated section (they keep `deno fmt` out of it, so the
 * section stays byte for byte what the reference run wrote).
 */
export function sectionMarkers(name: string): { begin: string; end: string } {
  return {
    begin: `<!-- generated:${name} (deno task reference; do not edit) -->\n` +
      "<!-- deno-fmt-ignore-start -->",
    end: `<!-- deno-fmt-ignore-end -->\n<!-- /generated:${name} -->`,
  };
}

/** The text between the markers of section `name`, or undefined when the README lacks them. */
export function readSection(readme: string, name: string): string | undefined {
  const { begin, end } = sectionMarkers(name);
  const start = readme.indexOf(begin);
  const stop = readme.indexOf(end);
  if (start < 0 || stop < start) return undefined;
  return readme.slice(start + begin.length, stop).replace(/^\n/, "").replace(/\n$/, "");
}

/**
 * `readme` with section `name` replaced by `content`. Throws when the markers are missing, so a
 * README that lost them is noticed rather than left stale.
 */
export function writeSection(readme: string, name: string, content: string): string {
  const { begin, end } = sectionMarkers(name);
  const start = readme.indexOf(begin);
  const stop = readme.indexOf(end);
  if (start < 0 || stop < start) {
    throw new Error(`no section markers "${begin}" … "${end}"`);
  }
  return `${readme.slice(0, start + begin.length)}\n${content.trimEnd()}\n${readme.slice(stop)}`;
}

/**
 * The README sections the reference run produces: one per quick table, one for the curves, and
 * the fast protocol's ({@link fastSections}).
 */
export async function referenceSections(root = PROJECT_ROOT): Promise<Map<string, string>> {
  const out = join(root, REFERENCE_OUT);
  const sections = new Map<string, string>();
  for (const table of REFERENCE_TABLES) {
    const dir = tableOutputDir(out, table, "quick");
    sections.set(table, await Deno.readTextFile(join(dir, TABLE_FILES.md)));
  }
  const dir = tableOutputDir(out, REFERENCE_CURVES.table, "quick");
  const plot = relative(root, join(dir, curvePlotFile(REFERENCE_CURVES.experiment, "")));
  sections.set(
    "curves",
    `![Learning curves, ${REFERENCE_CURVES.experiment}](${plot.replaceAll("\\", "/")})`,
  );
  for (const [name, content] of await fastSections(out)) sections.set(name, content);
  sections.set(BEYOND_SECTION, await beyondSection(out));
  sections.set(MAML_SECTION, await mamlSection(root, out));
  sections.set(RERUNS_SECTION, await rerunsSection(root, out));
  return sections;
}

/** The section of the rows measured beyond a session ({@link BEYOND_OUT}). */
export const BEYOND_SECTION = "beyond";

/**
 * The file (relative to the project) that holds a generated section: the README, except the rows
 * beyond a session and the reruns, which live with the fast protocol's detail.
 */
export function sectionFile(name: string): string {
  return name === BEYOND_SECTION || name === RERUNS_SECTION ? "docs/reproducing.md" : "README.md";
}

/**
 * Where the fast rows that do not fit a session keep their one measured seed, under the
 * reference root: one experiment folder per row, as `deno task run FILE --only rl2 --shard 1/5`
 * leaves it when stopped.
 */
export const BEYOND_OUT = "beyond";

/** The table of {@link measureRows} over `out`/{@link BEYOND_OUT}, or a line saying it is empty. */
export async function beyondSection(out: string): Promise<string> {
  const root = join(out, BEYOND_OUT);
  const exists = await Deno.stat(root).then((s) => s.isDirectory, () => false);
  const rows = exists ? await measureRows(root) : [];
  if (rows.length === 0) {
    return `_Not measured yet: no runs under ${join(REFERENCE_OUT, BEYOND_OUT)}/._`;
  }
  return beyondTable(rows);
}

/**
 * The fast protocol's README sections from the results root `out`: each table's rendered
 * `table.md` (or {@link notRunYet}), and {@link FAST_TIME_SECTION}: per experiment and trained
 * agent, the final mean with its interval and the time to level, read from the tables'
 * `comparison.csv` (so the numbers are those `compare` computed).
 */
export async function fastSections(out: string): Promise<Map<string, string>> {
  const sections = new Map<string, string>();
  const rows: string[] = [];
  const notRun: string[] = [];
  for (const table of REFERENCE_TABLES) {
    const dir = tableOutputDir(out, table, "fast");
    const markdown = await readIfExists(join(dir, TABLE_FILES.md));
    sections.set(fastSection(table), markdown ?? notRunYet(table));
    if (markdown === undefined) {
      notRun.push(notRunYet(table));
      continue;
    }
    const csv = await Deno.readTextFile(join(dir, COMPARISON_FILES.csv));
    for (const row of readComparisonCsv(csv)) {
      if (row.final === undefined || (row.finalIteration ?? 0) === 0) continue;
      rows.push(
        `| ${row.experiment}${row.setting === "" ? "" : ` (${row.setting})`} | ${row.agent} | ` +
          `${formatInterval(row.final)} | ` +
          `${formatTimeToLevel(row.timeToLevel)} |`,
      );
    }
  }
  const pct = `${CONFIDENCE * 100}%`;
  const table = rows.length === 0 ? [] : [
    [
      `| experiment | agent | final [${pct} CI] | time to level |`,
      "| --- | --- | ---: | ---: |",
      ...rows,
    ].join("\n"),
    `Per trained agent: the final mean total reward per trial with its ${pct} interval, and ` +
    "the training timesteps and seconds until a seed's held-out mean first reached the level " +
    `(${PAPER_LEVEL_FRACTION * 100}% of the agent's paper number; – without one), as mean ± ` +
    "std over the seeds that reached it (reached/seeds).",
  ];
  sections.set(FAST_TIME_SECTION, [...table, ...notRun].join("\n\n"));
  return sections;
}

/** The reference reproductions, in order: both quick tables, then the fast n = 10 rows. */
function referenceRuns(): { table: string; budget: Budget; files?: string[] }[] {
  return [
    ...REFERENCE_TABLES.map((table) => ({ table, budget: "quick" as const })),
    ...REFERENCE_TABLES.map((table) => ({
      table,
      budget: "fast" as const,
      files: REFERENCE_FAST[table].map((f) => join(tableExperimentsDir(table, "fast"), f)),
    })),
  ];
}

/** Runs (or resumes) the reference reproduction and rewrites the README's sections. */
export async function updateReference(): Promise<void> {
  for (const { table, budget, files } of referenceRuns()) {
    const reporter = defaultReporter();
    try {
      const summary = await reproduce({
        table,
        budget,
        ...(files !== undefined && { files }),
        out: join(PROJECT_ROOT, REFERENCE_OUT),
        tableOnly: false,
        resume: true,
        ...(budget === "quick" && { backend: REFERENCE_BACKEND }),
        reporter,
        resamples: DEFAULT_RESAMPLES,
        seed: 0,
      });
      const failed = summary.runs?.results.filter((r) => r.outcome === "failed") ?? [];
      if (failed.length > 0 || summary.dir === undefined) {
        throw new Error(
          `${table} (${budget}): runs did not finish: ${failed.map((r) => r.key).join(", ")}`,
        );
      }
    } finally {
      reporter.stop();
    }
  }
  const reporter = defaultReporter();
  try {
    await runMamlReference(PROJECT_ROOT, join(PROJECT_ROOT, REFERENCE_OUT), reporter);
    await runRerunsReference(PROJECT_ROOT, join(PROJECT_ROOT, REFERENCE_OUT), reporter);
  } finally {
    reporter.stop();
  }
  const texts = new Map<string, string>();
  for (const [name, content] of await referenceSections()) {
    const file = sectionFile(name);
    const text = texts.get(file) ?? await Deno.readTextFile(join(PROJECT_ROOT, file));
    texts.set(file, writeSection(text, name, content));
  }
  for (const [file, text] of texts) await Deno.writeTextFile(join(PROJECT_ROOT, file), text);
  console.log(`updated ${REFERENCE_OUT} and the README's reference sections`);
}

if (import.meta.main) await updateReference();
