import assert from "node:assert/strict";
import { navigationFamily, navigationTaskSchema } from "../../src/envs/navigation.ts";
import { finetunes, finetuneSchema } from "../../src/learners/finetune.ts";
import { findLearner, LEARNERS, resolveLearner } from "../../src/learners/registry.ts";
import { Trainer } from "../../src/learners/train.ts";
import { Rng } from "../../src/rng.ts";
import { useBackend } from "../_backend.ts";

Deno.test("finetunes(): memoryless on-policy learners with a continuous update, on such actions", () => {
  const finetuned = (kind: string, actions: "discrete" | "continuous") =>
    finetunes(findLearner(kind)!, actions);
  assert.equal(finetuned("trpo", "continuous"), true);
  // RL²'s memory, a discrete-only update, and learners with their own protocol: not fine-tuned.
  for (const kind of ["rl2", "ppo", "maml_trpo", "pearl"]) {
    assert.equal(finetuned(kind, "continuous"), false, kind);
  }
  assert.deepEqual(LEARNERS.filter((l) => finetunes(l, "discrete")), []);
});

Deno.test("evaluation.finetune: the memoryless baseline is evaluated as MAML is, RL² by its trial", async () => {
  await useBackend("cpu");
  const finetune = finetuneSchema.parse({ trajectories: 3 });
  assert.deepEqual(finetune, { trajectories: 3, lr: 0.1, later_lr: 0.05 });
  const nav3 = navigationFamily(
    navigationTaskSchema.parse({ kind: "navigation", episodes: 3, max_steps: 6 }),
  );
  const tasks = [nav3.sampleTask(Rng.derive(0, "t")), nav3.sampleTask(Rng.derive(1, "t"))];
  const trainer = (kind: string, policy: object) => {
    const { spec, config } = resolveLearner({
      kind,
      policy,
      sampling: { iterations: 1, batch_timesteps: 60 },
    });
    const t = new Trainer(nav3, 3, spec, config, 0);
    t.iterate();
    return t;
  };
  const trpo = trainer("trpo", { mlp: [8] });
  const a = trpo.evaluate(tasks, { seed: 5, finetune });
  assert.equal(a.episodeReturns.length, 2 * 3);
  assert.deepEqual(a, trpo.evaluate(tasks, { seed: 5, finetune }));
  // Stage means of 3 trajectories, each at most 6 steps of reward ≥ −√2·(0.5 + 0.6).
  assert.ok(a.episodeReturns.every((r) => r < 0 && r > -6 * 1.6));
  const stages = a.episodeReturns.subarray(0, 3);
  assert.ok(Math.abs(a.trialReturns[0]! - stages.reduce((x, y) => x + y)) < 1e-9);
  // Without the protocol, one trial of 3 episodes: other numbers.
  assert.notDeepEqual(trpo.evaluate(tasks, { seed: 5 }), a);
  // RL²'s evaluation is its trial, whatever the protocol says of memoryless agents.
  const rl2 = trainer("rl2", { gru: 8 });
  assert.deepEqual(rl2.evaluate(tasks, { seed: 5, finetune }), rl2.evaluate(tasks, { seed: 5 }));
});
