/**
 * The `compare` subcommand: `compare RESULTS_DIR… [--baseline AGENT] [--format md,csv,svg]
 * [--out DIR] [--check] [--resamples N] [--seed N] [--level X]`. Writes the tables and plots; with
 * `--check`, prints every expectation of the experiments and fails when one does not hold.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type CompareOptions, compareResults, type Format, FORMATS } from "./compare.ts";
import { formatExpectation } from "./report.ts";

/** The command line of `compare`. */
export const COMPARE_USAGE =
  "compare RESULTS_DIR… [--baseline AGENT] [--format md,csv,svg] [--out DIR] [--check] " +
  "[--resamples N] [--seed N] [--level X]";

/** What `compare` does, in one line. */
export const COMPARE_SUMMARY =
  "tables with bootstrap CIs (comparison.md, comparison.csv) and SVG plots; --check gates on expectations";

/** Bootstrap resamples unless `--resamples` says otherwise. */
export const DEFAULT_RESAMPLES = 10_000;

/** A mistake in the command line. */
class UsageError extends Error {}

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
  };
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
  let summary: Awaited<ReturnType<typeof compareResults>>;
  try {
    summary = await compareResults(compareOptions);
  } catch (e) {
    console.error(`error: ${e instanceof Error ? e.message : e}`);
    return 1;
  }
  for (const c of summary.comparisons) {
    if (c.missing.length > 0) {
      console.error(
        `${c.name}: ${c.missing.length} runs without finished results: ${c.missing.join(", ")}`,
      );
    }
  }
  console.log(`wrote ${summary.files.join(", ")} to ${compareOptions.out}`);
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
