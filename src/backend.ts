/**
 * Compute backend selection: `auto` (ONNX Runtime when its native addon loads, else
 * TensorFlow.js WASM, else tfjs's pure-JS CPU backend, saying so in one line when it falls
 * back from ONNX Runtime), or one named backend. Every backend implements the kernels of
 * `compute/kernels.ts`; nothing is read from the network (the WASM binaries and the ONNX
 * Runtime addon come from the installed npm packages).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { dirname } from "node:path";
import { setCompute } from "./compute/kernels.ts";
import { tfjsCompute } from "./compute/tfjs_backend.ts";
import { loadOrt } from "./compute/ort_runtime.ts";
import { ortCompute } from "./compute/ort_backend.ts";

/** Backends a run can ask for. */
export const BACKENDS = ["auto", "ort", "wasm", "cpu", "node"] as const;
/** A backend a run can ask for. */
export type BackendName = typeof BACKENDS[number];

/** The backend a run actually got, for its manifest. */
export interface BackendInfo {
  /** The backend asked for. */
  requested: BackendName;
  /** The backend activated (`ort` is ONNX Runtime; `tensorflow` is tfjs-node). */
  name: "ort" | "wasm" | "cpu" | "tensorflow";
  /** The TensorFlow.js version. */
  tfjsVersion: string;
  /** The version of the library that runs the kernels (onnxruntime-node or tfjs). */
  version: string;
  /** Intra-op threads (1 for the tfjs backends, which run single-threaded here). */
  threads: number;
}

/** Options of {@link initBackend}. */
export interface BackendOptions {
  /** Intra-op threads of ONNX Runtime (default 1: parallel seeds do not fight for cores). */
  threads?: number;
  /** Where the fallback line goes (default stderr). */
  warn?: (line: string) => void;
  /** The ONNX Runtime binding module to load (tests point it at a missing one). */
  ortAddon?: string;
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
 * Activates a backend and returns what was activated. Throws one clear line when `ort` or
 * `node` is asked for and cannot load.
 */
export async function initBackend(
  requested: BackendName = "auto",
  options: BackendOptions = {},
): Promise<BackendInfo> {
  const threads = options.threads ?? 1;
  const tfjsVersion = tf.version.tfjs;
  const viaTfjs = (name: "wasm" | "cpu" | "tensorflow"): BackendInfo => {
    setCompute(tfjsCompute(name));
    return { requested, name, tfjsVersion, version: tfjsVersion, threads: 1 };
  };
  if (requested === "ort" || requested === "auto") {
    const ort = loadOrt(threads, options.ortAddon);
    if (typeof ort !== "string") {
      setCompute(ortCompute(ort));
      return { requested, name: "ort", tfjsVersion, version: ort.version, threads };
    }
    if (requested === "ort") {
      throw new Error(
        `backend "ort" is unavailable: the onnxruntime-node addon could not load (${ort}); ` +
          `use --backend wasm`,
      );
    }
    (options.warn ?? console.error)(
      `rl2lab: ONNX Runtime is unavailable (${ort}); using TensorFlow.js WASM`,
    );
  }
  if (requested === "node") {
    const failure = await tryNode();
    if (failure === undefined && await tf.setBackend("tensorflow")) return viaTfjs("tensorflow");
    throw new Error(
      `backend "node" is unavailable: @tensorflow/tfjs-node could not load (${failure}); ` +
        `install it with its native libtensorflow (npm install @tensorflow/tfjs-node@4.22.0 ` +
        `with install scripts allowed), or use --backend ort or wasm`,
    );
  }
  if (requested === "wasm" || requested === "auto") {
    if (await useWasm()) return viaTfjs("wasm");
    if (requested === "wasm") throw new Error(`backend "wasm" failed to initialise`);
  }
  if (!(await tf.setBackend("cpu"))) throw new Error(`backend "cpu" failed to initialise`);
  return viaTfjs("cpu");
}
