/**
 * One unit of training work in a process of its own, for the benchmarks that need a fresh
 * process: the memory of a 250,000-step iteration (the peak RSS of a process that does only
 * that, as a training run does) and the throughput of 1 vs 2 parallel jobs. Prints one JSON
 * line: seconds and CPU seconds per timed iteration, peak RSS (the kernel's high-water mark
 * where Linux gives it) and the WASM heap.
 *
 * `deno run … bench/probe.ts SETTING BATCH_TIMESTEPS GRU ITERATIONS [WARMUP [BACKEND [FVP]]]
 * [--learner rl2|rl2_fo_trpo|rl2_ppo] [--epochs N] [--minibatch-trials N] [--minibatches N]
 * [--threads N]` (WARMUP untimed iterations first, default 1; BACKEND default auto; FVP the
 * Fisher subsample of TRPO, default the benchmark's 0.1; the flags pick the update and its epochs
 * and minibatches, and ONNX Runtime's intra-op threads, default 1)
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type BackendName, BACKENDS, initBackend } from "../src/backend.ts";
import { parseArgs } from "node:util";
import { cpuUsage } from "node:process";
import {
  benchLearner,
  type BenchUpdate,
  peakRssMiB,
  type SettingName,
  SETTINGS,
} from "./workload.ts";

/** What a probe prints. */
export interface ProbeResult {
  /** Mean seconds of the timed iterations (after the untimed warm-up iterations). */
  secondsPerIteration: number;
  /**
   * Mean CPU seconds (user + system, all threads of the process) of the timed iterations: the
   * steadier figure on a shared machine, where wall time depends on what else runs.
   */
  cpuSecondsPerIteration: number;
  /** Peak resident memory of the process, MiB (null where it cannot be read). */
  peakRssMiB: number | null;
  /** Resident memory at the end, MiB. */
  rssAtEndMiB: number;
  /** Size of the WASM heap at the end (it only grows), MiB; null off WASM. */
  wasmHeapMiB: number | null;
}

const { positionals, values: flags } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    learner: { type: "string", default: "rl2" },
    epochs: { type: "string" },
    "minibatch-trials": { type: "string" },
    minibatches: { type: "string" },
    threads: { type: "string", default: "1" },
  },
});
const [setting, batch, gru, iterations, warmup = "1", backendName = "auto", fvp = "0.1"] =
  positionals;
const optional = (text: string | undefined) => text === undefined ? undefined : Number(text);
const update: BenchUpdate = flags.learner === "rl2_fo_trpo"
  ? {
    kind: "rl2_fo_trpo",
    epochs: optional(flags.epochs),
    minibatchTrials: optional(flags["minibatch-trials"]),
  }
  : flags.learner === "rl2_ppo"
  ? { kind: "rl2_ppo", epochs: optional(flags.epochs), minibatches: optional(flags.minibatches) }
  : { kind: "rl2", fvpSubsample: Number(fvp) };
if (
  setting === undefined || !(setting in SETTINGS) ||
  [batch, gru, iterations, fvp].some((a) => !(Number(a) > 0)) || !(Number(warmup) >= 0) ||
  !(BACKENDS as readonly string[]).includes(backendName) ||
  !["rl2", "rl2_fo_trpo", "rl2_ppo"].includes(flags.learner) || !(Number(flags.threads) >= 1)
) {
  throw new Error(
    "usage: probe.ts SETTING BATCH_TIMESTEPS GRU ITERATIONS [WARMUP [BACKEND [FVP]]]",
  );
}
const backend = await initBackend(backendName as BackendName, { threads: Number(flags.threads) });
const learner = benchLearner(setting as SettingName, Number(batch), { gru: Number(gru), update });
for (let i = 0; i < Number(warmup); i++) learner.iterate();
const start = performance.now();
const cpuStart = cpuUsage();
for (let i = 0; i < Number(iterations); i++) learner.iterate();
const cpu = cpuUsage(cpuStart);
const wasm = backend.name === "wasm"
  ? (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength
  : null;
const result: ProbeResult = {
  secondsPerIteration: (performance.now() - start) / 1000 / Number(iterations),
  cpuSecondsPerIteration: (cpu.user + cpu.system) / 1e6 / Number(iterations),
  peakRssMiB: await peakRssMiB(),
  rssAtEndMiB: Deno.memoryUsage().rss / 2 ** 20,
  wasmHeapMiB: wasm === null ? null : wasm / 2 ** 20,
};
console.log(JSON.stringify(result));
