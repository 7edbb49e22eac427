/**
 * `deno task bench`: throughput and memory of rl2lab on the default backend, printed and written
 * to bench/results.json. Speed is measured here, never in unit tests. Every figure is measured
 * in this run, so ratios (training kernels vs a plain matmul, 2 jobs vs 1) compare like with
 * like on whatever machine runs it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/backend.ts";
import { Rng } from "../src/rng.ts";
import { sampleTrials } from "../src/algos/sampler.ts";
import { median } from "../src/analysis/summary.ts";
import { backprop } from "../src/algos/unroll.ts";
import { denoExecutable } from "../src/harness/run/runner.ts";
import { benchLearner, gruStepMacs, type SettingName, SETTINGS } from "./workload.ts";
import type { ProbeResult } from "./probe.ts";
import type { TimeToResult } from "./time_to_result.ts";

const quick = Deno.args.includes("--quick");
const backend = await initBackend("auto");
const results: Record<string, unknown> = {
  backend: backend.name,
  deno: Deno.version.deno,
  cores: navigator.hardwareConcurrency,
  quick,
};
let peakRss = 0;
const noteRss = () => (peakRss = Math.max(peakRss, Deno.memoryUsage().rss));
const log = (line: string) => console.log(line);
const time = (f: () => void) => {
  const start = performance.now();
  f();
  return (performance.now() - start) / 1000;
};

// Plain 512×512 matmul: the reference for kernel efficiency.
{
  const a = tf.randomNormal([512, 512], 0, 1, "float32", 1);
  tf.matMul(a, a).dispose();
  const reps = 20;
  const s = time(() => {
    for (let i = 0; i < reps; i++) {
      const c = tf.matMul(a, a);
      c.dataSync();
      c.dispose();
    }
  });
  a.dispose();
  results.matmul512Gflops = (reps * 2 * 512 ** 3) / s / 1e9;
  log(`matmul 512×512: ${(results.matmul512Gflops as number).toFixed(1)} GFLOP/s`);
}

// Batched sampling throughput.
const sampling: Record<string, Record<string, number>> = {};
for (const setting of Object.keys(SETTINGS) as SettingName[]) {
  sampling[setting] = {};
  const learner = benchLearner(setting, 1000);
  const rng = Rng.derive(0, "bench-tasks");
  for (const B of [1, 16, 64, 256, 1024]) {
    // The median over calls (at least 3), so a burst of load on a shared machine moves it less.
    const rates: number[] = [];
    const start = performance.now();
    while (rates.length < 3 || performance.now() - start < (quick ? 300 : 1500)) {
      const tasks = Array.from({ length: B }, () => learner.family.sampleTask(rng));
      const callStart = performance.now();
      const { steps } = sampleTrials({
        family: learner.family,
        episodes: learner.episodes,
        net: learner.policyNet,
        params: learner.state.policy,
        mode: learner.mode,
        tasks,
        envRng: rng,
        actionRng: rng,
      });
      rates.push(steps / ((performance.now() - callStart) / 1000));
    }
    sampling[setting]![`batch${B}`] = median(rates);
    log(`sampling ${setting} B=${B}: ${sampling[setting]![`batch${B}`]!.toFixed(0)} env-steps/s`);
  }
}
results.samplingStepsPerSecond = sampling;

// Full TRPO iterations (sampling + GAE + policy update + value fit) and kernel efficiency.
const iterations: Record<string, number> = {};
const sizes: [SettingName, number][] = [["bandit-k5-n10", 25000], ["mdp-n10", 25000]];
for (const [setting, batch] of sizes) {
  const learner = benchLearner(setting, batch);
  learner.iterate();
  noteRss();
  // The median of three iterations (their line searches may differ), for the same reason as above.
  const seconds = median(
    Array.from({ length: quick ? 1 : 3 }, () => time(() => learner.iterate())),
  );
  noteRss();
  iterations[`${setting}@${batch}`] = seconds;
  log(
    `TRPO iteration ${setting} @ ${batch} timesteps: ${seconds.toFixed(2)} s ` +
      `(${(batch / seconds).toFixed(0)} timesteps/s)`,
  );
  if (batch === 25000 && setting === "bandit-k5-n10") {
    const rng = Rng.derive(1, "bench-tasks");
    const batchData = sampleTrials({
      family: learner.family,
      episodes: learner.episodes,
      net: learner.policyNet,
      params: learner.state.policy,
      mode: learner.mode,
      tasks: Array.from({ length: 2500 }, () => learner.family.sampleTask(rng)),
      envRng: rng,
      actionRng: rng,
    });
    const A = learner.policyNet.outputDim;
    const dOut = (out: Float32Array) => out.map(() => 1e-3);
    const net = learner.policyNet;
    const s = time(() => backprop(net, learner.state.policy, batchData, 1024, dOut));
    const flops = 3 * 2 * gruStepMacs(net.inputDim, net.stateDim, A) * batchData.steps;
    results.trainingKernelGflops = flops / s / 1e9;
    results.kernelEfficiency = (results.trainingKernelGflops as number) /
      (results.matmul512Gflops as number);
    log(
      `training kernels (forward + backward through time): ` +
        `${(results.trainingKernelGflops as number).toFixed(1)} GFLOP/s, ` +
        `${(100 * (results.kernelEfficiency as number)).toFixed(0)}% of the 512 matmul`,
    );
  }
}
results.peakRssMiB = peakRss / 2 ** 20;
log(`peak RSS of this process (25,000-step iterations): ${(peakRss / 2 ** 20).toFixed(0)} MiB`);

// Work that needs a process of its own (bench/probe.ts): the memory of a 250,000-step
// iteration, and 1 vs 2 parallel jobs on the same total work.
/** Runs a bench script in a fresh process and parses the JSON line it prints last. */
const inProcess = async <R>(script: string, args: (string | number)[]): Promise<R> => {
  const out = await new Deno.Command(denoExecutable(), {
    args: [
      "run",
      "--frozen",
      "--cached-only",
      "--allow-read",
      "--allow-env",
      new URL(script, import.meta.url).pathname,
      ...args.map(String),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
  if (!out.success) {
    throw new Error(`${script} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return JSON.parse(text) as R;
};
const probe = (args: (string | number)[]) => inProcess<ProbeResult>("./probe.ts", args);
if (!quick) {
  const big = await probe(["bandit-k5-n10", 250000, 256, 1, 0]);
  iterations["bandit-k5-n10@250000"] = big.secondsPerIteration;
  results.iteration250k = big;
  log(
    `TRPO iteration bandit-k5-n10 @ 250000 timesteps (own process): ` +
      `${big.secondsPerIteration.toFixed(2)} s ` +
      `(${(250000 / big.secondsPerIteration).toFixed(0)} timesteps/s), peak RSS ` +
      `${big.peakRssMiB.toFixed(0)} MiB, WASM heap ` +
      `${big.wasmHeapMiB === null ? "n/a" : `${big.wasmHeapMiB.toFixed(0)} MiB`}`,
  );
}
results.iterationSeconds = iterations;
{
  // A unit is a short training run (startup and a warm-up iteration, then 10 iterations), so
  // process startup weighs in it about as little as in a real run. One untimed process first
  // fills the module and compilation caches, so that neither side pays for them.
  const unit = () => probe(["bandit-k5-n10", 10000, 128, 10]);
  await probe(["bandit-k5-n10", 10000, 128, 1]);
  let start = performance.now();
  const alone = [await unit(), await unit()];
  const one = (performance.now() - start) / 1000;
  start = performance.now();
  const together = await Promise.all([unit(), unit()]);
  const two = (performance.now() - start) / 1000;
  const perIteration = (rs: ProbeResult[]) => rs.map((r) => r.secondsPerIteration);
  results.jobs = {
    oneJobSeconds: one,
    twoJobsSeconds: two,
    speedup: one / two,
    secondsPerIterationAlone: perIteration(alone),
    secondsPerIterationTogether: perIteration(together),
  };
  log(
    `2 units of work: --jobs 1 ${one.toFixed(1)} s, --jobs 2 ${two.toFixed(1)} s ` +
      `(${(one / two).toFixed(2)}× throughput; seconds per iteration alone ` +
      `${perIteration(alone).map((s) => s.toFixed(2)).join(", ")}, side by side ` +
      `${perIteration(together).map((s) => s.toFixed(2)).join(", ")})`,
  );
}

// Time to result: the main job's RL² agent, each of its seeds in a process of its own, trained
// until the mean total reward on the experiment's held-out tasks reaches 6.5.
if (!quick) {
  const runs: TimeToResult[] = [];
  for (const seed of [0, 1, 2]) {
    const r = await inProcess<TimeToResult>("./time_to_result.ts", [seed, 6.5, 300, 5]);
    runs.push(r);
    log(
      `time to result, main job RL² seed ${seed}: ` +
        (r.reached ? `reached ${r.target}` : `did not reach ${r.target}`) +
        ` after ${r.iterations} iterations, ${r.timesteps} timesteps, ` +
        `${r.wallSeconds.toFixed(0)} s wall (${r.trainingSeconds.toFixed(0)} s training)`,
    );
  }
  results.timeToResult = runs;
}

await Deno.writeTextFile(
  new URL("./results.json", import.meta.url),
  JSON.stringify(results, null, 2) + "\n",
);
log("written bench/results.json");
