/**
 * The command-line plumbing of the tasks that run experiments (`run`, `reproduce`): their shared
 * options and how they become runner options, stopping on signals, and the summary line.
 *
 * @module
 */
import { type BackendName, BACKENDS } from "../../backend.ts";
import { defaultReporter, type ProgressReporter } from "./progress.ts";
import { DEFAULT_OUT, type RunnerSummary } from "./run_options.ts";
import { parseShard } from "./shard.ts";
import { UsageError } from "../../usage_error.ts";

/** `args` as a shell command line (quoted where needed), for messages users copy. */
export function shellJoin(args: readonly string[]): string {
  return args.map((a) => /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)
    .join(" ");
}

/**
 * The command the user typed (this process's arguments after `deno task`), without the flags of
 * `drop` and ending with those of `add`: what a message tells the user to type next.
 */
export function typedCommand(add: readonly string[], drop: readonly string[] = []): string {
  const args = Deno.args.filter((a) => !add.includes(a) && !drop.includes(a));
  return `deno task ${shellJoin([...args, ...add])}`;
}

/** The value of option `--name` as a positive integer; a usage error otherwise. */
export function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--${name} must be a positive integer, got "${text}"`);
  }
  return n;
}

/**
 * The value of `--stop-after` (`45s`, `90m`, `2h30m`: hours, minutes and seconds, in that order)
 * in milliseconds; a usage error otherwise.
 *
 * @example
 * ```ts
 * import { durationMs } from "./run_cli.ts";
 * if (durationMs("stop-after", "2h30m") !== 9_000_000) throw new Error("2.5 hours");
 * ```
 */
export function durationMs(name: string, text: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  const [hours = "0", minutes = "0", seconds = "0"] = match?.slice(1).map((x) => x ?? "0") ?? [];
  const ms = ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
  if (match === null || !(ms > 0) || !Number.isSafeInteger(ms)) {
    throw new UsageError(
      `--${name} takes a positive duration such as 45s, 90m or 2h30m, got "${text}"`,
    );
  }
  return ms;
}

/** The value of `--backend` as a backend's name; a usage error otherwise. */
export function backendName(text: string): BackendName {
  if (!(BACKENDS as readonly string[]).includes(text)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(", ")}, got "${text}"`);
  }
  return text as BackendName;
}

/**
 * A signal arriving this soon after the first is the same stop said twice, not a second Ctrl-C:
 * `deno task` forwards the signal it receives to its child, which a terminal's Ctrl-C or a
 * scheduler's kill of the process group has already reached.
 */
const REPEATED_SIGNAL_MS = 1000;

/** Stops a run on SIGINT (and SIGTERM): the first signal stops cleanly, a later one at once. */
export function stopOnSignals(controller: AbortController, onStop: () => void): () => void {
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  let first = 0;
  const handler = () => {
    if (controller.signal.aborted) {
      if (performance.now() - first > REPEATED_SIGNAL_MS) Deno.exit(130);
      return;
    }
    first = performance.now();
    controller.abort();
    onStop();
  };
  for (const s of signals) Deno.addSignalListener(s, handler);
  return () => {
    for (const s of signals) Deno.removeSignalListener(s, handler);
  };
}

/** One line counting the runs by how they ended (and those not started after a stop). */
export function summaryLine(summary: RunnerSummary): string {
  const count = (outcome: string) => summary.results.filter((r) => r.outcome === outcome).length;
  const parts = [
    `${count("done")} done`,
    `${count("skipped")} skipped`,
    `${count("failed")} failed`,
  ];
  if (summary.interrupted || count("interrupted") > 0) {
    parts.push(`${count("interrupted")} stopped`);
  }
  if (summary.interrupted) parts.push(`${summary.notStarted} not started`);
  return `runs: ${parts.join(", ")}`;
}

/** The longest delay one timer takes (2³¹ − 1 ms, about 24.8 days); longer ones are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `fn` once `ms` milliseconds have passed, however long that is (a single timer fires at
 * once beyond {@link MAX_TIMER_MS}); returns what cancels it.
 */
export function afterMs(ms: number, fn: () => void): () => void {
  const due = Date.now() + ms;
  let timer: ReturnType<typeof setTimeout>;
  const arm = () => {
    const left = due - Date.now();
    timer = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(fn, Math.max(0, left));
  };
  arm();
  return () => clearTimeout(timer);
}

