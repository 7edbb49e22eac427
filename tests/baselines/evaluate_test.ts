import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { banditFamily } from "../../src/envs/bandit.ts";
import { findBaseline } from "../../src/baselines/registry.ts";
import { evaluateTrialAgent } from "../../src/baselines/evaluate.ts";

const family = banditFamily({ arms: 5 });
const taskRng = Rng.derive(9, "tasks");
const tasks = Array.from({ length: 50 }, () => family.sampleTask(taskRng));
const thompson = () => findBaseline("thompson", "bandit")!.create({}, family, 10);

Deno.test("evaluateTrialAgent() is reproducible per (seed, stream) and streams differ", () => {
  const a = evaluateTrialAgent(family, thompson(), tasks, 10, 1, 0);
  assert.deepEqual(evaluateTrialAgent(family, thompson(), tasks, 10, 1, 0), a);
  assert.notDeepEqual(evaluateTrialAgent(family, thompson(), tasks, 10, 1, 1), a);
});

Deno.test("evaluateTrialAgent(): a task's result does not depend on the other tasks", () => {
  const all = evaluateTrialAgent(family, thompson(), tasks, 10, 1, 2);
  const first = evaluateTrialAgent(family, thompson(), tasks.slice(0, 5), 10, 1, 2);
  assert.deepEqual([...first], [...all.subarray(0, 5)]);
});

Deno.test("evaluateTrialAgent(): the episodes' rewards, when asked, add up to each trial's", () => {
  const episodes = new Float64Array(tasks.length * 10);
  const totals = evaluateTrialAgent(family, thompson(), tasks, 10, 1, 2, episodes);
  assert.deepEqual(totals, evaluateTrialAgent(family, thompson(), tasks, 10, 1, 2));
  for (let i = 0; i < tasks.length; i++) {
    const sum = episodes.subarray(i * 10, (i + 1) * 10).reduce((s, r) => s + r, 0);
    assert.ok(Math.abs(sum - totals[i]!) < 1e-9, `task ${i}`);
  }
  assert.ok(episodes.every((r) => r === 0 || r === 1), "a bandit episode is one pull");
});
