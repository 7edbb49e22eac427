import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/backend.ts";

/** Activates a backend for the test that calls it (test files may share one isolate). */
export async function useBackend(name: "cpu" | "wasm"): Promise<void> {
  if (tf.getBackend() !== name) await initBackend(name);
}
