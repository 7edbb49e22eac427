/**
 * `deno task bench`: throughput and memory of rl2lab on every compute backend that loads here
 * (ONNX Runtime, then TensorFlow.js WASM; the pure-JS CPU backend is a fallback for tiny tests and
 * is not benchmarked), side by side in one run with the same shapes in the same order, printed
 * with their ratios and written to bench/results.json. Speed is measured here, never in unit
 * tests. Every figure is measured in this run, so ratios (ort vs WASM, training kernels vs a plain
 * matmul, 2 jobs vs 1) compare like with like on whatever machine runs it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { cpuUsage } from "node:process";
import { initBackend } from "../src/backend.ts";
import { loadOrt } from "../src/compute/ort_runtime.ts";
import { encodeModel, Graph } from "../src/compute/onnx_graph.ts";
import { Rng } from "../src/rng.ts";
import { sampleTrials } from "../src/algos/sampler.ts";
import { grandMean, median } from "../src/analysis/summary.ts";
import { bootstrapCi } from "../src/analysis/bootstrap.ts";
import { backprop } from "../src/algos/unroll.ts";
import { denoExecutable } from "../src/harness/run/runner.ts";
import { benchLearner, gruStepMacs, type SettingName, SETTINGS } from "./workload.ts";
import type { ProbeResult } from "./probe.ts";
import type { TimeToResult } from "./time_to_result.ts";
import { formatProfile, profileIteration } from "./profile.ts";
import {
  AUTHORS_SIZE,
  experimentSize,
  type PearlRate,
  type PearlRunResult,
  pearlStepRate,
} from "./pearl.ts";

const quick = Deno.args.includes("--quick");
/** Only the matmul reference and the profile of one first-order TRPO iteration. */
const profileOnly = Deno.args.includes("--profile");
const BACKENDS = (typeof loadOrt() === "string" ? ["wasm"] : ["ort", "wasm"]) as (
  | "ort"
  | "wasm"
)[];
const auto = await initBackend("auto");
/** The 1-minute load average (the machine may be shared), where the platform gives it. */
const loadAverage = (): number | null => {
  try {
    return Deno.loadavg()[0]!;
  } catch {
    return null;
  }
};
const results: Record<string, unknown> = {
  loadAverageAtStart: loadAverage(),
  backend: auto.name,
  backends: BACKENDS,
  deno: Deno.version.deno,
  cores: navigator.hardwareConcurrency,
  quick,
};
/** Per backend, per figure. */
const figures: Record<string, Record<string, number>> = Object.fromEntries(
  BACKENDS.map((b) => [b, {}]),
);
let peakRss = 0;
const noteRss = () => (peakRss = Math.max(peakRss, Deno.memoryUsage().rss));
const log = (line: string) => console.log(line);
const time = (f: () => void) => {
  const start = performance.now();
  f();
  return (performance.now() - start) / 1000;
};
/** CPU seconds (user + system, every thread of this process) of `f`. */
const cpuTime = (f: () => void) => {
  const start = cpuUsage();
  f();
  const used = cpuUsage(start);
  return (used.user + used.system) / 1e6;
};
/** Runs `measure` on every backend in order, recording and printing its figure. */
const each = async (figure: string, unit: string, measure: (b: "ort" | "wasm") => number) => {
  for (const b of BACKENDS) {
    await initBackend(b);
    figures[b]![figure] = measure(b);
    log(`${b.padEnd(4)} ${figure}: ${figures[b]![figure]!.toFixed(unit === "s" ? 2 : 1)} ${unit}`);
  }
};

