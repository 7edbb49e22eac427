/**
 * TensorFlow.js backend selection: `auto` (tfjs-node when its native addon loads, else WASM,
 * else the pure-JS CPU backend), or one named backend. The WASM binaries are read from the
 * installed npm package, never from the network.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { dirname } from "node:path";

/** Backends a run can ask for. */
export const BACKENDS = ["auto", "wasm", "cpu", "node"] as const;
/** A backend a run can ask for. */
export type BackendName = typeof BACKENDS[number];

/** The backend a run actually got, for its manifest. */
export interface BackendInfo {
  /** The backend asked for. */
  requested: BackendName;
  /** The TensorFlow.js backend activated (`tensorflow` is tfjs-node). */
  name: "wasm" | "cpu" | "tensorflow";
  /** The TensorFlow.js version. */
  tfjsVersion: string;
}

async function tryNode(): Promise<string | undefined> {
  try {
    const spec = "@tensorflow/tfjs-node";
    await import(spec);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message.split("\n")[0] : String(e);
  }
}

function wasmDistUrl(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve("@tensorflow/tfjs-backend-wasm");
  return pathToFileURL(dirname(main)).href + "/";
}

async function useWasm(): Promise<boolean> {
  setWasmPaths(wasmDistUrl());
  return await tf.setBackend("wasm");
}

/**
 * Activates a backend and returns what was activated. Throws one clear line when `node` is
 * asked for and tfjs-node cannot load.
 */
export async function initBackend(requested: BackendName = "auto"): Promise<BackendInfo> {
  const info = (name: BackendInfo["name"]): BackendInfo => ({
    requested,
    name,
    tfjsVersion: tf.version.tfjs,
  });
  if (requested === "node" || requested === "auto") {
    const failure = await tryNode();
    if (failure === undefined && await tf.setBackend("tensorflow")) return info("tensorflow");
    if (requested === "node") {
      throw new Error(
        `backend "node" is unavailable: @tensorflow/tfjs-node could not load (${failure}); ` +
          `install it with its native libtensorflow (npm install @tensorflow/tfjs-node@4.22.0 ` +
          `with install scripts allowed), or use --backend wasm`,
      );
    }
  }
  if (requested === "wasm" || requested === "auto") {
    if (await useWasm()) return info("wasm");
    if (requested === "wasm") throw new Error(`backend "wasm" failed to initialise`);
  }
  if (!(await tf.setBackend("cpu"))) throw new Error(`backend "cpu" failed to initialise`);
  return info("cpu");
}
