/**
 * ONNX Runtime through `onnxruntime-node`'s native addon, called synchronously. The package's
 * public `InferenceSession.run` defers every call to a later macrotask (`setImmediate`) and
 * returns a promise; the training code is synchronous, so this module uses the addon's own
 * synchronous session object (`dist/binding.js` of the package), the one the public API wraps.
 * The package ships its CPU binaries for Linux, macOS and Windows (x64, arm64) in the npm
 * tarball, so nothing is downloaded and its install script is not needed.
 *
 * @module
 */
import { createRequire } from "node:module";

/** A float32 tensor as the addon takes and returns it. */
export interface OrtTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

interface Binding {
  binding: {
    InferenceSession: new () => NativeSession;
  };
  initOrt(): void;
}

interface NativeSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  run(
    feeds: Record<string, OrtTensor>,
    fetches: Record<string, OrtTensor | null>,
    options: object,
  ): Record<string, OrtTensor>;
  dispose(): void;
}

type TensorClass = new (type: "float32", data: Float32Array, dims: readonly number[]) => OrtTensor;

/** A loaded ONNX Runtime: its version, thread count, and sessions built from model bytes. */
export interface OrtRuntime {
  readonly version: string;
  /** Intra-op threads of every session. */
  readonly threads: number;
  /** A session for an encoded model. */
  session(model: Uint8Array): OrtSession;
  /** A tensor viewing `data` (no copy) with shape `dims`. */
  tensor(data: Float32Array, dims: readonly number[]): OrtTensor;
}

/** One loaded model, run synchronously. */
export interface OrtSession {
  /**
   * Runs the model. Outputs named in `into` are written into those tensors (their shapes must
   * be the outputs'); the others are returned newly allocated.
   */
  run(
    feeds: Record<string, OrtTensor>,
    outputs: readonly string[],
    into?: Record<string, OrtTensor>,
  ): Record<string, OrtTensor>;
  /** Frees the native session. */
  dispose(): void;
}

/**
 * Loads the addon, or returns why it could not load (one line). `addon` overrides the package
 * path of the binding module (a test uses a missing one to exercise the fallback).
 */
export function loadOrt(
  threads = 1,
  addon = "onnxruntime-node/dist/binding.js",
): OrtRuntime | string {
  let mod: Binding, Tensor: TensorClass, version: string;
  try {
    const require = createRequire(import.meta.url);
    mod = require(addon) as Binding;
    // The addon checks feeds against the Tensor class of its own onnxruntime-common.
    const packageRequire = createRequire(require.resolve(addon));
    Tensor = (packageRequire("onnxruntime-common") as { Tensor: TensorClass }).Tensor;
    version = (packageRequire("./version.js") as { version: string }).version;
    mod.initOrt();
  } catch (e) {
    return e instanceof Error ? e.message.split("\n")[0]! : String(e);
  }
  const options = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
    enableCpuMemArena: false,
  };
  return {
    version,
    threads,
    tensor: (data, dims) => new Tensor("float32", data, dims),
    session(model) {
      const native = new mod.binding.InferenceSession();
      native.loadModel(model.buffer as ArrayBuffer, model.byteOffset, model.byteLength, options);
      return {
        run(feeds, outputs, into = {}) {
          const fetches: Record<string, OrtTensor | null> = {};
          for (const name of outputs) fetches[name] = into[name] ?? null;
          return native.run(feeds, fetches, {});
        },
        dispose: () => native.dispose(),
      };
    },
  };
}
