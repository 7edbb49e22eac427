/**
 * The experiment runner: loads experiment files, expands them into runs, picks this shard's
 * runs, and executes each in its own `deno run --frozen --cached-only` subprocess
 * (`worker.ts`) with narrow permissions, `jobs` at a time. A failed run is reported with the
 * end of its log and does not stop the others. Results go to `<out>/<experiment>/<run id>/`,
 * beside `<out>/<experiment>/experiment.resolved.json`; each experiment folder is locked while
 * the runner writes to it.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { removeStaleTemps } from "./atomic.ts";
import { removeDeadTemps } from "./dead_temps.ts";
import { checkIdle, moveAside } from "./fresh.ts";
import { acquireLock, BUSY_EXIT, type FolderLock } from "./lock.ts";
import {
  type GitState,
  gitState,
  type Manifest,
  readManifest,
  RUN_FILES,
  writeFinalManifest,
} from "./manifest.ts";
import { PROJECT_ROOT } from "../../project.ts";
import { formatReturn, parseEvent, type ProgressReporter } from "./progress.ts";
import { loadAll, type Plan, plan, selectRuns } from "./plan.ts";
import {
  DEFAULT_OUT,
  type Job,
  type RunnerSummary,
  type RunOptions,
  type RunResult,
} from "./run_options.ts";
import { writeProblem } from "./writable.ts";
import { formatIssue } from "../../experiment/source.ts";
import { appendNoFollow } from "./nofollow.ts";
import { diskFullMessage, isDiskFull } from "./disk.ts";

/** Lines of a failed run's `log.txt` shown in its report. */
const LOG_TAIL_LINES = 20;

/** A path for a permission flag: Deno splits flag values on commas and has no escape. */
function permissionPath(path: string): string {
  let p = path;
  while (p.includes(",")) p = dirname(p);
  return p;
}

/**
 * This Deno's executable, or `deno` from PATH when only that is allowed (`--allow-run=deno`
 * grants the PATH entry, which may be a symlink to {@link Deno.execPath}).
 */
export function denoExecutable(): string {
  const exec = Deno.execPath();
  return Deno.permissions.querySync({ name: "run", command: exec }).state === "granted"
    ? exec
    : "deno";
}

