/**
 * Runs a classic baseline on a list of tasks: one trial of n episodes per task.
 *
 * @module
 */
import { Rng } from "../rng.ts";
import type { TaskFamily } from "../envs/env.ts";
import type { TrialAgent } from "./agent.ts";

/**
 * Total reward of one trial of `episodes` episodes per task. The randomness of task `i`
 * (environment and agent) comes from `Rng.derive(seed, "trial-agent", stream, i)`, so a task's
 * result does not depend on which other tasks are evaluated, and runs that differ only in
 * `stream` (e.g. their seed) see different draws on the same tasks. When `episodeReturns`
 * (`tasks.length × episodes`) is given, each episode's total reward is written to it too
 * (`[i * episodes + e]`).
 */
export function evaluateTrialAgent<Task>(
  family: TaskFamily<Task>,
  agent: TrialAgent,
  tasks: readonly Task[],
  episodes: number,
  seed: number,
  stream = 0,
  episodeReturns?: Float64Array,
): Float64Array {
  const env = family.createBatch(1);
  const dim = family.obsDim;
  const obs = new Float32Array(dim);
  const action = new Int32Array(1);
  const active = new Uint8Array([1]);
  const reward = new Float32Array(1);
  const done = new Uint8Array(1);
  const returns = new Float64Array(tasks.length);
  for (let i = 0; i < tasks.length; i++) {
    const rng = Rng.derive(seed, "trial-agent", stream, i);
    env.setTask(0, tasks[i]!);
    agent.beginTrial(rng);
    let total = 0;
    for (let ep = 0; ep < episodes; ep++) {
      env.resetEpisode(0, rng);
      let episodeDone = false;
      while (!episodeDone) {
        obs.set(env.obs.subarray(0, dim));
        action[0] = agent.act(obs, rng);
        env.step(action, active, rng, reward, done);
        total += reward[0]!;
        if (episodeReturns !== undefined) episodeReturns[i * episodes + ep]! += reward[0]!;
        episodeDone = done[0] === 1;
        agent.observe(obs, action[0]!, reward[0]!, env.obs.subarray(0, dim), episodeDone);
      }
    }
    returns[i] = total;
  }
  return returns;
}
