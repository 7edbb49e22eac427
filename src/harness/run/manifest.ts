/**
 * The identity and provenance of a run: the resolved config that determines its numbers and
 * that config's hash, and `manifest.json`, which records the config with where, when and with
 * what software the run was made.
 *
 * @module
 */
import { join } from "node:path";
import type { BackendName } from "../../backend.ts";
import type { Experiment } from "../../experiment/load.ts";
import type { Run } from "../../experiment/expand.ts";
import type { ExperimentConfig } from "../../experiment/schema.ts";
import { renameRunConfig } from "../../experiment/renamed_results.ts";
import { finetuned } from "../../experiment/support.ts";
import { canonicalJson } from "../../canonical.ts";
import { writeFileAtomic } from "./atomic.ts";
import { isDiskFull } from "./disk.ts";
import { openNoFollow } from "./nofollow.ts";
import { sha256Hex } from "../../canonical.ts";
import { PROJECT_ROOT } from "../../project.ts";
import { readIfExists } from "./missing.ts";

/** The experiment with its backend replaced (the `--backend` flag), canonical text and hash redone. */
export async function withBackend(
  experiment: Experiment,
  backend: BackendName | undefined,
): Promise<Experiment> {
  if (backend === undefined || backend === experiment.config.backend) return experiment;
  const config: ExperimentConfig = { ...experiment.config, backend };
  const canonical = canonicalJson(config);
  return { ...experiment, config, canonical, hash: await sha256Hex(canonical) };
}

/** Everything that determines a run's numbers. */
export interface RunConfig {
  /** The task distribution. */
  task: ExperimentConfig["task"];
  /** The agent's name. */
  agent: string;
  /** The agent's resolved config, ablation overrides applied. */
  agent_config: Run["agentConfig"];
  /** The ablation overrides (empty without ablations). */
  ablation: Run["point"];
  /** The run's seed. */
  seed: number;
  /** The evaluation protocol. */
  evaluation: ExperimentConfig["evaluation"];
  /** The backend asked for. */
  backend: BackendName;
}

/** A run's config and its hash (SHA-256 of the config's canonical JSON). */
export interface RunIdentity {
  /** Everything that determines the run's numbers. */
  config: RunConfig;
  /** SHA-256 of the config's canonical JSON. */
  hash: string;
}

/**
 * The config of `run` in `experiment`, and its hash. Its evaluation protocol is the
 * experiment's, without `finetune` for an agent fine-tuning does not evaluate.
 */
export async function runIdentity(experiment: ExperimentConfig, run: Run): Promise<RunIdentity> {
  const { finetune, ...evaluation } = experiment.evaluation;
  const config: RunConfig = {
    task: experiment.task,
    agent: run.agent,
    agent_config: run.agentConfig,
    ablation: run.point,
    seed: run.seed,
    evaluation: finetune !== undefined && finetuned(run.agentConfig, experiment.task)
      ? { ...evaluation, finetune }
      : evaluation,
    backend: experiment.backend,
  };
  return { config, hash: await sha256Hex(canonicalJson(config)) };
}

/**
 * The identity of the run a manifest records, in today's spelling: its config with every
 * renamed or moved setting read as experiment files now write it (`renames.ts`), and that
 * config's hash; the recorded config and hash when nothing in it changed, or when the recorded
 * config is not what the recorded hash was made from. A run made before a setting changed its
 * spelling is the run an experiment now describes when their identities agree; its files are
 * left as they were written.
 */
export async function recordedIdentity(manifest: Manifest): Promise<RunIdentity> {
  const recorded = { config: manifest.config, hash: manifest.config_hash };
  const config = renameRunConfig(manifest.config);
  if (config === manifest.config) return recorded;
  if (await sha256Hex(canonicalJson(manifest.config)) !== manifest.config_hash) return recorded;
  return { config, hash: await sha256Hex(canonicalJson(config)) };
}

