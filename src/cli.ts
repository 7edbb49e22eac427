/**
 * The command line of rl2lab: `run`, `validate` and `merge` (the `deno task`s of deno.json call
 * these). A new subcommand is one entry in {@link COMMANDS}.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { type BackendName, BACKENDS } from "./backend.ts";
import { ExperimentError, formatIssue, validateFiles } from "./experiment/load.ts";
import { mergeResults } from "./harness/merge.ts";
import { COMPARE_SUMMARY, COMPARE_USAGE, compareCommand } from "./harness/compare_cli.ts";
import { defaultReporter } from "./harness/progress.ts";
import { DEFAULT_OUT, runExperiments, type RunnerSummary } from "./harness/runner.ts";
import { parseShard } from "./harness/shard.ts";

/** A subcommand: one line of help and what it does with its arguments (the exit code). */
export interface Command {
  /** The command and its arguments, e.g. `merge DIR… --out DIR`. */
  usage: string;
  /** What it does, in one line. */
  summary: string;
  /** Runs it with the arguments after its name; returns the exit code. */
  main(args: string[]): Promise<number>;
}

/** A mistake in the command line itself (shown with the command's usage). */
class UsageError extends Error {}

/** `args` as a shell command line (quoted where needed), for messages users copy. */
function shellJoin(args: readonly string[]): string {
  return args.map((a) => /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)
    .join(" ");
}

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--${name} must be a positive integer, got "${text}"`);
  }
  return n;
}

function backendName(text: string): BackendName {
  if (!(BACKENDS as readonly string[]).includes(text)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(", ")}, got "${text}"`);
  }
  return text as BackendName;
}

/** Stops a run on SIGINT (and SIGTERM): the first signal stops cleanly, a second one at once. */
function stopOnSignals(controller: AbortController, onStop: () => void): () => void {
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  const handler = () => {
    if (controller.signal.aborted) Deno.exit(130);
    controller.abort();
    onStop();
  };
  for (const s of signals) Deno.addSignalListener(s, handler);
  return () => {
    for (const s of signals) Deno.removeSignalListener(s, handler);
  };
}

function summaryLine(summary: RunnerSummary): string {
  const count = (outcome: string) => summary.results.filter((r) => r.outcome === outcome).length;
  const parts = [
    `${count("done")} done`,
    `${count("skipped")} skipped`,
    `${count("failed")} failed`,
  ];
  if (summary.interrupted) {
    parts.push(`${count("interrupted")} stopped`, `${summary.notStarted} not started`);
  }
  return `runs: ${parts.join(", ")}`;
}

const run: Command = {
  usage: "run FILE… [--jobs N] [--shard i/N] [--resume] [--only AGENT] [--backend B] [--out DIR]",
  summary: "train and evaluate every run of experiment files, writing CSVs under --out",
  async main(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        jobs: { type: "string" },
        shard: { type: "string" },
        resume: { type: "boolean", default: false },
        only: { type: "string" },
        backend: { type: "string" },
        out: { type: "string", default: DEFAULT_OUT },
      },
    });
    if (positionals.length === 0) throw new UsageError("name at least one experiment file");
    const reporter = defaultReporter();
    const controller = new AbortController();
    const resumeCommand = `deno task run ${
      shellJoin(values.resume ? args : [...args, "--resume"])
    }`;
    const release = stopOnSignals(
      controller,
      () => reporter.log("stopping: ending the runs (their checkpoints are kept)…"),
    );
    let summary: RunnerSummary;
    try {
      summary = await runExperiments({
        files: positionals,
        ...(values.jobs !== undefined && { jobs: positiveInt("jobs", values.jobs) }),
        ...(values.shard !== undefined && { shard: parseShard(values.shard) }),
        resume: values.resume,
        ...(values.only !== undefined && { only: values.only }),
        ...(values.backend !== undefined && { backend: backendName(values.backend) }),
        out: values.out,
        reporter,
        signal: controller.signal,
      });
    } finally {
      reporter.stop();
      release();
    }
    console.log(summaryLine(summary));
    if (summary.interrupted) {
      console.log(`interrupted; continue with:\n  ${resumeCommand}`);
      return 130;
    }
    const failed = summary.results.filter((r) => r.outcome === "failed");
    for (const f of failed) console.error(`failed: ${f.key} (see ${f.dir})`);
    return failed.length === 0 ? 0 : 1;
  },
};

/** The files named, with every folder replaced by the `.jsonc` files below it (sorted). */
async function experimentFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await Deno.stat(path).catch(() => undefined);
    if (info?.isDirectory !== true) {
      files.push(path);
      continue;
    }
    const found: string[] = [];
    const walk = async (dir: string) => {
      for await (const entry of Deno.readDir(dir)) {
        const child = join(dir, entry.name);
        if (entry.isDirectory) await walk(child);
        else if (entry.name.endsWith(".jsonc")) found.push(child);
      }
    };
    await walk(path);
    files.push(...found.sort());
  }
  return files;
}

const validate: Command = {
  usage: "validate FILE|DIR…",
  summary: "check experiment files (every .jsonc below a folder) without running anything",
  async main(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length === 0) {
      throw new UsageError("name at least one experiment file or folder");
    }
    const files = await experimentFiles(positionals);
    if (files.length === 0) throw new UsageError(`no .jsonc files in ${positionals.join(", ")}`);
    let bad = 0;
    for (const { path, issues } of await validateFiles(files)) {
      if (issues.length === 0) console.log(`${path}: ok`);
      else bad++;
      for (const issue of issues) console.error(formatIssue(issue));
    }
    return bad === 0 ? 0 : 1;
  },
};

const merge: Command = {
  usage: "merge DIR… --out DIR",
  summary: "gather the results of shards into one results folder",
  async main(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: "string" } },
    });
    if (positionals.length === 0) throw new UsageError("name at least one results folder");
    if (values.out === undefined) throw new UsageError("--out is required");
    const summary = await mergeResults(positionals, values.out);
    console.log(
      `merged ${summary.copied} runs of ${summary.experiments.join(", ")} into ${values.out}` +
        (summary.duplicates > 0 ? ` (${summary.duplicates} duplicates skipped)` : ""),
    );
    return 0;
  },
};

const compare: Command = { usage: COMPARE_USAGE, summary: COMPARE_SUMMARY, main: compareCommand };

/** Every subcommand by name. */
export const COMMANDS: Readonly<Record<string, Command>> = { run, validate, merge, compare };

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
