import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type Checkpoint,
  loadCheckpoint,
  parseCheckpoint,
  saveCheckpoint,
  serializeCheckpoint,
} from "../../../src/harness/run/checkpoint.ts";

function sample(): Checkpoint {
  const awkward = Float32Array.of(0, -0, 1e-45, -3.4028234663852886e38, NaN, Infinity, 0.1, -7.25);
  return {
    configHash: "abc123",
    seconds: 4.2,
    progress: [["1", "90", "1.5"], ["2", "180", "1.25"]],
    eval: [["2", "0", "3"]],
    state: {
      iteration: 2,
      timesteps: 180,
      policy: awkward,
      value: {
        params: Float32Array.of(1.5, 2.5),
        adam: { m: Float32Array.of(0.001), v: Float32Array.of(1e-8), t: 10 },
        mean: 0.1 + 0.2,
        std: 1 / 3,
      },
    },
  };
}

function bits(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}

Deno.test("serializeCheckpoint() and parseCheckpoint() round-trip every bit", () => {
  const original = sample();
  const back = parseCheckpoint(serializeCheckpoint(original));
  assert.deepEqual(bits(back.state.policy), bits(original.state.policy));
  assert.deepEqual(bits(back.state.value.params), bits(original.state.value.params));
  assert.deepEqual(bits(back.state.value.adam.m), bits(original.state.value.adam.m));
  assert.deepEqual(bits(back.state.value.adam.v), bits(original.state.value.adam.v));
  assert.equal(back.state.value.adam.t, 10);
  assert.equal(back.state.value.mean, 0.1 + 0.2);
  assert.equal(back.state.value.std, 1 / 3);
  assert.equal(back.state.iteration, 2);
  assert.equal(back.state.timesteps, 180);
  assert.equal(back.configHash, "abc123");
  assert.equal(back.seconds, 4.2);
  assert.deepEqual(back.progress, original.progress);
  assert.deepEqual(back.eval, original.eval);
});

Deno.test("parseCheckpoint() rejects other files", () => {
  assert.throws(() => parseCheckpoint('{"format":"something-else"}'), /not a checkpoint/);
});

Deno.test("loadCheckpoint() reads what saveCheckpoint() wrote, and undefined when absent", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "checkpoint.json");
    assert.equal(await loadCheckpoint(path), undefined);
    await saveCheckpoint(path, sample());
    const back = await loadCheckpoint(path);
    assert.deepEqual(bits(back!.state.policy), bits(sample().state.policy));
    await Deno.writeTextFile(path, "{ torn");
    await assert.rejects(() => loadCheckpoint(path), /cannot read checkpoint/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a checkpoint keeps the policy optimiser's state when the learner has one", () => {
  const plain = sample();
  assert.equal(parseCheckpoint(serializeCheckpoint(plain)).state.policyOptimizer, undefined);
  const withAdam = sample();
  withAdam.state.policyOptimizer = {
    m: Float32Array.of(0.5, -1e-30),
    v: Float32Array.of(2, 1e-45),
    t: 7,
  };
  assert.deepEqual(
    parseCheckpoint(serializeCheckpoint(withAdam)).state.policyOptimizer,
    withAdam.state.policyOptimizer,
  );
});
