import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { banditFamily } from "../../src/envs/bandit.ts";
import { Trainer } from "../../src/learners/train.ts";
import { resolveLearner } from "../../src/learners/registry.ts";
import { AVAILABLE, useBackend } from "../_backend.ts";

const family = banditFamily({ arms: 3 });
const { spec, config } = resolveLearner({
  kind: "rl2",
  policy: { gru: 8 },
  sampling: { iterations: 3, batch_timesteps: 60 },
  value: { epochs: 2, minibatches: 2 },
});

function train(seed: number, iterations: number) {
  const learner = new Trainer(family, 4, spec, config, seed);
  const logs = Array.from({ length: iterations }, () => learner.iterate());
  return { learner, logs };
}

for (const backend of AVAILABLE.filter((b) => b !== "cpu")) {
  Deno.test(`Trainer: the same seed gives identical returns and parameters; another seed differs (${backend})`, async () => {
    await useBackend(backend);
    const a = train(1, 3);
    const b = train(1, 3);
    const c = train(2, 3);
    assert.deepEqual(a.logs, b.logs);
    assert.deepEqual(a.learner.state.policy, b.learner.state.policy);
    assert.deepEqual(a.learner.state.value.params, b.learner.state.value.params);
    assert.notDeepEqual(a.logs.map((l) => l.returnMean), c.logs.map((l) => l.returnMean));
    assert.notDeepEqual(a.learner.state.policy, c.learner.state.policy);
  });
}

Deno.test("Trainer: every diagnostic of an iteration is finite and in its range", async () => {
  await useBackend("wasm");
  const { logs } = train(5, 3);
  for (const log of logs) {
    for (const [name, value] of [...Object.entries(log), ...Object.entries(log.diagnostics)]) {
      if (typeof value === "number") assert.ok(Number.isFinite(value), `${name} = ${value}`);
    }
    // TRPO's own diagnostics: its line search's.
    assert.deepEqual(Object.keys(log.diagnostics), ["line_search_steps", "step_fraction"]);
    const fraction = log.diagnostics.step_fraction!;
    assert.equal(log.accepted, fraction > 0);
    assert.ok(log.explainedVariance <= 1);
    assert.ok(log.advantageStd > 0);
    assert.ok(fraction >= 0 && fraction <= 1);
    assert.equal(fraction > 0, log.kl > 0, "a kept step has a KL");
    assert.ok(log.diagnostics.line_search_steps! >= 1);
    assert.ok(log.gradientNorm > 0);
  }
  assert.ok(logs.some((log) => log.diagnostics.step_fraction! > 0), "some step was taken");
});

for (const backend of AVAILABLE.filter((b) => b !== "cpu")) {
  Deno.test(`Trainer: a learner restored from a state continues exactly (${backend})`, async () => {
    await useBackend(backend);
    const whole = train(3, 4);
    const half = train(3, 2);
    const state = structuredClone(half.learner.state);
    const resumed = new Trainer(family, 4, spec, config, 3, state);
    const rest = [resumed.iterate(), resumed.iterate()];
    assert.deepEqual([...half.logs, ...rest], whole.logs);
    assert.deepEqual(resumed.state.policy, whole.learner.state.policy);
  });
}

Deno.test("Trainer: no tensors leak between iteration 2 and iteration 20", async () => {
  await useBackend("wasm");
  const learner = new Trainer(family, 4, spec, config, 4);
  learner.iterate();
  learner.iterate();
  const after2 = tf.memory().numTensors;
  for (let i = 2; i < 20; i++) learner.iterate();
  assert.equal(tf.memory().numTensors, after2);
});