/** The repository's commit and whether the work tree had changes, or null outside git. */
export interface GitState {
  /** `HEAD`'s commit hash. */
  commit: string;
  /**
   * True when files outside `results/` differ from the commit (or untracked ones exist there):
   * the code and experiment files, not the results that runs write while they train.
   */
  dirty: boolean;
}

async function git(root: string, args: string[]): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("git", { args, cwd: root, stdout: "piped", stderr: "null" })
      .output();
    return out.success ? new TextDecoder().decode(out.stdout) : undefined;
  } catch {
    return undefined;
  }
}

/** The folder runs write into, left out of the dirty flag (see {@link GitState}). */
const RESULTS = "results";

/** The git state of the project at `root`; null when git is missing, not allowed, or no repo. */
export async function gitState(root: string): Promise<GitState | null> {
  const commit = await git(root, ["rev-parse", "HEAD"]);
  const status = await git(root, ["status", "--porcelain", "--", ".", `:(exclude)${RESULTS}`]);
  if (commit === undefined || status === undefined) return null;
  return { commit: commit.trim(), dirty: status.trim() !== "" };
}

/** A warning a run gave at one iteration. */
export interface RunWarning {
  /** The iteration it was given at. */
  iteration: number;
  /** What it says. */
  message: string;
}

/** One attempt at a run (its first start, or a `--resume`). */
export interface RunAttempt {
  /** When it started (ISO time). */
  started: string;
  /** The code it ran, null outside git. */
  git: GitState | null;
  /** The checkpoint's iteration it continued from (absent for a start from nothing). */
  from_iteration?: number;
  /** True when it continued a checkpoint written by another commit. */
  mixed?: boolean;
  /** The iterations the run was made for before this attempt gave it more (`lengthen.ts`). */
  lengthened_from?: number;
}

/** Where a run is in its life. */
export type RunStatus = "running" | "done" | "failed" | "interrupted";

/** The contents of a run's `manifest.json`. */
export interface Manifest {
  /** The experiment's name. */
  experiment: string;
  /** The run's id. */
  run: string;
  /** SHA-256 of the resolved experiment (`experiment.resolved.json`). */
  experiment_hash: string;
  /** SHA-256 of {@link config}'s canonical JSON. */
  config_hash: string;
  /** Everything that determines the run's numbers. */
  config: RunConfig;
  /** The run's seed. */
  seed: number;
  /** Where the run is. */
  status: RunStatus;
  /** Why the run failed, for status `failed`. */
  error?: string;
  /** When the run first started (ISO time). */
  started: string;
  /** Times the run was continued from a checkpoint. */
  resumed: string[];
  /** When it ended, null while running. */
  ended: string | null;
  /** The project's commit (of the latest attempt), null outside git. */
  git: GitState | null;
  /**
   * Every attempt at the run, first to latest: when it started, the code it ran, the
   * checkpoint iteration it continued from, and `mixed` when it continued a checkpoint of
   * another commit (`--allow-mixed`). Absent in manifests written before it existed.
   */
  attempts?: RunAttempt[];
  /** Deno, V8 and TypeScript versions. */
  deno: typeof Deno.version;
  /** The tfjs version, the backend asked for and the one actually used. */
  tfjs: { version: string; backend_requested: BackendName; backend: string };
  /**
   * The compute backend that ran the kernels: its name, the version of its library (ONNX
   * Runtime or tfjs) and its intra-op threads. Absent in manifests written before it existed.
   */
  compute?: { backend: string; version: string; threads: number };
  /** SHA-256 of `deno.lock`. */
  lock_hash: string | null;
  /** Logical cores of the machine. */
  cores: number;
  /** Warnings said during the run (e.g. no policy update accepted for many iterations). */
  warnings?: RunWarning[];
  /** A tuned classic baseline's chosen hyperparameters (the grid's scores are in `tuning.csv`). */
  tuned?: Record<string, unknown>;
}

/** The code that made a run: its commit, with " (dirty)" for a changed work tree. */
export function codeVersion(m: Manifest): string {
  if (m.git === null || m.git === undefined) return "unknown";
  return m.git.dirty ? `${m.git.commit} (dirty)` : m.git.commit;
}

