import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { adamInit } from "../../src/algos/adam.ts";
import { adamEpochs, clipGradNorm, clipGradValues } from "../../src/algos/minibatch.ts";
import { B, policy, rewardedBatch } from "./_rewarded_batch.ts";
import { useBackend } from "../_backend.ts";

Deno.test("clipGradNorm() rescales only gradients longer than the bound", () => {
  const long = Float32Array.of(3, 4);
  assert.equal(clipGradNorm(long, 1), 5);
  assert.ok(Math.abs(long[0]! - 0.6) < 1e-7 && Math.abs(long[1]! - 0.8) < 1e-7);
  const short = Float32Array.of(0.3, 0.4);
  assert.ok(Math.abs(clipGradNorm(short, 1) - 0.5) < 1e-7);
  assert.deepEqual(short, Float32Array.of(0.3, 0.4));
});

Deno.test("clipGradValues() clips each entry to [−c, c] and returns the norm before", () => {
  const g = Float32Array.of(3, -50, 0.5, 41);
  const norm = clipGradValues(g, 40);
  assert.ok(Math.abs(norm - Math.hypot(3, 50, 0.5, 41)) < 1e-4);
  assert.deepEqual(g, Float32Array.of(3, -40, 0.5, 40));
});

Deno.test("adamEpochs() steps once per minibatch of whole trials, each trial once an epoch", async () => {
  await useBackend("cpu");
  const { params, data } = rewardedBatch(9, "epochs", 2);
  const seen: number[] = [];
  let ends = 0;
  const result = adamEpochs(
    policy,
    params,
    data,
    { epochs: 2, minibatchTrials: 5, learningRate: 1e-3 },
    Rng.derive(9, "order"),
    adamInit(policy.size),
    {
      gradient(_params, minibatch) {
        seen.push(minibatch.B);
        return { gradient: new Float32Array(policy.size).fill(1), norm: 2 };
      },
      epochEnd: () => void ends++,
    },
  );
  // 12 trials in minibatches of 5: 5, 5, 2 per epoch.
  assert.deepEqual(seen, [5, 5, 2, 5, 5, 2]);
  assert.equal(ends, 2);
  assert.equal(result?.optimizer.t, 6);
  assert.equal(result?.gradientNorm, 2);
  assert.ok(result!.params.every((p, i) => p < params[i]!), "descends a positive gradient");
  assert.equal(B, 12);
});

Deno.test("adamEpochs() abandons on a non-finite gradient norm", async () => {
  await useBackend("cpu");
  const { params, data } = rewardedBatch(9, "epochs");
  const result = adamEpochs(
    policy,
    params,
    data,
    { epochs: 1, minibatchTrials: 4, learningRate: 1e-3 },
    Rng.derive(9, "order"),
    adamInit(policy.size),
    { gradient: () => ({ gradient: new Float32Array(policy.size), norm: NaN }) },
  );
  assert.equal(result, undefined);
});
