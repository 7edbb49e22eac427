import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/backend.ts";

Deno.test("initBackend() gives the named backend and records the tfjs version", async () => {
  for (const name of ["cpu", "wasm"] as const) {
    const info = await initBackend(name);
    assert.equal(info.name, name);
    assert.equal(tf.getBackend(), name);
    assert.equal(info.tfjsVersion, tf.version.tfjs);
  }
});

Deno.test("initBackend('auto') uses tfjs-node only when its addon loads, else WASM", async () => {
  const info = await initBackend("auto");
  let nodeLoads = true;
  try {
    await import("@tensorflow/tfjs-node");
  } catch {
    nodeLoads = false;
  }
  assert.equal(info.name, nodeLoads ? "tensorflow" : "wasm");
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
    assert.match(e.message, /use --backend wasm$/);
    assert.equal(e.message.split("\n").length, 1);
    return true;
  });
});
