import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { tabularMdpFamily } from "../../src/envs/tabular_mdp.ts";
import { inputDim, type StartInput } from "../../src/envs/trial.ts";
import { gruNetwork } from "../../src/policies/gru.ts";
import { categoricalDistribution, softmax } from "../../src/policies/categorical.ts";
import { policyOf } from "../../src/policies/distribution.ts";
import { sampleTrials } from "../../src/algos/sampler.ts";
import { forwardOutputs } from "../../src/algos/unroll.ts";
import { selectColumns } from "../../src/compute/trials.ts";
import { AVAILABLE, useBackend } from "../_backend.ts";

// 3 states, 2 actions, horizon 2, 3 episodes: a trial is 6 steps, episodes end at t = 1, 3, 5.
const family = tabularMdpFamily({
  states: 3,
  actions: 2,
  horizon: 2,
  reward_mean_prior: { mean: 1, std: 1 },
  reward_std: 1,
  dirichlet_alpha: 1,
});
const D = inputDim(family, "rl2");
const net = gruNetwork({ inputDim: D, hidden: 8, outputDim: 2, norm: "weight" });
const params = net.init(Rng.derive(2, "sampler-test"));
const A = 2;
const policy = policyOf(net, categoricalDistribution(A));

function sample(seed: number, B: number, start: StartInput = "action_0") {
  const taskRng = Rng.derive(seed, "tasks");
  return sampleTrials({
    family,
    episodes: 3,
    policy,
    params,
    mode: "rl2",
    start,
    tasks: Array.from({ length: B }, () => family.sampleTask(taskRng)),
    envRng: Rng.derive(seed, "env"),
    actionRng: Rng.derive(seed, "actions"),
  });
}

function probsOf(logits: Float32Array) {
  const p = new Float32Array(logits.length);
  for (let i = 0; i < logits.length / A; i++) softmax(logits, i * A, A, p);
  return p;
}

/** Outputs of a fresh network (zero state) on one step's inputs. */
function freshProbs(inputs: Float32Array, B: number) {
  return probsOf(
    forwardOutputs(net, params, { T: 1, B, inputs, mask: new Float32Array(B).fill(1) }, 64),
  );
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

for (const backend of AVAILABLE) {
  Deno.test(`sampleTrials() lays out whole trials with the RL² inputs and episode ends (${backend})`, async () => {
    await useBackend(backend);
    const s = sample(1, 4);
    assert.equal(s.T, 6);
    assert.equal(s.steps, 24);
    for (let t = 0; t < 6; t++) {
      for (let b = 0; b < 4; b++) {
        assert.equal(s.episodeEnds[t * 4 + b], t % 2 === 1 ? 1 : 0);
        const x = s.inputs.subarray((t * 4 + b) * D, (t * 4 + b + 1) * D);
        if (t === 0) {
          assert.deepEqual([...x], [1, 0, 0, 1, 0, 0, 0], "state 0, action 0, reward 0, done 0");
        } else {
          assert.equal(x[3 + s.actions[(t - 1) * 4 + b]!], 1, "previous action one-hot");
          assert.equal(x[5], s.rewards[(t - 1) * 4 + b], "previous reward");
          assert.equal(x[6], s.episodeEnds[(t - 1) * 4 + b], "previous done flag");
        }
        if (t % 2 === 0) assert.equal(x[0], 1, "every episode starts in state 0");
      }
    }
    let total = 0;
    for (let i = 0; i < 6; i++) total += s.rewards[i * 4]!;
    assert.ok(Math.abs(total - s.trialReturns[0]!) < 1e-5);
    for (let b = 0; b < 4; b++) {
      for (let e = 0; e < 3; e++) {
        const episode = s.rewards[2 * e * 4 + b]! + s.rewards[(2 * e + 1) * 4 + b]!;
        assert.ok(Math.abs(s.episodeReturns[b * 3 + e]! - episode) < 1e-5, `trial ${b}, ${e}`);
      }
    }
  });
}

Deno.test("sampleTrials() with the authors' code's trial start: no action, reward 0, done 1", async () => {
  await useBackend("cpu");
  const s = sample(1, 4, "no_action_done");
  for (let b = 0; b < 4; b++) {
    const x = s.inputs.subarray(b * D, (b + 1) * D);
    assert.deepEqual([...x], [1, 0, 0, 0, 0, 0, 1], "state 0, no action, reward 0, done 1");
    const later = s.inputs.subarray((4 + b) * D, (5 + b) * D);
    assert.equal(later[3]! + later[4]!, 1, "later steps carry the previous action's one-hot");
  }
});

for (const backend of AVAILABLE) {
  Deno.test(`sampling and BPTT carry the hidden state identically (${backend})`, async () => {
    await useBackend(backend);
    const s = sample(3, 5);
    const bptt = probsOf(forwardOutputs(net, params, s, 2));
    assert.ok(maxDiff(bptt, s.distParams) < 1e-5, `max difference ${maxDiff(bptt, s.distParams)}`);
  });
}

for (const backend of AVAILABLE) {
  Deno.test(`the first step of a new trial gets exactly a fresh policy's output (${backend})`, async () => {
    await useBackend(backend);
    sample(4, 3);
    const second = sample(5, 3);
    const first = freshProbs(second.inputs.subarray(0, 3 * D), 3);
    assert.ok(maxDiff(first, second.distParams.subarray(0, 3 * A)) < 1e-6);
  });
}

for (const backend of AVAILABLE) {
  Deno.test(`a mid-trial episode boundary does not reset the hidden state (${backend})`, async () => {
    await useBackend(backend);
    const s = sample(6, 3);
    for (const t of [2, 4]) {
      const rows = s.inputs.subarray(t * 3 * D, (t + 1) * 3 * D);
      const fresh = freshProbs(rows, 3);
      const inTrial = s.distParams.subarray(t * 3 * A, (t + 1) * 3 * A);
      assert.ok(maxDiff(fresh, inTrial) > 1e-4, `step ${t} looks reset`);
    }
  });
}

for (const backend of AVAILABLE) {
  Deno.test(`BPTT: an early input of a trial changes its later episodes and no other trial (${backend})`, async () => {
    await useBackend(backend);
    const s = sample(7, 3);
    const base = forwardOutputs(net, params, s, 64);
    const inputs = s.inputs.slice();
    inputs[1 * D + 5]! += 1; // trial 1's first input: change the reward slot
    const moved = forwardOutputs(net, params, { ...s, inputs }, 64);
    const trial = (x: Float32Array, b: number) => selectColumns(x, 6, 3, A, [b]);
    assert.ok(maxDiff(trial(base, 1).subarray(4 * A), trial(moved, 1).subarray(4 * A)) > 1e-4);
    assert.equal(maxDiff(trial(base, 0), trial(moved, 0)), 0);
    assert.equal(maxDiff(trial(base, 2), trial(moved, 2)), 0);
  });
}
