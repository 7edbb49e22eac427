import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/backend.ts";
import { currentCompute } from "../src/compute/kernels.ts";
import { loadOrt } from "../src/compute/ort_runtime.ts";

const MISSING_ADDON = "onnxruntime-node/dist/no-such-binding.js";
const ortLoads = typeof loadOrt() !== "string";

Deno.test("initBackend() gives the named tfjs backend and records the tfjs version", async () => {
  for (const name of ["cpu", "wasm"] as const) {
    const info = await initBackend(name);
    assert.equal(info.name, name);
    assert.equal(tf.getBackend(), name);
    assert.equal(currentCompute().name, name);
    assert.equal(info.tfjsVersion, tf.version.tfjs);
    assert.equal(info.version, tf.version.tfjs);
    assert.equal(info.threads, 1);
  }
});

Deno.test("initBackend('auto') prefers ONNX Runtime when its addon loads, else WASM", async () => {
  const lines: string[] = [];
  const info = await initBackend("auto", { warn: (l) => lines.push(l) });
  assert.equal(info.name, ortLoads ? "ort" : "wasm");
  assert.equal(currentCompute().name, info.name);
  assert.equal(lines.length, ortLoads ? 0 : 1);
});

Deno.test("initBackend('auto') falls back to WASM with one line when the addon fails to load", async () => {
  const lines: string[] = [];
  const info = await initBackend("auto", { warn: (l) => lines.push(l), ortAddon: MISSING_ADDON });
  assert.equal(info.name, "wasm");
  assert.equal(currentCompute().name, "wasm");
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    /^rl2lab: ONNX Runtime is unavailable \(.+\); using TensorFlow\.js WASM$/,
  );
  assert.equal(lines[0]!.split("\n").length, 1);
});

Deno.test("initBackend('ort') fails with one line where the addon cannot load", async () => {
  await assert.rejects(initBackend("ort", { ortAddon: MISSING_ADDON }), (e: Error) => {
    assert.match(e.message, /^backend "ort" is unavailable: the onnxruntime-node addon/);
    assert.match(e.message, /use --backend wasm$/);
    assert.equal(e.message.split("\n").length, 1);
    return true;
  });
});

Deno.test({
  name: "initBackend('ort') records the ONNX Runtime version and its thread count",
  ignore: !ortLoads,
  fn: async () => {
    const info = await initBackend("ort", { threads: 2 });
    assert.equal(info.name, "ort");
    assert.match(info.version, /^\d+\.\d+\.\d+$/);
    assert.equal(info.threads, 2);
    assert.equal((await initBackend("ort")).threads, 1, "single-threaded by default");
  },
});

Deno.test("initBackend('node') fails with one line saying why and what to do where it cannot load", async () => {
  let nodeLoads = true;
  try {
    await import("@tensorflow/tfjs-node");
  } catch {
    nodeLoads = false;
  }
  if (nodeLoads) {
    assert.equal((await initBackend("node")).name, "tensorflow");
    return;
  }
  await assert.rejects(initBackend("node"), (e: Error) => {
    assert.match(
      e.message,
      /^backend "node" is unavailable: @tensorflow\/tfjs-node could not load/,
    );
    assert.match(e.message, /use --backend ort or wasm$/);
    assert.equal(e.message.split("\n").length, 1);
    return true;
  });
});