// Plain 512×512 matmul, single-threaded: the reference for kernel efficiency. On ONNX Runtime
// also per CPU second, the reference of the profile below (which counts CPU seconds).
let matmulPerCpuSecond = NaN;
const matmulGflops = (backend: "ort" | "wasm"): number => {
  const reps = 20;
  if (backend === "wasm") {
    const a = tf.randomNormal([512, 512], 0, 1, "float32", 1);
    tf.matMul(a, a).dispose();
    const s = time(() => {
      for (let i = 0; i < reps; i++) {
        const c = tf.matMul(a, a);
        c.dataSync();
        c.dispose();
      }
    });
    a.dispose();
    return (reps * 2 * 512 ** 3) / s / 1e9;
  }
  const ort = loadOrt(1);
  if (typeof ort === "string") throw new Error(ort);
  const g = new Graph();
  g.output("C", g.node("MatMul", [g.input("A", [512, 512]), g.input("B", [512, 512])]));
  const session = ort.session(encodeModel(g, "matmul"));
  const rng = Rng.derive(1, "bench-matmul");
  const a = ort.tensor(Float32Array.from({ length: 512 * 512 }, () => rng.normal()), [512, 512]);
  session.run({ A: a, B: a }, ["C"]);
  let cpu = 0;
  const s = time(() => {
    cpu = cpuTime(() => {
      for (let i = 0; i < reps; i++) session.run({ A: a, B: a }, ["C"]);
    });
  });
  session.dispose();
  matmulPerCpuSecond = (reps * 2 * 512 ** 3) / cpu / 1e9;
  return (reps * 2 * 512 ** 3) / s / 1e9;
};
for (const b of BACKENDS) {
  await initBackend(b);
  figures[b]!.matmul512Gflops = matmulGflops(b);
  log(`${b.padEnd(4)} matmul 512×512: ${figures[b]!.matmul512Gflops!.toFixed(1)} GFLOP/s`);
}
if (BACKENDS.includes("ort")) {
  figures.ort!.matmul512GflopsPerCpuSecond = matmulPerCpuSecond;
  log(`ort  matmul 512×512: ${matmulPerCpuSecond.toFixed(1)} GFLOP/s per CPU second`);
}

// Where one first-order TRPO iteration goes (MDPs n = 10, 25,000 timesteps, GRU 256, the
// authors' settings), phase by phase, beside the same backend's matmul figure above.
{
  const b = BACKENDS[0]!;
  await initBackend(b);
  const learner = benchLearner("mdp-n10", 25000, { update: { kind: "rl2_fo_trpo" } });
  learner.iterate();
  const profile = profileIteration(learner);
  log(`${b.padEnd(4)} profile of one first-order TRPO iteration, mdp-n10 @ 25000, GRU 256:`);
  const reference = figures[b]!.matmul512GflopsPerCpuSecond ?? figures[b]!.matmul512Gflops!;
  for (const line of formatProfile(profile, reference)) log(line);
  results.profile = { backend: b, ...profile };
}
if (profileOnly) {
  results.figures = figures;
  await Deno.writeTextFile(
    new URL("./results.json", import.meta.url),
    JSON.stringify(results, null, 2) + "\n",
  );
  log("written bench/results.json");
  Deno.exit(0);
}

// Batched sampling throughput.
for (const setting of Object.keys(SETTINGS) as SettingName[]) {
  const learner = benchLearner(setting, 1000);
  for (const B of [1, 16, 64, 256, 1024]) {
    await each(`sampling ${setting} B=${B}`, "env-steps/s", () => {
      // The median over calls (at least 3), so a burst of load on a shared machine moves it less.
      const rng = Rng.derive(0, "bench-tasks");
      const rates: number[] = [];
      const start = performance.now();
      while (rates.length < 3 || performance.now() - start < (quick ? 300 : 1500)) {
        const tasks = Array.from({ length: B }, () => learner.family.sampleTask(rng));
        const callStart = performance.now();
        const { steps } = sampleTrials({
          family: learner.family,
          episodes: learner.episodes,
          policy: learner.networks!.policy,
          params: learner.state.policy,
          mode: learner.networks!.mode,
          tasks,
          envRng: rng,
          actionRng: rng,
        });
        rates.push(steps / ((performance.now() - callStart) / 1000));
      }
      return median(rates);
    });
  }
}

// Full TRPO iterations (sampling + GAE + policy update + value fit): each backend's learner starts
// from the same state; the median of three iterations (their line searches may differ).
const sizes: [SettingName, number][] = [["bandit-k5-n10", 25000], ["mdp-n10", 25000]];
for (const [setting, batch] of sizes) {
  const learners = Object.fromEntries(BACKENDS.map((b) => [b, benchLearner(setting, batch)]));
  for (const b of BACKENDS) {
    await initBackend(b);
    learners[b]!.iterate();
  }
  await each(`TRPO iteration ${setting} @ ${batch}`, "s", (b) => {
    noteRss();
    const seconds = median(
      Array.from({ length: quick ? 1 : 3 }, () => time(() => learners[b]!.iterate())),
    );
    noteRss();
    return seconds;
  });
}

