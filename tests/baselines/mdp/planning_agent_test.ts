import assert from "node:assert/strict";
import { Rng } from "../../../src/rng.ts";
import { tabularMdpFamily } from "../../../src/envs/tabular_mdp.ts";
import { evaluateTrialAgent } from "../../../src/baselines/evaluate.ts";
import { planningAgent } from "../../../src/baselines/mdp/planning_agent.ts";
import { TABULARL_PRIOR } from "../../../src/baselines/mdp/posterior.ts";

const S = 4, A = 3, H = 5;
const family = tabularMdpFamily({
  states: S,
  actions: A,
  horizon: H,
  reward_mean_prior: { mean: 1, std: 1 },
  reward_std: 1,
  dirichlet_alpha: 1,
});

/** Runs one trial of `episodes` episodes on a fresh task; returns the actions taken, in order. */
function runTrial(agent: ReturnType<typeof planningAgent>, episodes: number, seed: number) {
  const rng = Rng.derive(seed, "planning-agent-test");
  const env = family.createBatch(1);
  env.setTask(0, family.sampleTask(rng));
  agent.beginTrial(rng);
  const actions: number[] = [];
  const states: number[] = [];
  const act = new Int32Array(1), reward = new Float32Array(1), done = new Uint8Array(1);
  for (let ep = 0; ep < episodes; ep++) {
    env.resetEpisode(0, rng);
    do {
      const obs = env.obs.slice(0, S);
      states.push(obs.indexOf(1));
      act[0] = agent.act(obs, rng);
      actions.push(act[0]);
      env.step(act, new Uint8Array([1]), rng, reward, done);
      agent.observe(obs, act[0], reward[0]!, env.obs.slice(0, S), done[0] === 1);
    } while (done[0] !== 1);
  }
  return { actions, states };
}

Deno.test("planningAgent replans at each episode start and skips the last transition", () => {
  const calls: { episode: number; transitions: number; rewards: number }[] = [];
  const agent = planningAgent(family, TABULARL_PRIOR, (posterior, episode) => {
    let transitions = 0, rewards = 0;
    for (let sa = 0; sa < S * A; sa++) {
      transitions += posterior.transitionCount[sa]!;
      rewards += posterior.rewardCount[sa]!;
    }
    calls.push({ episode, transitions, rewards });
    return new Float64Array(H * S * A);
  }, 0);
  for (const trial of [0, 1]) {
    calls.length = 0;
    runTrial(agent, 4, trial);
    assert.deepEqual(
      calls,
      [0, 1, 2, 3].map((k) => ({
        episode: k + 1,
        transitions: k * (H - 1),
        rewards: k * H,
      })),
    );
  }
});

Deno.test("planningAgent reads the Q row of the current step and state", () => {
  // Q prefers action (h + s) mod A at step h in state s.
  const q = new Float64Array(H * S * A);
  for (let h = 0; h < H; h++) for (let s = 0; s < S; s++) q[(h * S + s) * A + ((h + s) % A)] = 1;
  const agent = planningAgent(family, TABULARL_PRIOR, () => q, 0);
  const { actions, states } = runTrial(agent, 3, 2);
  actions.forEach((a, i) => assert.equal(a, ((i % H) + states[i]!) % A));
});

Deno.test("planningAgent breaks ties uniformly and explores with probability epsilon", () => {
  const ties = new Float64Array(H * S * A);
  const greedyQ = new Float64Array(H * S * A);
  for (let i = 0; i < greedyQ.length; i += A) greedyQ[i] = 1;
  for (const [q, epsilon, pZero] of [[ties, 0, 1 / A], [greedyQ, 0.3, 0.7 + 0.3 / A]] as const) {
    const agent = planningAgent(family, TABULARL_PRIOR, () => q, epsilon);
    const { actions } = runTrial(agent, 2000, 3);
    const zero = actions.filter((a) => a === 0).length / actions.length;
    const sd = Math.sqrt((pZero * (1 - pZero)) / actions.length);
    assert.ok(Math.abs(zero - pZero) < 4 * sd, `P(action 0) ${zero}, expected ${pZero}`);
  }
});

Deno.test("planningAgent gives the same returns when reused, so beginTrial forgets", () => {
  const tasks = Array.from({ length: 5 }, (_, i) => family.sampleTask(Rng.derive(i, "t")));
  const agent = planningAgent(family, TABULARL_PRIOR, (posterior) => {
    const q = new Float64Array(H * S * A);
    for (let h = 0; h < H; h++) q.set(posterior.rewardMean, h * S * A);
    return q;
  }, 0.1);
  const first = evaluateTrialAgent(family, agent, tasks, 6, 11);
  const second = evaluateTrialAgent(family, agent, tasks, 6, 11);
  assert.deepEqual(second, first);
});
