/**
 * Synthetic results trees for the comparison tests: the files the runner writes
 * (`experiment.resolved.json`, and per run `manifest.json`, `progress.csv`, `eval.csv`), with
 * returns chosen by the test, so tables can be checked against known answers without training.
 */
import { join } from "node:path";
import { expandRuns, type Run } from "../../src/experiment/expand.ts";
import { type ExperimentConfig, isClassicAgent } from "../../src/experiment/schema.ts";
import { canonicalJson } from "../../src/canonical.ts";
import { validateExperiment } from "../../src/experiment/rules.ts";
import {
  ADAPTATION_COLUMNS,
  EVAL_COLUMNS,
  formatCsv,
  progressColumns,
} from "../../src/harness/run/csv.ts";
import { findLearner } from "../../src/learners/registry.ts";
import {
  type Manifest,
  RESOLVED_FILE,
  RUN_FILES,
  runIdentity,
} from "../../src/harness/run/manifest.ts";
import { sha256Hex } from "../../src/canonical.ts";

/** A bandit experiment with two trained agents and a classic baseline (edit as needed). */
export function banditExperiment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const sampling = { iterations: 4, batch_timesteps: 30 };
  return {
    name: "synthetic",
    task: { kind: "bandit", arms: 3, episodes: 10 },
    seeds: [0, 1, 2],
    agents: {
      rl2: { kind: "rl2", policy: { gru: 4 }, sampling },
      trpo: { kind: "trpo", policy: { mlp: [4] }, sampling },
      ucb1: { kind: "ucb1" },
    },
    baseline: "trpo",
    evaluation: { tasks: 4, every: 2 },
    backend: "cpu",
    ...overrides,
  };
}

/** The resolved config of a raw experiment; throws on an invalid one. */
export function resolve(raw: Record<string, unknown>): ExperimentConfig {
  const check = validateExperiment(raw);
  if (check.config === undefined) throw new Error(JSON.stringify(check.issues));
  return check.config;
}

/** How a synthetic run scores. */
export interface Scores {
  /** The return of `run` on evaluation task `task` after `iteration` iterations. */
  score(run: Run, iteration: number, task: number): number;
  /** Timesteps one iteration of `run` takes (default 30). */
  steps?(run: Run): number;
  /** Leave a run out (no folder), or give it another status. */
  status?(run: Run): Manifest["status"] | "absent";
  /** The mean reward of each episode of the trial at `iteration`, for `adaptation.csv`. */
  episodes?(run: Run, iteration: number): number[];
}

/** The evaluation iterations of a trained run, as the worker makes them. */
export function evaluationIterations(total: number, every: number): number[] {
  const points = every > 0 ? [0] : [];
  for (let i = 1; i <= total; i++) {
    if (i === total || (every > 0 && i % every === 0)) points.push(i);
  }
  return points;
}

/** Writes a results folder `<root>/<name>/…` for a raw experiment; returns the folder. */
export async function writeResults(
  root: string,
  raw: Record<string, unknown>,
  scores: Scores,
): Promise<string> {
  const config = resolve(raw);
  const canonical = canonicalJson(config);
  const dir = join(root, config.name);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, RESOLVED_FILE), `${canonical}\n`);
  const experimentHash = await sha256Hex(canonical);
  for (const run of expandRuns({ config })) {
    const status = scores.status?.(run) ?? "done";
    if (status === "absent") continue;
    const runDir = join(dir, ...run.id.split("/"));
    await Deno.mkdir(runDir, { recursive: true });
    const identity = await runIdentity(config, run);
    const tasks = config.evaluation.tasks;
    const returns = (it: number) =>
      Array.from({ length: tasks }, (_, t) => scores.score(run, it, t));
    const agent = run.agentConfig;
    const iterations = isClassicAgent(agent)
      ? [0]
      : evaluationIterations(agent.sampling.iterations, config.evaluation.every);
    const evalRows = iterations.flatMap((it) =>
      returns(it).map((r, t) => [String(it), String(t), String(r)])
    );
    await Deno.writeTextFile(join(runDir, RUN_FILES.eval), formatCsv(EVAL_COLUMNS, evalRows));
    if (scores.episodes !== undefined) {
      const rows = iterations.flatMap((it) =>
        scores.episodes!(run, it).map((r, e) => [String(it), String(e + 1), String(r)])
      );
      await Deno.writeTextFile(
        join(runDir, RUN_FILES.adaptation),
        formatCsv(ADAPTATION_COLUMNS, rows),
      );
    }
    if (!isClassicAgent(agent)) {
      const steps = scores.steps?.(run) ?? 30;
      const columns = progressColumns(findLearner(agent.kind)!.diagnostics);
      const progress = Array.from({ length: agent.sampling.iterations }, (_, k) => {
        const it = k + 1;
        const r = returns(it);
        const mean = r.reduce((a, b) => a + b, 0) / r.length;
        const known: Record<string, number> = {
          iteration: it,
          timesteps: it * steps,
          return_mean: mean,
          seconds: 0.5 * it,
        };
        return columns.map((column) => String(known[column] ?? 0));
      });
      await Deno.writeTextFile(join(runDir, RUN_FILES.progress), formatCsv(columns, progress));
    }
    const manifest = {
      experiment: config.name,
      run: run.id,
      experiment_hash: experimentHash,
      config_hash: identity.hash,
      config: identity.config,
      seed: run.seed,
      status,
      started: "2000-01-01T00:00:00.000Z",
      resumed: [],
      ended: "2000-01-01T00:00:01.000Z",
      git: null,
      lock_hash: null,
      cores: 1,
    };
    await Deno.writeTextFile(join(runDir, RUN_FILES.manifest), JSON.stringify(manifest));
  }
  return dir;
}

/** A temporary folder removed when the test module ends. */
export function tempDir(): string {
  const dir = Deno.makeTempDirSync({ prefix: "rl2lab-compare-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  return dir;
}
