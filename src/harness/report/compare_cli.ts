/**
 * The `compare` subcommand: `compare RESULTS_DIR… [--baseline AGENT] [--format md,csv,svg]
 * [--out DIR] [--check] [--resamples N] [--seed N] [--level X] [--allow-incomplete]`. Writes the
 * tables and plots (refusing incomplete or corrupt runs unless `--allow-incomplete`) and
 * prints the markdown tables (when written); with `--check`, prints every expectation of the
 * experiments and fails when one does not hold.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import {
  type CompareOptions,
  compareResults,
  type CompareSummary,
  COMPARISON_FILES,
  type Format,
  FORMATS,
} from "./compare.ts";
import { comparisonConsole, formatExpectation, mixedVersions } from "./report.ts";
import { writeProblem } from "../run/writable.ts";
import { UsageError } from "../../usage_error.ts";
import { DEFAULT_RESAMPLES } from "./compare.ts";
import { RESOLVED_FILE } from "../run/manifest.ts";
import { fileNotices } from "../../experiment/load.ts";
import { formatIssue } from "../../experiment/source.ts";

/** The command line of `compare`. */
export const COMPARE_USAGE =
  "compare RESULTS_DIR… [--baseline AGENT] [--format md,csv,svg] [--out DIR] [--check] " +
  "[--resamples N] [--seed N] [--level X] [--allow-incomplete]";

/** What `compare` does, in one line. */
export const COMPARE_SUMMARY =
  "tables with bootstrap CIs (comparison.md, comparison.csv) and SVG plots; --check gates on expectations";

function integer(name: string, text: string, least: number): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isSafeInteger(n) || n < least) {
    throw new UsageError(`--${name} must be an integer of at least ${least}, got "${text}"`);
  }
  return n;
}

function finite(name: string, text: string): number {
  const x = Number(text);
  if (text.trim() === "" || !Number.isFinite(x)) {
    throw new UsageError(`--${name} must be a number, got "${text}"`);
  }
  return x;
}

function formats(text: string): Format[] {
  const chosen = text.split(",").map((f) => f.trim());
  for (const f of chosen) {
    if (!(FORMATS as readonly string[]).includes(f)) {
      throw new UsageError(`--format takes ${FORMATS.join(", ")} (comma-separated), got "${f}"`);
    }
  }
  return [...new Set(chosen as Format[])];
}

function options(args: string[]): CompareOptions & { check: boolean } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      baseline: { type: "string" },
      format: { type: "string", default: FORMATS.join(",") },
      out: { type: "string" },
      check: { type: "boolean", default: false },
      resamples: { type: "string", default: String(DEFAULT_RESAMPLES) },
      seed: { type: "string", default: "0" },
      level: { type: "string" },
      "allow-incomplete": { type: "boolean", default: false },
    },
  });
  if (positionals.length === 0) throw new UsageError("name at least one results folder");
  const out = values.out ?? (positionals.length === 1 ? positionals[0] : undefined);
  if (out === undefined) throw new UsageError("--out is required with several results folders");
  return {
    inputs: positionals,
    out,
    formats: formats(values.format),
    ...(values.baseline !== undefined && { baseline: values.baseline }),
    resamples: integer("resamples", values.resamples, 1),
    seed: integer("seed", values.seed, 0),
    ...(values.level !== undefined && { level: finite("level", values.level) }),
    check: values.check,
    allowIncomplete: values["allow-incomplete"],
  };
}

/**
 * Compares results and says so on the terminal: warnings and runs without results on stderr,
 * then the tables of `comparison.md` (a line pointing to the definitions of the statistics in
 * place of them) and the files written on stdout.
 */
export async function showComparison(options: CompareOptions): Promise<CompareSummary> {
  const summary = await compareResults(options);
  for (const c of summary.comparisons) {
    const mixed = mixedVersions(c);
    if (mixed !== undefined) console.error(`${c.name}: warning: ${mixed}`);
    if (c.missing.length > 0 && options.allowIncomplete === true) {
      console.error(
        `${c.name}: ${c.missing.length} runs left out (without results, or incomplete): ` +
          c.missing.join(", "),
      );
    } else if (c.missing.length > 0) {
      console.error(
        `${c.name}: ${c.missing.length} runs without finished results: ${c.missing.join(", ")}`,
      );
    }
  }
  if (summary.files.includes(COMPARISON_FILES.md)) {
    const plots = new Set(summary.files.filter((f) => f.endsWith(".svg")));
    const settings = { resamples: options.resamples, seed: options.seed, plots };
    console.log(comparisonConsole(summary.comparisons, settings));
  }
  console.log(`wrote ${summary.files.join(", ")} to ${options.out}`);
  const one = options.inputs.length === 1 && summary.comparisons.length === 1;
  console.log(
    `in a browser: deno task serve${options.inputs.length === 1 ? ` ${options.inputs[0]}` : ""} ` +
      "(live while runs train)" +
      (one
        ? `, or deno task report ${options.inputs[0]} --out ${
          join(options.out, "report.html")
        } (one self-contained file)`
        : ""),
  );
  return summary;
}

/**
 * The notices of the resolved experiments `compare` is about to read (settings spelt with an old
 * name, accepted and renamed): each input's `experiment.resolved.json`, or those of its
 * subfolders, as `compare` finds them.
 */
async function resultsNotices(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const own = join(input, RESOLVED_FILE);
    if (await Deno.stat(own).then((s) => s.isFile, () => false)) {
      files.push(own);
      continue;
    }
    const found: string[] = [];
    try {
      for await (const entry of Deno.readDir(input)) {
        if (entry.isDirectory) found.push(join(input, entry.name, RESOLVED_FILE));
      }
    } catch {
      continue; // not a folder: compare says so
    }
    files.push(...found.sort());
  }
  const lines = [];
  for (const file of new Set(files)) lines.push(...(await fileNotices(file)).map(formatIssue));
  return lines;
}

/**
 * Runs `compare` with the arguments after the subcommand's name. Returns 0 on success, 1 when
 * the results cannot be compared or (with `--check`) an expectation fails, 2 for a wrong
 * command line.
 */
export async function compareCommand(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof options>;
  try {
    parsed = options(args);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && "code" in e)) {
      console.error(`${e.message}\nusage: ${COMPARE_USAGE}`);
      return 2;
    }
    throw e;
  }
  const { check, ...compareOptions } = parsed;
  for (const line of await resultsNotices(compareOptions.inputs)) console.error(line);
  const problem = await writeProblem(compareOptions.out);
  if (problem !== undefined) {
    console.error(
      `--out ${compareOptions.out}: ${problem}; deno task compare writes under results/ only`,
    );
    return 2;
  }
  let summary: CompareSummary;
  try {
    summary = await showComparison(compareOptions);
  } catch (e) {
    console.error(`error: ${e instanceof Error ? e.message : e}`);
    return 1;
  }
  if (!check) return 0;
  const results = summary.comparisons.flatMap((c) =>
    c.expectations.map((e) => ({ line: `${c.name}: ${formatExpectation(e)}`, passed: e.passed }))
  );
  if (results.length === 0) {
    console.log("no expectations declared");
    return 0;
  }
  for (const { line, passed } of results) (passed ? console.log : console.error)(line);
  const failed = results.filter((r) => !r.passed).length;
  console.log(`expectations: ${results.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
