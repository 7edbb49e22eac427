import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { banditFamily } from "../../src/envs/bandit.ts";
import { Trainer } from "../../src/learners/train.ts";
import { resolveLearner } from "../../src/learners/registry.ts";
import { AVAILABLE, useBackend } from "../_backend.ts";

// Bandits k = 5, n = 10. Random play earns 5.0 per trial, the paper's Gittins 6.6. Every agent
// gets the same budget: 80 iterations of 500 trials (5,000 timesteps).
const family = banditFamily({ arms: 5 });
const sampling = { iterations: 80, batch_timesteps: 5000 };

// ONNX Runtime where its addon loads: the same training in less than half of WASM's CPU time (RL²
// reaches 6.53 with TRPO and 6.56 with PPO there, memoryless TRPO 5.07 and PPO 5.03); else WASM.
const BACKEND = AVAILABLE.includes("ort") ? "ort" : "wasm";

function trainAndEvaluate(
  block: { kind: string; policy: object; [update: string]: unknown },
): Float64Array {
  const { spec, config } = resolveLearner({ ...block, sampling });
  const learner = new Trainer(family, 10, spec, config, 0);
  for (let i = 0; i < sampling.iterations; i++) learner.iterate();
  const rng = Rng.derive(1000003, "eval-tasks");
  const tasks = Array.from({ length: 1000 }, () => family.sampleTask(rng));
  return learner.evaluate(tasks, { seed: 1000003 }).trialReturns;
}

const mean = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / x.length;

/** RL² reaches `atLeast` on 1000 held-out tasks, its memoryless twin stays near random play. */
function assertMemoryHelps(rl2: Float64Array, memoryless: Float64Array, atLeast: number) {
  const diff = rl2.map((r, i) => r - memoryless[i]!);
  const se = Math.sqrt(
    diff.reduce((s, d) => s + (d - mean(diff)) ** 2, 0) / (diff.length - 1) / diff.length,
  );
  assert.ok(mean(rl2) >= atLeast, `RL² mean ${mean(rl2)} on 1000 held-out tasks`);
  assert.ok(mean(memoryless) <= 5.3, `memoryless mean ${mean(memoryless)}`);
  assert.ok(mean(diff) > 5 * se, `margin ${mean(diff)} is within 5 standard errors (${se})`);
}

Deno.test("RL² learns to explore bandits (k=5, n=10); the memoryless TRPO baseline cannot", async () => {
  await useBackend(BACKEND);
  const trpo = { fvp_subsample: 0.2 };
  const rl2 = trainAndEvaluate({ kind: "rl2", policy: { gru: 32 }, trpo });
  const memoryless = trainAndEvaluate({ kind: "trpo", policy: { mlp: [32] }, trpo });
  assertMemoryHelps(rl2, memoryless, 6.2);
});

// PPO at a step size of 3e-3 (CleanRL's 2.5e-4 reaches only 5.6–5.8 at this budget). Trained
// with seeds 0, 1, 2 on WASM, RL²-PPO reaches 6.55, 6.58, 6.59 on these tasks; memoryless PPO 5.0.
Deno.test("RL²-PPO learns to explore bandits (k=5, n=10); memoryless PPO cannot", async () => {
  await useBackend(BACKEND);
  const ppo = { learning_rate: 3e-3 };
  const rl2 = trainAndEvaluate({ kind: "rl2_ppo", policy: { gru: 32 }, ppo });
  const memoryless = trainAndEvaluate({ kind: "ppo", policy: { mlp: [32] }, ppo });
  assertMemoryHelps(rl2, memoryless, 6.3);
});
