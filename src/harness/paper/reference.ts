/**
 * The committed reference results: `deno task reference` reproduces both paper tables at the
 * quick budget into `results/reference/` (resuming what is already there) and writes their
 * tables and a learning-curve plot into the README's generated sections, so the README shows
 * what the code produces and is never edited by hand. A test checks that the README's sections
 * equal the committed tables.
 *
 * @module
 */
import { join, relative } from "node:path";
import { PROJECT_ROOT } from "../../project.ts";
import { defaultReporter } from "../run/progress.ts";
import { reproduce, TABLE_FILES, tableOutputDir } from "./reproduce.ts";
import { DEFAULT_RESAMPLES } from "../report/compare.ts";
import { curvePlotFile } from "../report/report.ts";

/** Where the reference results live, relative to the project. */
export const REFERENCE_OUT = "results/reference";

/**
 * The backend of the reference runs: WASM, the one that gives the same numbers on every
 * machine (the native backend's float kernels differ between processors and libraries).
 */
export const REFERENCE_BACKEND = "wasm";

/** The tables of the reference run, in README order. */
export const REFERENCE_TABLES = ["table1", "table2"] as const;

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
    throw new Error(`README.md has no section markers "${begin}" … "${end}"`);
  }
  return `${readme.slice(0, start + begin.length)}\n${content.trimEnd()}\n${readme.slice(stop)}`;
}

/** The README sections the reference run produces: one per table and one for the curves. */
export async function referenceSections(root = PROJECT_ROOT): Promise<Map<string, string>> {
  const out = join(root, REFERENCE_OUT);
  const sections = new Map<string, string>();
  for (const table of REFERENCE_TABLES) {
    const dir = tableOutputDir(out, table, true);
    sections.set(table, await Deno.readTextFile(join(dir, TABLE_FILES.md)));
  }
  const dir = tableOutputDir(out, REFERENCE_CURVES.table, true);
  const plot = relative(root, join(dir, curvePlotFile(REFERENCE_CURVES.experiment, "")));
  sections.set(
    "curves",
    `![Learning curves, ${REFERENCE_CURVES.experiment}](${plot.replaceAll("\\", "/")})`,
  );
  return sections;
}

/** Runs (or resumes) the reference reproduction and rewrites the README's sections. */
export async function updateReference(): Promise<void> {
  for (const table of REFERENCE_TABLES) {
    const reporter = defaultReporter();
    try {
      const summary = await reproduce({
        table,
        quick: true,
        out: join(PROJECT_ROOT, REFERENCE_OUT),
        tableOnly: false,
        resume: true,
        backend: REFERENCE_BACKEND,
        reporter,
        resamples: DEFAULT_RESAMPLES,
        seed: 0,
      });
      const failed = summary.runs?.results.filter((r) => r.outcome === "failed") ?? [];
      if (failed.length > 0 || summary.dir === undefined) {
        throw new Error(`${table}: runs did not finish: ${failed.map((r) => r.key).join(", ")}`);
      }
    } finally {
      reporter.stop();
    }
  }
  const path = join(PROJECT_ROOT, "README.md");
  let readme = await Deno.readTextFile(path);
  for (const [name, content] of await referenceSections()) {
    readme = writeSection(readme, name, content);
  }
  await Deno.writeTextFile(path, readme);
  console.log(`updated ${REFERENCE_OUT} and the README's reference sections`);
}

if (import.meta.main) await updateReference();
