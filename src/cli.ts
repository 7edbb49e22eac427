/**
 * The command line of rl2lab: `run`, `validate` and `merge` (the `deno task`s of deno.json call
 * these). A new subcommand is one entry in {@link COMMANDS}.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { explainExperiment, validateFiles } from "./experiment/load.ts";
import { ExperimentError, formatIssue } from "./experiment/source.ts";
import { mergeResults } from "./harness/run/merge.ts";
import {
  COMPARE_SUMMARY,
  COMPARE_USAGE,
  compareCommand,
  showComparison,
} from "./harness/report/compare_cli.ts";
import { DEFAULT_RESAMPLES } from "./harness/report/compare.ts";
import { FORMATS } from "./harness/report/compare.ts";
import { defaultReporter } from "./harness/run/progress.ts";
import {
  type Budget,
  PAPER_TABLES,
  reproduce,
  type ReproduceSummary,
  TABLE_FILES,
} from "./harness/paper/reproduce.ts";
import { runExperiments } from "./harness/run/runner.ts";
import { DEFAULT_OUT, type RunnerSummary } from "./harness/run/run_options.ts";
import { experimentFiles } from "./experiment/files.ts";
import { writeProblem } from "./harness/run/writable.ts";
import { UsageError } from "./usage_error.ts";
import { RUN_OPTIONS, runnerOptions, stopAfterOf, supervise } from "./harness/run/run_cli.ts";
import { SERVE_SUMMARY, SERVE_USAGE, serveCommand } from "./harness/serve/serve_cli.ts";
import { REPORT_SUMMARY, REPORT_USAGE, reportCommand } from "./harness/serve/html_report_cli.ts";

/** A subcommand: one line of help and what it does with its arguments (the exit code). */
export interface Command {
  /** The command and its arguments, e.g. `merge DIR… --out DIR`. */
  usage: string;
  /** What it does, in one line. */
  summary: string;
  /** Runs it with the arguments after its name; returns the exit code. */
  main(args: string[]): Promise<number>;
}

/**
 * Throws a {@link UsageError} when `out` cannot take results: the tasks write under
 * `results/` only, and not through a symbolic link that leads elsewhere.
 */
async function checkWritable(out: string, command: string): Promise<void> {
  const problem = await writeProblem(out);
  if (problem === undefined) return;
  throw new UsageError(
    `--out ${out}: ${problem}; deno task ${command} writes results under ${DEFAULT_OUT}/ ` +
      `only (e.g. --out ${DEFAULT_OUT}/NAME)`,
  );
}

const run: Command = {
  usage:
    "run FILE|DIR… [--jobs N] [--shard i/N] [--resume [--allow-mixed] | --fresh] [--only AGENT,…] [--backend B] [--threads N] [--stop-after 2h30m] [--out DIR]",
  summary: "train and evaluate every run of experiment files (every .jsonc below a folder)",
  async main(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: RUN_OPTIONS,
    });
    if (positionals.length === 0) throw new UsageError("name at least one experiment file");
    const options = runnerOptions(values);
    await checkWritable(values.out, "run");
    const files = await experimentFiles(positionals);
    if (files.length === 0) throw new UsageError(`no .jsonc files in ${positionals.join(", ")}`);
    let summary: RunnerSummary | undefined;
    const code = await supervise(
      "run",
      args,
      values.resume,
      async (reporter, signal) =>
        summary = await runExperiments({
          files,
          ...options,
          resume: values.resume,
          out: values.out,
          reporter,
          signal,
        }),
      stopAfterOf(values),
    );
    if (code === 130 || summary === undefined) return code ?? 0;
    if (options.shard !== undefined) {
      console.log(
        "this shard is done; when every shard is, gather them with deno task merge and compare " +
          "with deno task compare",
      );
      return code ?? 0;
    }
    // The main job ends with its result: the comparison table of every experiment it ran.
    const experiments = [...new Set(summary.results.map((r) => r.key.split("/")[0]!))];
    for (const name of experiments) {
      const dir = join(values.out, name);
      console.log("");
      // The failed runs are listed above: the table leaves them out and names them.
      await showComparison({
        inputs: [dir],
        out: dir,
        formats: [...FORMATS],
        resamples: DEFAULT_RESAMPLES,
        seed: 0,
        allowIncomplete: true,
      });
    }
    return code ?? 0;
  },
};