// Training kernels: forward and backward through time over 25,000 bandit steps, GRU 256.
{
  const learner = benchLearner("bandit-k5-n10", 25000);
  const rng = Rng.derive(1, "bench-tasks");
  const batchData = sampleTrials({
    family: learner.family,
    episodes: learner.episodes,
    policy: learner.networks!.policy,
    params: learner.state.policy,
    mode: learner.networks!.mode,
    tasks: Array.from({ length: 2500 }, () => learner.family.sampleTask(rng)),
    envRng: rng,
    actionRng: rng,
  });
  const net = learner.networks!.policy.net;
  const dOut = (out: Float32Array) => out.map(() => 1e-3);
  const flops = 3 * 2 * gruStepMacs(net.inputDim, net.stateDim, net.outputDim) * batchData.steps;
  await each("training kernels", "GFLOP/s", () => {
    backprop(net, learner.state.policy, batchData, 1024, dOut);
    const s = median(
      Array.from(
        { length: 3 },
        () => time(() => backprop(net, learner.state.policy, batchData, 1024, dOut)),
      ),
    );
    return flops / s / 1e9;
  });
  for (const b of BACKENDS) {
    figures[b]!.kernelEfficiency = figures[b]!["training kernels"]! / figures[b]!.matmul512Gflops!;
    log(
      `${b.padEnd(4)} training kernels: ${
        (100 * figures[b]!.kernelEfficiency!).toFixed(0)
      }% of its 512 matmul`,
    );
  }
}
results.peakRssMiB = peakRss / 2 ** 20;

// The comparison table's bootstrap: 5 seeds × 1000 held-out tasks, 2000 resamples, per scheme
// (compare computes several such intervals per agent).
const bootstrapData = Array.from({ length: 5 }, (_, s) => {
  const rng = Rng.derive(14, "bench-bootstrap", s);
  return Array.from({ length: 1000 }, () => rng.normal());
});
const bootstrapSeconds: Record<string, number> = {};
for (const scheme of ["stratified", "nested"] as const) {
  bootstrapSeconds[scheme] = time(() =>
    bootstrapCi(bootstrapData, grandMean, { rng: Rng.derive(14, "b"), scheme, resamples: 2000 })
  );
  log(`bootstrap (${scheme}, 5 × 1000, 2000 resamples): ${bootstrapSeconds[scheme]!.toFixed(2)} s`);
}
results.bootstrapSeconds = bootstrapSeconds;
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
      // All permissions: Deno lets a process read its own /proc/self/status (its peak RSS) only
      // with --allow-all.
      "--allow-all",
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
  for (const b of BACKENDS) {
    const big = await probe(["bandit-k5-n10", 250000, 256, 1, 0, b]);
    figures[b]!["TRPO iteration bandit-k5-n10 @ 250000 (own process)"] = big.secondsPerIteration;
    if (big.peakRssMiB !== null) figures[b]!["peak RSS MiB @ 250000"] = big.peakRssMiB;
    log(
      `${b.padEnd(4)} TRPO iteration bandit-k5-n10 @ 250000 timesteps (own process): ` +
        `${big.secondsPerIteration.toFixed(2)} s ` +
        `(${(250000 / big.secondsPerIteration).toFixed(0)} timesteps/s), peak RSS ` +
        `${big.peakRssMiB?.toFixed(0) ?? "n/a"} MiB, WASM heap ` +
        `${big.wasmHeapMiB === null ? "n/a" : `${big.wasmHeapMiB.toFixed(0)} MiB`}`,
    );
  }
}
// The update RL²'s authors ran (first-order TRPO), beside TRPO at the same batch, on ONNX Runtime:
// one MDP iteration at the paper's scale (GRU 256, 250,000 timesteps), each in its own process;
// RL²-PPO at the PyTorch RL² implementation's settings (GRU 256, 24,000 timesteps, 8 epochs of
// minibatches of 60 trials), so the comparison with it can be rerun; and the first-order
// iteration with 2 intra-op threads against 1, for a single long run on two cores.
if (!quick && BACKENDS.includes("ort")) {
  // One iteration after a warm-up one, on ONNX Runtime, for SETTING BATCH GRU 256 (probe.ts).
  const probeOf = (batch: number, ...flags: (string | number)[]) => [
    "mdp-n10",
    batch,
    256,
    batch === 250000 ? 1 : 3,
    1,
    "ort",
    ...flags,
  ];
  const rows: [string, (string | number)[]][] = [
    ["TRPO iteration mdp-n10 @ 250000, GRU 256, FVP on all trials", probeOf(250000, 1)],
    [
      "first-order TRPO iteration mdp-n10 @ 250000, GRU 256",
      probeOf(250000, "--learner", "rl2_fo_trpo"),
    ],
    [
      "first-order TRPO iteration mdp-n10 @ 250000, GRU 256, 2 threads",
      probeOf(250000, "--learner", "rl2_fo_trpo", "--threads", 2),
    ],
    // The issue-42 command line, with 1 and 2 threads, and its memory at 62,500 timesteps.
    [
      "first-order TRPO iteration mdp-n10 @ 25000, GRU 256",
      probeOf(25000, "--learner", "rl2_fo_trpo"),
    ],
    [
      "first-order TRPO iteration mdp-n10 @ 25000, GRU 256, 2 threads",
      probeOf(25000, "--learner", "rl2_fo_trpo", "--threads", 2),
    ],
    [
      "first-order TRPO iteration mdp-n10 @ 62500, GRU 256",
      probeOf(62500, "--learner", "rl2_fo_trpo"),
    ],
    [
      "RL²-PPO iteration mdp-n10 @ 24000, GRU 256, 8 epochs of 60-trial minibatches",
      probeOf(24000, "--learner", "rl2_ppo", "--epochs", 8, "--minibatches", 4),
    ],
  ];
  for (const [figure, args] of rows) {
    const r = await probe(args);
    figures.ort![`${figure} (own process)`] = r.secondsPerIteration;
    figures.ort![`${figure} (own process), CPU s`] = r.cpuSecondsPerIteration;
    if (r.peakRssMiB !== null) figures.ort![`${figure} (own process), peak RSS MiB`] = r.peakRssMiB;
    log(
      `ort  ${figure} (own process): ${r.secondsPerIteration.toFixed(2)} s, ` +
        `${r.cpuSecondsPerIteration.toFixed(2)} CPU s, peak RSS ${
          r.peakRssMiB?.toFixed(0) ?? "n/a"
        } MiB`,
    );
  }
}
results.figures = figures;
if (BACKENDS.length > 1) {
  // ort over WASM: a speed-up for rates, a time ratio inverted for seconds.
  const ratios: Record<string, number> = {};
  for (const [figure, value] of Object.entries(figures.ort!)) {
    const other = figures.wasm![figure];
    if (other === undefined || figure.startsWith("peak")) continue;
    ratios[figure] = figure.startsWith("TRPO") ? other / value : value / other;
  }
  results.ortOverWasm = ratios;
  log("ort vs WASM (speed-up, same run):");
  for (const [figure, r] of Object.entries(ratios)) log(`  ${figure}: ${r.toFixed(2)}×`);
}
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