/** File name of the manifest inside a run's folder. */
export const MANIFEST_FILE = "manifest.json";

/**
 * The manifest of the run folder `dir`, or undefined when it has none; read with `read` (which
 * gives undefined for a missing file), by default a plain read.
 */
export async function readManifest(
  dir: string,
  read: (path: string) => Promise<string | undefined> = readIfExists,
): Promise<Manifest | undefined> {
  const path = join(dir, MANIFEST_FILE);
  let data: unknown;
  try {
    const text = await read(path);
    if (text === undefined) return undefined;
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`cannot read ${path}: ${e instanceof Error ? e.message : e}`);
  }
  const problem = manifestProblem(data);
  if (problem !== undefined) {
    throw new Error(
      `${path} is not a run manifest (${problem}); restore it, or remove the run's folder ` +
        "and run it again",
    );
  }
  return data as Manifest;
}

const STATUSES: readonly string[] = ["running", "done", "failed", "interrupted"];

/**
 * What makes `data` unusable as a manifest, or undefined: the fields the runner, `merge` and
 * `compare` rely on must be there with their types.
 *
 * @example
 * ```ts
 * import { manifestProblem } from "./manifest.ts";
 * if (manifestProblem(null) !== "expected a JSON object, got null") throw new Error("null");
 * ```
 */
export function manifestProblem(data: unknown): string | undefined {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return `expected a JSON object, got ${
      data === null ? "null" : Array.isArray(data) ? "an array" : typeof data
    }`;
  }
  const m = data as Record<string, unknown>;
  const wrong: string[] = [];
  for (const field of ["experiment", "run", "experiment_hash", "config_hash", "started"]) {
    if (typeof m[field] !== "string") wrong.push(`${field} (a string)`);
  }
  if (typeof m.status !== "string" || !STATUSES.includes(m.status)) {
    wrong.push(`status (one of ${STATUSES.join(", ")})`);
  }
  if (typeof m.config !== "object" || m.config === null) wrong.push("config (an object)");
  if (typeof m.seed !== "number") wrong.push("seed (a number)");
  if (!Array.isArray(m.resumed)) wrong.push("resumed (a list)");
  if (m.git !== null && (typeof m.git !== "object" || Array.isArray(m.git))) {
    wrong.push("git (an object or null)");
  }
  return wrong.length === 0 ? undefined : `missing or mistyped: ${wrong.join(", ")}`;
}

/** Writes the manifest of the run folder `dir` atomically. */
export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n");
}

/**
 * Writes the manifest of a run that ended badly: atomically when it can, else (a full disk has
 * no room for the temporary copy) in place, over the old manifest's own space, so that the
 * manifest never keeps saying `running` for a run that has ended.
 */
export async function writeFinalManifest(dir: string, manifest: Manifest): Promise<void> {
  try {
    await writeManifest(dir, manifest);
  } catch (e) {
    if (!isDiskFull(e)) throw e;
    const path = join(dir, MANIFEST_FILE);
    const file = await openNoFollow(path, { write: true });
    try {
      await file.truncate(0);
      const bytes = new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n");
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      await file.sync();
    } finally {
      file.close();
    }
  }
}

/** SHA-256 of the project's `deno.lock`, or null when there is none. */
export async function lockHash(): Promise<string | null> {
  try {
    return await sha256Hex(await Deno.readFile(join(PROJECT_ROOT, "deno.lock")));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** File name of the resolved experiment (canonical JSON) in an experiment's results folder. */
export const RESOLVED_FILE = "experiment.resolved.json";

/** The files of a run's folder. */
export const RUN_FILES = {
  manifest: MANIFEST_FILE,
  progress: "progress.csv",
  eval: "eval.csv",
  adaptation: "adaptation.csv",
  checkpoint: "checkpoint.json",
  tuning: "tuning.csv",
  log: "log.txt",
} as const;