const reproduceCommand: Command = {
  usage: `reproduce ${Object.keys(PAPER_TABLES).join("|")} [--quick|--fast] [--jobs N] ` +
    "[--shard i/N] [--resume [--allow-mixed]] [--only AGENT,…] [--backend B] [--threads N] " +
    "[--stop-after 2h30m] [--out DIR] " +
    "[--table-only] [--allow-incomplete]",
  summary: "run a paper table's experiments and write the table, our numbers beside the paper's",
  async main(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...RUN_OPTIONS,
        quick: { type: "boolean", default: false },
        fast: { type: "boolean", default: false },
        "table-only": { type: "boolean", default: false },
        "allow-incomplete": { type: "boolean", default: false },
      },
    });
    const [table, ...extra] = positionals;
    if (table === undefined || extra.length > 0 || PAPER_TABLES[table] === undefined) {
      throw new UsageError(
        `name one table: ${Object.keys(PAPER_TABLES).join(" or ")}` +
          (table === undefined ? "" : `, got "${positionals.join(" ")}"`),
      );
    }
    if (values.quick && values.fast) {
      throw new UsageError("--quick and --fast are two budgets: give one of them");
    }
    const budget: Budget = values.quick ? "quick" : values.fast ? "fast" : "paper";
    await checkWritable(values.out, "reproduce");
    const options = {
      table,
      budget,
      out: values.out,
      tableOnly: values["table-only"],
      ...(values["allow-incomplete"] && { allowIncomplete: true }),
      resume: values.resume,
      ...runnerOptions(values),
      resamples: DEFAULT_RESAMPLES,
      seed: 0,
    };
    let result: ReproduceSummary | undefined;
    const code = options.tableOnly ? undefined : await supervise(
      "reproduce",
      args,
      values.resume,
      async (reporter, signal) => {
        result = await reproduce({ ...options, reporter, signal });
        return result.runs!;
      },
      stopAfterOf(values),
    );
    if (code !== undefined) return code;
    if (result === undefined) {
      const reporter = defaultReporter();
      try {
        result = await reproduce({ ...options, reporter });
      } finally {
        reporter.stop();
      }
    }
    if (result.dir === undefined) {
      console.log(
        `shard ${values.shard} done; merge the shards (deno task merge) and render the table ` +
          `with: deno task reproduce ${table}${budget === "paper" ? "" : ` --${budget}`} ` +
          "--table-only --out MERGED",
      );
      return 0;
    }
    for (const line of result.missing) console.error(`without finished results: ${line}`);
    console.log(`\n${result.markdown}`);
    console.log(`wrote ${TABLE_FILES.md}, ${TABLE_FILES.csv} and the comparison to ${result.dir}`);
    return 0;
  },
};

const validate: Command = {
  usage: "validate FILE|DIR… [--explain]",
  summary: "check experiment files (every .jsonc below a folder) without running anything; " +
    "--explain prints a file's resolved experiment and what it changes from its parent",
  async main(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { explain: { type: "boolean", default: false } },
    });
    if (positionals.length === 0) {
      throw new UsageError("name at least one experiment file or folder");
    }
    if (values.explain) {
      for (const path of positionals) console.log(await explainExperiment(path));
      return 0;
    }
    const files = await experimentFiles(positionals);
    if (files.length === 0) throw new UsageError(`no .jsonc files in ${positionals.join(", ")}`);
    let bad = 0;
    const said = new Set<string>();
    for (const { path, issues, notices } of await validateFiles(files)) {
      // A notice of a file that others extend is said once.
      for (const line of notices.map(formatIssue)) {
        if (!said.has(line)) (said.add(line), console.error(line));
      }
      if (issues.length === 0) console.log(`${path}: ok`);
      else bad++;
      for (const issue of issues) console.error(formatIssue(issue));
    }
    return bad === 0 ? 0 : 1;
  },
};

const merge: Command = {
  usage: "merge DIR… --out DIR [--allow-mixed]",
  summary: "gather the results of shards into one results folder",
  async main(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: "string" }, "allow-mixed": { type: "boolean", default: false } },
    });
    if (positionals.length === 0) throw new UsageError("name at least one results folder");
    if (values.out === undefined) throw new UsageError("--out is required");
    await checkWritable(values.out, "merge");
    const summary = await mergeResults(positionals, values.out, {
      allowMixed: values["allow-mixed"],
    });
    console.log(
      `merged ${summary.copied} runs of ${summary.experiments.join(", ")} into ${values.out}` +
        (summary.duplicates > 0
          ? ` (${summary.duplicates} runs were already there and are left as they were)`
          : ""),
    );
    return 0;
  },
};

const compare: Command = {
  usage: COMPARE_USAGE,
  summary: COMPARE_SUMMARY,
  main: compareCommand,
};

/** Every subcommand by name. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  run,
  validate,
  merge,
  compare,
  reproduce: reproduceCommand,
  serve: { usage: SERVE_USAGE, summary: SERVE_SUMMARY, main: serveCommand },
  report: { usage: REPORT_USAGE, summary: REPORT_SUMMARY, main: reportCommand },
};

function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage}\n      ${c.summary}`);
  return `usage: deno task <command> …\n\ncommands:\n${lines.join("\n")}`;
}

/** Runs the command line `args` (subcommand first); returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    console.error(`unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(`usage: deno task ${command.usage}\n  ${command.summary}`);
    return 0;
  }
  try {
    return await command.main(rest);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && "code" in e)) {
      console.error(`${e.message}\nusage: ${command.usage}`);
      return 2;
    }
    console.error(
      e instanceof ExperimentError ? e.message : `error: ${e instanceof Error ? e.message : e}`,
    );
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