/** The worker subprocess of one run (not yet spawned). */
export function workerCommand(
  job: Pick<
    Job,
    "experiment" | "run" | "dir" | "configHash" | "resume" | "threads" | "allowMixed"
  >,
  git: GitState | null,
): Deno.Command {
  const experimentFile = resolve(job.experiment.path);
  const dir = resolve(job.dir);
  const reads = [PROJECT_ROOT, experimentFile, dir].map(permissionPath);
  const args = [
    "run",
    "--frozen",
    "--cached-only",
    "--no-prompt",
    `--config=${join(PROJECT_ROOT, "deno.json")}`,
    `--allow-read=${reads.join(",")}`,
    `--allow-write=${permissionPath(dir)}`,
    // Loading ONNX Runtime's native addon (from the project's node_modules).
    `--allow-ffi=${permissionPath(join(PROJECT_ROOT, "node_modules"))}`,
    join(PROJECT_ROOT, "src/harness/run/worker.ts"),
    "--experiment",
    experimentFile,
    "--run",
    job.run.id,
    "--dir",
    dir,
    "--config-hash",
    job.configHash,
    "--backend",
    job.experiment.config.backend,
    "--threads",
    String(job.threads ?? 1),
    "--git",
    JSON.stringify(git),
    ...(job.resume ? ["--resume"] : []),
    ...(job.allowMixed === true ? ["--allow-mixed"] : []),
  ];
  return new Deno.Command(denoExecutable(), {
    args,
    cwd: PROJECT_ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/** Splits a byte stream into lines. */
async function forEachLine(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void) {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      onLine(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
  }
  if (buffer !== "") onLine(buffer);
}

async function logTail(dir: string): Promise<string> {
  const path = join(dir, RUN_FILES.log);
  // A log.txt that is a link is not the run's log: nothing of its target is shown.
  if ((await Deno.lstat(path).catch(() => undefined))?.isSymlink) return "";
  const text = await Deno.readTextFile(path).catch(() => "");
  // A stack trace stays in the log: the console gets its first line and where to find it.
  const frame = /^\s+at /;
  const lines = text.trimEnd().split("\n").filter((line, i, all) =>
    !frame.test(line) || !frame.test(all[i - 1] ?? "")
  ).map((line) => frame.test(line) ? `(stack trace in ${path})` : line);
  return lines.slice(-LOG_TAIL_LINES).map((line) => `    ${line}`).join("\n");
}

/** Marks a manifest still saying "running" after its worker ended. */
async function settleManifest(dir: string, status: Manifest["status"], error: string) {
  const manifest = await readManifest(dir).catch(() => undefined);
  if (manifest?.status !== "running") return;
  await writeFinalManifest(dir, {
    ...manifest,
    status,
    ...(status === "failed" && { error }),
    ended: new Date().toISOString(),
  });
}

/** Sends SIGTERM to a worker, which may have ended already (a process group's kill reached it). */
function stopChild(child: Deno.ChildProcess): void {
  try {
    child.kill("SIGTERM");
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
  }
}

/** Notices already shown (each worker of a run may report the same one). */
const shownNotes = new Set<string>();

/**
 * Runs one job's worker to its end. Never throws: a run that cannot be started or reported
 * (a full disk, a link in its folder) is a failed run, and the other runs go on.
 */
async function execute(
  job: Job,
  git: GitState | null,
  reporter: ProgressReporter,
  children: Set<Deno.ChildProcess>,
  stopped: () => boolean,
): Promise<RunResult> {
  try {
    return await executeWorker(job, git, reporter, children, stopped);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const error = isDiskFull(e) ? diskFullMessage(job.dir, message) : message;
    await removeStaleTemps(job.dir).catch(() => {});
    await settleManifest(job.dir, "failed", error).catch(() => {});
    return { key: job.key, dir: job.dir, outcome: "failed", detail: error };
  }
}

/**
 * The result of a worker refused because another live process (a worker left running by a
 * killed runner) holds its run, else undefined: that run's manifest and temporary files are the
 * other process's, never touched here.
 */
function busyResult(job: Job, status: Deno.CommandStatus, errors: string): RunResult | undefined {
  if (status.code !== BUSY_EXIT || status.signal !== null) return undefined;
  const said = errors.split("\n").find((line) => /^run .* failed: /.test(line)) ?? "";
  return {
    key: job.key,
    dir: job.dir,
    outcome: "failed",
    detail: said.replace(/^run .*? failed: /, ""),
  };
}

async function executeWorker(
  job: Job,
  git: GitState | null,
  reporter: ProgressReporter,
  children: Set<Deno.ChildProcess>,
  stopped: () => boolean,
): Promise<RunResult> {
  const started = performance.now();
  await Deno.mkdir(job.dir, { recursive: true });
  const child = workerCommand(job, git).spawn();
  children.add(child);
  if (stopped()) stopChild(child);
  const stray: string[] = [];
  let lastMean: number | null | undefined;
  let warnings = 0;
  const stdout = forEachLine(child.stdout, (line) => {
    const event = parseEvent(line);
    if (event === undefined) {
      if (line.trim() !== "") stray.push(line);
      return;
    }
    if (event.event === "evaluation") lastMean = event.mean;
    if (event.event === "warning") warnings++;
    if (event.event !== "note") reporter.event(job.key, event);
    else if (!shownNotes.has(event.text)) (shownNotes.add(event.text), reporter.log(event.text));
  });
  const stderr = new Response(child.stderr).text();
  const [status, , errors] = await Promise.all([child.status, stdout, stderr]);
  children.delete(child);
  const busy = busyResult(job, status, errors);
  if (busy !== undefined) return busy;
  const output = [...stray, errors.trimEnd()].filter((s) => s !== "").join("\n");
  // The worker's own last lines, shown when its log cannot be written or read.
  let unlogged = "";
  if (output !== "") {
    await appendNoFollow(join(job.dir, RUN_FILES.log), `worker output:\n${output}\n`).catch(
      (e) => {
        unlogged = `\n    ${output.split("\n").join("\n    ")}\n    (not added to the log: ${
          e instanceof Error ? e.message : e
        })`;
      },
    );
  }
  const seconds = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  if (status.success) {
    const mean = lastMean === undefined ? "" : `, final mean return ${formatReturn(lastMean)}`;
    const warned = warnings === 0
      ? ""
      : `, ${warnings} warning${warnings > 1 ? "s" : ""} (see ${RUN_FILES.log})`;
    return { key: job.key, dir: job.dir, outcome: "done", detail: `${seconds}${mean}${warned}` };
  }
  const how = status.signal === null ? `exit code ${status.code}` : `signal ${status.signal}`;
  // A Ctrl-C, or a scheduler's SIGTERM to the whole process group, reaches the workers too,
  // maybe before the runner's own handler has run.
  if (stopped() || status.signal === "SIGINT" || status.signal === "SIGTERM") {
    await settleManifest(job.dir, "interrupted", how);
    return { key: job.key, dir: job.dir, outcome: "interrupted", detail: "stopped" };
  }
  // A worker that could not mark its manifest (a full disk) leaves it to the runner.
  const said = errors.split("\n").find((line) => /^run .* failed: /.test(line));
  const reason = said?.replace(/^run .*? failed: /, "") ?? `worker ended with ${how}`;
  let settled = "";
  await settleManifest(job.dir, "failed", reason).catch((e) => {
    settled = `\n    (cannot mark its manifest failed: ${e instanceof Error ? e.message : e})`;
  });
  await removeStaleTemps(job.dir).catch(() => {});
  const log = join(job.dir, RUN_FILES.log);
  return {
    key: job.key,
    dir: job.dir,
    outcome: "failed",
    detail: `${said === undefined ? "" : `${reason}\n`}worker ended with ${how}; end of ${log}:\n` +
      `${await logTail(job.dir)}${unlogged}${settled}`,
  };
}

/** Runs `jobs` with at most `width` at a time, until done or stopped. */
async function pool(
  jobs: readonly Job[],
  width: number,
  git: GitState | null,
  options: RunOptions,
): Promise<{ results: RunResult[]; notStarted: number }> {
  const children = new Set<Deno.ChildProcess>();
  const stopped = () => options.signal?.aborted === true;
  const stopAll = () => {
    for (const child of children) stopChild(child);
  };
  options.signal?.addEventListener("abort", stopAll);
  let next = 0;
  const results = new Map<Job, RunResult>();
  const lane = async () => {
    for (let job = jobs[next++]; job !== undefined && !stopped(); job = jobs[next++]) {
      const result = await execute(job, git, options.reporter, children, stopped);
      options.reporter.finish(result.key, result.outcome, result.detail);
      results.set(job, result);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, lane));
  } finally {
    options.signal?.removeEventListener("abort", stopAll);
  }
  return {
    results: jobs.flatMap((job) => results.get(job) ?? []),
    notStarted: jobs.length - results.size,
  };
}

/** Moves the experiment folders of `dirs` that exist aside (`--fresh`), once none is in use. */
async function startOver(dirs: readonly string[], reporter: ProgressReporter): Promise<void> {
  for (const dir of dirs) {
    const problem = await writeProblem(dir);
    if (problem !== undefined) throw new Error(`cannot write results: ${problem}`);
    await checkIdle(dir);
  }
  for (const dir of dirs) {
    const backup = await moveAside(dir);
    if (backup !== undefined) {
      reporter.log(`--fresh: moved the earlier results in ${dir} to ${backup}`);
    }
  }
}

/**
 * Runs experiment files. Throws before writing anything when a file is rejected, when
 * `--only` names no agent, when a results folder is locked by another runner, or when it holds
 * results that do not match; otherwise every run is attempted and reported in the summary.
 * Stopped (the signal) while it plans, it writes nothing and starts no run.
 */
export async function runExperiments(options: RunOptions): Promise<RunnerSummary> {
  const experiments = await loadAll(options.files, options.backend);
  // What the files write under an older name: once per file (parents are shared), before work.
  const notices = new Set(experiments.flatMap((e) => e.notices.map(formatIssue)));
  for (const line of notices) (options.notice ?? console.error)(line);
  const selected = selectRuns(experiments, options);
  const out = options.out ?? DEFAULT_OUT;
  const width = Math.max(1, options.jobs ?? navigator.hardwareConcurrency);
  const stopped = () => options.signal?.aborted === true;
  const unstarted = { results: [], notStarted: selected.length, interrupted: true };
  const byExperiment = Map.groupBy(selected, (s) => s.experiment);
  const chosen = experiments.filter((e) => byExperiment.has(e));
  const locks: FolderLock[] = [];
  try {
    // The commit a continued checkpoint must match; the state the runs record comes after the
    // resolved experiments are written.
    const code = await gitState(PROJECT_ROOT);
    const dirs = chosen.map((e) => join(out, e.config.name));
    if (options.fresh === true) await startOver(dirs, options.reporter);
    const plans: Plan[] = [];
    for (const [i, experiment] of chosen.entries()) {
      if (stopped()) return unstarted;
      const dir = dirs[i]!;
      const problem = await writeProblem(dir);
      if (problem !== undefined) throw new Error(`cannot write results: ${problem}`);
      locks.push(await acquireLock(dir));
      await removeDeadTemps(dir);
      plans.push(
        await plan(experiment, dir, byExperiment.get(experiment)!, {
          resume: options.resume === true,
          allowMixed: options.allowMixed === true,
          git: code,
          ...(options.signal !== undefined && { signal: options.signal }),
        }),
      );
    }
    if (stopped()) return unstarted;
    for (const p of plans) await p.writeResolved?.();
    const jobs = plans.flatMap((p) => p.jobs).map((j) => ({
      ...j,
      threads: options.threads,
      ...(options.allowMixed === true && { allowMixed: true }),
    }));
    const skipped = plans.flatMap((p) => p.skipped);
    for (const s of skipped) options.reporter.finish(s.key, s.outcome, s.detail);
    const git = jobs.length === 0 ? null : await gitState(PROJECT_ROOT);
    const { results, notStarted } = await pool(jobs, width, git, options);
    const order = new Map(selected.map((s, i) => [s.key, i]));
    return {
      results: [...skipped, ...results].sort((a, b) => order.get(a.key)! - order.get(b.key)!),
      notStarted,
      interrupted: stopped(),
    };
  } catch (e) {
    // Before any run started (the lock, the resolved experiment): the file and what to do.
    if (!isDiskFull(e) || !(e instanceof Error)) throw e;
    throw new Error(diskFullMessage(out, e.message));
  } finally {
    for (const lock of locks) await lock.release();
  }
}
