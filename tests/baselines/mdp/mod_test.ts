import assert from "node:assert/strict";
import { Rng } from "../../../src/rng.ts";
import { type MdpTask, tabularMdpFamily } from "../../../src/envs/tabular_mdp.ts";
import type { TrialAgent } from "../../../src/baselines/agent.ts";
import { evaluateTrialAgent } from "../../../src/baselines/evaluate.ts";
import { MDP_BASELINES } from "../../../src/baselines/mdp/mod.ts";
import { findBaseline } from "../../../src/baselines/registry.ts";

/** The RL² paper's random MDPs (§3.2): 10 states, 5 actions, horizon 10. */
const paperFamily = tabularMdpFamily({
  states: 10,
  actions: 5,
  horizon: 10,
  reward_mean_prior: { mean: 1, std: 1 },
  reward_std: 1,
  dirichlet_alpha: 1,
});

function agentFor(kind: string, params: Record<string, unknown> = {}, family = paperFamily) {
  const spec = findBaseline(kind, "mdp");
  assert.ok(spec, `no mdp baseline ${kind}`);
  return spec.create(spec.params.parse(params), family, 10);
}

function paperTasks(count: number, seed: number): MdpTask[] {
  const rng = Rng.derive(seed, "mdp-baseline-tasks");
  return Array.from({ length: count }, () => paperFamily.sampleTask(rng));
}

function mean(xs: Float64Array): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

Deno.test("MDP_BASELINES holds the seven Table 2 baselines with TabulaRL's defaults", () => {
  const kinds = MDP_BASELINES.map((b) => b.kind);
  assert.equal(new Set(kinds).size, kinds.length, `a kind twice: ${kinds}`);
  const table2 = ["beb", "epsilon_greedy", "greedy", "optimistic_psrl", "psrl", "random", "ucrl2"];
  for (const kind of table2) assert.ok(kinds.includes(kind), kind);
  for (const spec of MDP_BASELINES) {
    assert.equal(spec.task, "mdp");
    assert.throws(() => spec.params.parse({ no_such_key: 1 }), `${spec.kind} accepts unknown keys`);
  }
  const defaults = (kind: string) => findBaseline(kind, "mdp")!.params.parse({});
  const tabula = { reward_prior_mean: 0, reward_noise_precision: 1 };
  assert.deepEqual(defaults("psrl"), { ...tabula, dirichlet_alpha: 1, reward_prior_precision: 1 });
  assert.deepEqual(defaults("optimistic_psrl"), {
    ...tabula,
    samples: 10,
    dirichlet_alpha: 1,
    reward_prior_precision: 1,
  });
  assert.deepEqual(defaults("beb"), {
    ...tabula,
    scaling: 1,
    dirichlet_alpha: 1,
    reward_prior_precision: 1,
  });
  assert.deepEqual(defaults("ucrl2"), {
    ...tabula,
    delta: 0.05,
    scaling: 1,
    evi_carryover: false,
    dirichlet_alpha: 1e-5,
    reward_prior_precision: 1e-4,
  });
  const nearFlat = { ...tabula, dirichlet_alpha: 1e-4, reward_prior_precision: 1e-4 };
  assert.deepEqual(defaults("epsilon_greedy"), { ...nearFlat, epsilon: 0.1 });
  assert.deepEqual(defaults("greedy"), nearFlat);
  assert.deepEqual(defaults("random"), {});
});

Deno.test("every MDP baseline beats random on average at n=10 (defaults)", () => {
  const tasks = paperTasks(200, 1);
  const random = evaluateTrialAgent(paperFamily, agentFor("random"), tasks, 10, 2);
  assert.ok(Math.abs(mean(random) / 100 - 1) < 0.05, `random ${mean(random)}, expected ≈ 100`);
  for (const spec of MDP_BASELINES.filter((b) => b.kind !== "random")) {
    const returns = evaluateTrialAgent(paperFamily, agentFor(spec.kind), tasks, 10, 2);
    const diff = returns.map((r, i) => r - random[i]!);
    const d = mean(diff);
    const se = Math.sqrt(
      diff.reduce((a, x) => a + (x - d) ** 2, 0) / (diff.length - 1) / diff.length,
    );
    assert.ok(d > 3 * se, `${spec.kind} beats random by ${d.toFixed(1)} ± ${se.toFixed(1)}`);
  }
});

