import assert from "node:assert/strict";
import { banditFamily, type BanditTask } from "../../../src/envs/bandit.ts";
import type { TaskFamily } from "../../../src/envs/env.ts";
import { Trainer } from "../../../src/learners/train.ts";
import { resolveLearner } from "../../../src/learners/registry.ts";
import { evaluationTasks } from "../../../src/experiment/evaluation.ts";
import { useBackend } from "../../_backend.ts";

Deno.test("evaluationTasks() never coincide with the tasks a learner trains on, even when the run's seed is the evaluation seed", async () => {
  await useBackend("wasm");
  const base = banditFamily({ arms: 2 });
  const trained: BanditTask[] = [];
  // The same family, recording every task the learner draws for training.
  const recording: TaskFamily<BanditTask> = Object.assign(Object.create(base), {
    sampleTask: (rng: Parameters<typeof base.sampleTask>[0]) => {
      const task = base.sampleTask(rng);
      trained.push(task);
      return task;
    },
  });
  const { spec, config } = resolveLearner({
    kind: "rl2",
    policy: { gru: 4 },
    sampling: { iterations: 3, batch_timesteps: 300 },
    value: { epochs: 1 },
  });
  const seed = 1000003;
  const learner = new Trainer(recording, 3, spec, config, seed);
  for (let i = 0; i < 3; i++) learner.iterate();
  assert.equal(trained.length, 300);
  const key = (t: BanditTask) => Array.from(t.p).join(",");
  const evaluation = { tasks: 2000, seed, every: 0, greedy: false };
  const held = new Set(evaluationTasks(base, evaluation).map((t) => key(t as BanditTask)));
  assert.equal(held.size, 2000);
  assert.equal(trained.filter((t) => held.has(key(t))).length, 0);
  // The same stream would coincide: the check can fail.
  const again = new Set(evaluationTasks(base, evaluation).map((t) => key(t as BanditTask)));
  assert.equal([...again].filter((k) => held.has(k)).length, 2000);
});