/** The runner's options every running command shares. */
export const RUN_OPTIONS = {
  jobs: { type: "string" },
  shard: { type: "string" },
  resume: { type: "boolean", default: false },
  fresh: { type: "boolean", default: false },
  backend: { type: "string" },
  threads: { type: "string" },
  only: { type: "string" },
  out: { type: "string", default: DEFAULT_OUT },
  "allow-mixed": { type: "boolean", default: false },
  "stop-after": { type: "string" },
} as const;

/**
 * Runs `execute` with a progress reporter and a signal that SIGINT aborts (and, with
 * `stopAfter`, the end of that many milliseconds: a run sized to a session), prints the summary
 * of the runs, and returns the exit code: 130 when stopped (with the command that resumes),
 * 1 when a run failed, else undefined (all went well).
 */
export async function supervise(
  command: string,
  args: string[],
  resume: boolean,
  execute: (reporter: ProgressReporter, signal: AbortSignal) => Promise<RunnerSummary>,
  stopAfter?: number,
): Promise<number | undefined> {
  const reporter = defaultReporter();
  const controller = new AbortController();
  const resumeCommand = `deno task ${command} ${shellJoin(resume ? args : [...args, "--resume"])}`;
  const stopping = (why: string) =>
    reporter.log(`stopping${why}: ending the runs (their checkpoints are kept)…`);
  const release = stopOnSignals(controller, () => stopping(""));
  const cancelTimer = stopAfter === undefined ? undefined : afterMs(stopAfter, () => {
    if (controller.signal.aborted) return;
    controller.abort();
    stopping(" (--stop-after)");
  });
  let summary: RunnerSummary;
  try {
    summary = await execute(reporter, controller.signal);
  } finally {
    cancelTimer?.();
    reporter.stop();
    release();
  }
  console.log(summaryLine(summary));
  if (summary.interrupted) {
    console.log(`interrupted; continue with:\n  ${resumeCommand}`);
    return 130;
  }
  const failed = summary.results.filter((r) => r.outcome === "failed");
  for (const f of failed) {
    // The reason, when the runner knows it in one line (a full disk, a refused checkpoint).
    const [first = ""] = f.detail.split("\n");
    const reason = first === "" || first.startsWith("worker ended with") ? "" : `: ${first}`;
    console.error(`failed: ${f.key} (see ${f.dir})${reason}`);
  }
  // A worker stopped by a signal that did not reach this runner (killed on its own).
  const stopped = summary.results.filter((r) => r.outcome === "interrupted");
  for (const s of stopped) console.error(`stopped by a signal: ${s.key} (see ${s.dir})`);
  if (stopped.length > 0) console.error(`continue with:\n  ${resumeCommand}`);
  return failed.length + stopped.length === 0 ? undefined : 1;
}

/** The milliseconds of `--stop-after`, when given. */
export function stopAfterOf(values: { "stop-after"?: string | undefined }): number | undefined {
  const text = values["stop-after"];
  return text === undefined ? undefined : durationMs("stop-after", text);
}

/** The agents of `--only a,b`. */
export function agentList(text: string): string[] {
  const names = text.split(",").map((n) => n.trim());
  if (names.some((n) => n === "")) {
    throw new UsageError(`--only takes agent names separated by commas, got "${text}"`);
  }
  return names;
}

/** The runner options of a parsed command line, as {@link runExperiments} takes them. */
export function runnerOptions(values: {
  jobs?: string | undefined;
  shard?: string | undefined;
  backend?: string | undefined;
  threads?: string | undefined;
  only?: string | undefined;
  "allow-mixed"?: boolean | undefined;
  resume?: boolean | undefined;
  fresh?: boolean | undefined;
}) {
  if (values.fresh === true && (values.resume === true || values["allow-mixed"] === true)) {
    throw new UsageError(
      "--fresh starts over (the earlier results are moved aside): it does not go with --resume " +
        "or --allow-mixed, which continue them",
    );
  }
  return {
    ...(values.fresh === true && { fresh: true }),
    ...(values["allow-mixed"] === true && { allowMixed: true }),
    ...(values.only !== undefined && { only: agentList(values.only) }),
    ...(values.jobs !== undefined && { jobs: positiveInt("jobs", values.jobs) }),
    ...(values.shard !== undefined && { shard: parseShard(values.shard) }),
    ...(values.backend !== undefined && { backend: backendName(values.backend) }),
    ...(values.threads !== undefined && { threads: positiveInt("threads", values.threads) }),
  };
}