Deno.test("every MDP baseline is deterministic given the seed", () => {
  const tasks = paperTasks(5, 3);
  for (const spec of MDP_BASELINES) {
    const a = evaluateTrialAgent(paperFamily, agentFor(spec.kind), tasks, 3, 4);
    const b = evaluateTrialAgent(paperFamily, agentFor(spec.kind), tasks, 3, 4);
    assert.deepEqual(b, a, spec.kind);
    const c = evaluateTrialAgent(paperFamily, agentFor(spec.kind), tasks, 3, 5);
    assert.notDeepEqual(c, a, `${spec.kind} ignores the seed`);
  }
});

Deno.test("greedy and posterior sampling converge on a deterministic MDP", () => {
  // Action a moves s to (s + a + 1) mod S; the one good action a = s mod A pays 1, others -5.
  // The optimal return is H per episode; a bad action costs more than H - 1, so greedy (which
  // values untried actions at 0) never repeats one.
  const S = 4, A = 3, H = 5;
  const family = tabularMdpFamily({
    states: S,
    actions: A,
    horizon: H,
    reward_mean_prior: { mean: 0, std: 1 },
    reward_std: 0.1,
    dirichlet_alpha: 1,
  });
  const task: MdpTask = {
    states: S,
    actions: A,
    rewardMean: Float64Array.from(
      { length: S * A },
      (_, i) => (i % A === Math.floor(i / A) % A ? 1 : -5),
    ),
    transitions: Float64Array.from(
      { length: S * A * S },
      (_, i) => {
        const sa = Math.floor(i / S);
        return i % S === (Math.floor(sa / A) + (sa % A) + 1) % S ? 1 : 0;
      },
    ),
  };
  const lastEpisodes = (agent: TrialAgent, seed: number) => {
    const early = evaluateTrialAgent(family, agent, [task], 50, seed)[0]!;
    const all = evaluateTrialAgent(family, agent, [task], 60, seed)[0]!;
    return (all - early) / 10;
  };
  for (const kind of ["greedy", "psrl", "optimistic_psrl"]) {
    for (const seed of [1, 2, 3]) {
      const perEpisode = lastEpisodes(agentFor(kind, {}, family), seed);
      assert.ok(perEpisode > 0.95 * H, `${kind} seed ${seed}: ${perEpisode} per episode`);
    }
  }
});

/** The paper's n=10 column (Table 2) and the settings that reproduce it (docs/protocol.md#mdp-baselines). */
const PAPER_N10: [kind: string, paper: number, params: Record<string, unknown>][] = [
  ["random", 100.1, {}],
  ["psrl", 138.1, {}],
  ["optimistic_psrl", 144.1, {}],
  ["ucrl2", 146.6, { scaling: 0.35, evi_carryover: true }],
  ["beb", 150.2, { scaling: 0.0015 }],
  ["epsilon_greedy", 132.8, {}],
  ["greedy", 134.8, {}],
];

Deno.test("MDP baselines reproduce the paper's n=10 column within 3% over 1000 tasks", () => {
  const tasks = paperTasks(1000, 2016);
  for (const [kind, paper, params] of PAPER_N10) {
    const m = mean(evaluateTrialAgent(paperFamily, agentFor(kind, params), tasks, 10, 1611));
    assert.ok(Math.abs(m / paper - 1) <= 0.03, `${kind}: ${m.toFixed(1)}, paper ${paper}`);
  }
});
