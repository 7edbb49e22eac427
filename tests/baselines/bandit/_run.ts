/**
 * Test helpers: run a bandit baseline on tasks and summarise the returns; exact references on
 * arms (1, 0) for Thompson sampling.
 *
 * @module
 */
import { banditFamily, type BanditTask } from "../../../src/envs/bandit.ts";
import { evaluateTrialAgent } from "../../../src/baselines/evaluate.ts";
import type { BaselineSpec } from "../../../src/baselines/agent.ts";
import { Rng } from "../../../src/rng.ts";

/** Mean and standard error of trial returns. */
export interface Summary {
  readonly returns: Float64Array;
  readonly mean: number;
  readonly se: number;
}

/** `count` copies of the task with arm means `p`. */
export function fixedTasks(p: readonly number[], count: number): BanditTask[] {
  return Array.from({ length: count }, () => ({ p: Float64Array.from(p) }));
}

/** `count` tasks of k arms drawn from the paper's distribution with `seed`. */
export function sampledTasks(arms: number, count: number, seed: number): BanditTask[] {
  const family = banditFamily({ arms });
  const rng = Rng.derive(seed, "bandit-test-tasks");
  return Array.from({ length: count }, () => family.sampleTask(rng));
}

/** Returns of `spec` (params parsed from `params`) over `tasks`, n pulls each. */
export function runBaseline(
  spec: BaselineSpec,
  params: Record<string, unknown>,
  tasks: readonly BanditTask[],
  episodes: number,
  seed = 7,
): Summary {
  const family = banditFamily({ arms: tasks[0]!.p.length });
  const agent = spec.create(spec.params.parse(params), family, episodes);
  const returns = evaluateTrialAgent(family, agent, tasks, episodes, seed);
  let mean = 0;
  for (const r of returns) mean += r / returns.length;
  let ss = 0;
  for (const r of returns) ss += (r - mean) ** 2;
  return { returns, mean, se: Math.sqrt(ss / (returns.length - 1) / returns.length) };
}

/**
 * Exact expected return of Thompson sampling on arms (1, 0) over n pulls. After s successes on
 * arm 0 and f failures on arm 1 the posteriors are Beta(1+s, 1) and Beta(1, 1+f), and
 * P(draw 1 > draw 0) = ∫ (1+s) y^s (1−y)^(1+f) dy = (s+1)! (f+1)! / (s+f+2)! = 1 / C(s+f+2, s+1).
 * A dynamic program over s gives the expected number of arm-0 pulls.
 */
export function thompsonOnOneZero(n: number): number {
  const binomial = (m: number, r: number) => {
    let v = 1;
    for (let i = 1; i <= r; i++) v = v * (m - r + i) / i;
    return v;
  };
  let dist = [1];
  let total = 0;
  for (let t = 0; t < n; t++) {
    const next = new Array(t + 2).fill(0);
    for (let s = 0; s <= t; s++) {
      const wrong = 1 / binomial(t + 2, s + 1);
      total += dist[s]! * (1 - wrong);
      next[s + 1] += dist[s]! * (1 - wrong);
      next[s] += dist[s]! * wrong;
    }
    dist = next;
  }
  return total;
}

/** How often `spec` pulls arm 1 when arm 0 has paid once (Beta(2,1)) and arm 1 is untried. */
export function secondArmRate(spec: BaselineSpec, params: object, draws: number): number {
  const family = banditFamily({ arms: 2 });
  const agent = spec.create(spec.params.parse(params), family, 10);
  const obs = new Float32Array(1);
  let ones = 0;
  for (let i = 0; i < draws; i++) {
    const rng = Rng.derive(i, "second-arm-rate");
    agent.beginTrial(rng);
    agent.observe(obs, 0, 1, obs, true);
    ones += agent.act(obs, rng);
  }
  return ones / draws;
}
