import * as tf from "@tensorflow/tfjs";
import { type BackendName, initBackend } from "../src/backend.ts";
import { currentCompute } from "../src/compute/kernels.ts";
import { loadOrt } from "../src/compute/ort_runtime.ts";

/** The compute backends that load on this machine (ONNX Runtime only when its addon loads). */
export const AVAILABLE: ("cpu" | "wasm" | "ort")[] = typeof loadOrt() === "string"
  ? ["cpu", "wasm"]
  : ["cpu", "wasm", "ort"];

/** Activates a backend for the test that calls it (test files may share one isolate). */
export async function useBackend(name: "cpu" | "wasm" | "ort"): Promise<void> {
  let active: string | undefined;
  try {
    active = currentCompute().name;
  } catch {
    active = undefined;
  }
  if (active !== name || (name !== "ort" && tf.getBackend() !== name)) {
    await initBackend(name as BackendName);
  }
}
