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