// PEARL: gradient steps per second of experiments/pearl/point-robot.jsonc's agent on ONNX Runtime's
// graphs and on the host's loops, their GFLOP/s beside this run's 512 matmul on ONNX Runtime; the
// authors' sizes on ONNX Runtime; the peak memory of the experiment's run with its replay buffers
// at their final size, in a process of its own (bench/pearl.ts).
{
  const size = await experimentSize();
  const reference = figures.ort?.matmul512Gflops;
  const rates: Record<string, PearlRate> = {};
  const measure = (label: string, stepper: "ort" | "host", at = size) => {
    const r = pearlStepRate(at, stepper, quick ? 2 : 8);
    rates[label] = r;
    const share = reference === undefined
      ? ""
      : ` (${(100 * r.gflops / reference).toFixed(1)}% of the ort 512 matmul)`;
    log(
      `PEARL ${label}: ${r.stepsPerSecond.toFixed(2)} gradient steps/s, ` +
        `${(r.flops / 1e6).toFixed(1)} MFLOP a step, ${r.gflops.toFixed(2)} GFLOP/s${share}`,
    );
  };
  const at = `${size.name}, ${size.hidden.join("×")}, ${size.tasks} × ${size.batch}`;
  if (BACKENDS.includes("ort")) measure(`${at}, ort`, "ort");
  measure(`${at}, host`, "host");
  if (!quick && BACKENDS.includes("ort")) {
    measure(
      `the authors' 3×300, ${AUTHORS_SIZE.tasks} × ${AUTHORS_SIZE.batch}, ort`,
      "ort",
      AUTHORS_SIZE,
    );
  }
  const run = await inProcess<PearlRunResult>("./pearl.ts", ["--run"]);
  log(
    `PEARL run of ${size.name} (${run.iterations} iterations, one gradient step each): ` +
      `${run.transitions} transitions in its replay buffers, peak RSS ` +
      `${run.peakRssMiB?.toFixed(0) ?? "n/a"} MiB`,
  );
  results.pearl = { rates, run, matmul512GflopsOrt: reference ?? null };
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

results.loadAverageAtEnd = loadAverage();
log(
  `load average: ${results.loadAverageAtStart} at the start, ${results.loadAverageAtEnd} at the end`,
);
await Deno.writeTextFile(
  new URL("./results.json", import.meta.url),
  JSON.stringify(results, null, 2) + "\n",
);
log("written bench/results.json");
