/**
 * Time to result, in a process of its own: the README main job's RL² agent
 * (experiments/quick/bandits-k5-n10.jsonc, one of its seeds) trained until its mean total reward
 * on the experiment's held-out tasks reaches a target, evaluated as the runner evaluates.
 * Prints one JSON line.
 *
 * `deno run … bench/time_to_result.ts SEED TARGET MAX_ITERATIONS EVERY`
 *
 * @module
 */
import { initBackend } from "../src/backend.ts";
import { Trainer } from "../src/learners/train.ts";
import { resolveLearner } from "../src/learners/registry.ts";
import { createFamily } from "../src/envs/registry.ts";
import { loadExperiment } from "../src/experiment/load.ts";
import { evaluationTasks } from "../src/experiment/evaluation.ts";

/** The experiment whose RL² agent is timed. */
export const MAIN_JOB = new URL("../experiments/quick/bandits-k5-n10.jsonc", import.meta.url);

/** What a time-to-result run prints. */
export interface TimeToResult {
  seed: number;
  target: number;
  /** Whether an evaluation reached the target within the iteration cap. */
  reached: boolean;
  /** Iterations and timesteps trained when the target was first reached (or at the cap). */
  iterations: number;
  timesteps: number;
  /** Seconds spent in training iterations, and wall seconds with the evaluations. */
  trainingSeconds: number;
  wallSeconds: number;
  /** Every evaluation: iteration and mean total reward on the held-out tasks. */
  evaluations: { iteration: number; mean: number }[];
}

const [seed, target, maxIterations, every] = Deno.args.map(Number);
if ([seed, target, maxIterations, every].some((a) => a === undefined || !Number.isFinite(a))) {
  throw new Error("usage: time_to_result.ts SEED TARGET MAX_ITERATIONS EVERY");
}
await initBackend("auto");
const { config } = await loadExperiment(MAIN_JOB.pathname);
const agent = config.agents.rl2;
if (agent?.kind !== "rl2") throw new Error(`${MAIN_JOB.pathname} has no "rl2" agent of kind rl2`);
const family = createFamily(config.task);
const tasks = evaluationTasks(family, config.evaluation);
const { spec, config: learnerConfig } = resolveLearner(agent);
const learner = new Trainer(family, config.task.episodes, spec, learnerConfig, seed!);
const result: TimeToResult = {
  seed: seed!,
  target: target!,
  reached: false,
  iterations: 0,
  timesteps: 0,
  trainingSeconds: 0,
  wallSeconds: 0,
  evaluations: [],
};
const start = performance.now();
while (!result.reached && learner.state.iteration < maxIterations!) {
  const before = performance.now();
  learner.iterate();
  result.trainingSeconds += (performance.now() - before) / 1000;
  if (learner.state.iteration % every! !== 0) continue;
  const { trialReturns: returns } = learner.evaluate(tasks, config.evaluation);
  const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
  result.evaluations.push({ iteration: learner.state.iteration, mean });
  result.reached = mean >= target!;
}
result.iterations = learner.state.iteration;
result.timesteps = learner.state.timesteps;
result.wallSeconds = (performance.now() - start) / 1000;
console.log(JSON.stringify(result));
