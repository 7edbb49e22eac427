/**
 * PEARL's gradient steps per second on one core (the critic and encoder, value and policy steps
 * of one meta-batch), on ONNX Runtime's graphs (`src/algos/ort_sac.ts`) and the host's loops
 * (`src/algos/sac_step.ts`), with the FLOPs of a step; and the peak memory of a run of
 * `experiments/pearl/point-robot.jsonc`'s PEARL agent with its replay buffers at their final size.
 *
 * `deno run -A bench/pearl.ts [SECONDS]` prints one Markdown row per size and stepper;
 * `deno run -A bench/pearl.ts --run` runs the experiment's PEARL agent for all its iterations with
 * one gradient step each (its buffers grow as in the real run) in this process and prints one
 * JSON line with its peak RSS (`deno task bench` runs it in a process of its own).
 *
 * @module
 */
import { Rng } from "../src/rng.ts";
import { initBackend } from "../src/backend.ts";
import { loadOrt } from "../src/compute/ort_runtime.ts";
import { ortSacStepper } from "../src/algos/ort_sac.ts";
import {
  hostSacStepper,
  type SacHyper,
  sacInit,
  sacNoise,
  sacShapes,
} from "../src/algos/sac_step.ts";
import type { SacBatch, SacShapes, SacSizes } from "../src/algos/sac_losses.ts";
import type { DenseShape } from "../src/algos/dense_mlp.ts";
import { loadExperiment } from "../src/experiment/load.ts";
import { resolveLearner } from "../src/learners/registry.ts";
import { Trainer } from "../src/learners/train.ts";
import { createFamily } from "../src/envs/registry.ts";
import type { PearlConfig } from "../src/learners/pearl_config.ts";
import { peakRssMiB } from "./workload.ts";

/** The experiment whose PEARL agent the benchmark's first size is. */
export const PEARL_EXPERIMENT = new URL("../experiments/pearl/point-robot.jsonc", import.meta.url)
  .pathname;

/** One measured size: hidden layers, encoder layers, meta-batch, batch, context batch. */
export interface PearlSize {
  /** What the size is. */
  readonly name: string;
  /** Hidden layers of the policy, Q and V networks. */
  readonly hidden: readonly number[];
  /** Hidden layers of the encoder. */
  readonly encoder: readonly number[];
  /** Tasks per gradient step. */
  readonly tasks: number;
  /** Actor-critic transitions per task. */
  readonly batch: number;
  /** Context transitions per task. */
  readonly context: number;
}

/** The authors' sizes (configs/default.py). */
export const AUTHORS_SIZE: PearlSize = {
  name: "the authors' sizes",
  hidden: [300, 300, 300],
  encoder: [200, 200, 200],
  tasks: 16,
  batch: 256,
  context: 64,
};

/** The size of an experiment file's PEARL agent (the agent named `pearl`). */
export async function experimentSize(path = PEARL_EXPERIMENT): Promise<PearlSize> {
  const p = experimentPearl(await loadExperiment(path)).pearl;
  return {
    name: path.split("/").slice(-2).join("/"),
    hidden: p.hidden,
    encoder: p.encoder_hidden,
    tasks: p.meta_batch,
    batch: p.batch,
    context: p.context_batch,
  };
}

function experimentPearl(e: Awaited<ReturnType<typeof loadExperiment>>) {
  const agent = e.config.agents.pearl as { kind: string; pearl: PearlConfig } | undefined;
  if (agent === undefined) throw new Error(`${e.path} has no agent named "pearl"`);
  return { task: e.config.task, agent, pearl: agent.pearl };
}

const HYPER: SacHyper = {
  gamma: 0.99,
  klWeight: 0.1,
  tau: 0.005,
  lr: { policy: 3e-4, qf1: 3e-4, qf2: 3e-4, vf: 3e-4, encoder: 3e-4 },
  reg: { mean: 1e-3, std: 1e-3 },
};

/** The point robot's sizes: observation 2, action 2, latent 5. */
function sizesOf(size: PearlSize): { s: SacSizes; shapes: SacShapes } {
  return {
    s: {
      obsDim: 2,
      actionDim: 2,
      latent: 5,
      tasks: size.tasks,
      batch: size.batch,
      context: size.context,
    },
    shapes: sacShapes(2, 2, 5, size.hidden, size.encoder),
  };
}

/** FLOPs of each layer's product on one row: 2 · in · out. */
function layerFlops(shape: DenseShape): number[] {
  return shape.sizes.slice(1).map((out, l) => 2 * shape.sizes[l]! * out);
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * The FLOPs of the matrix products of one gradient step (elementwise work is left out): per
 * network and row, a forward pass is Σ 2·in·out, a parameter gradient as much again, and an
 * input gradient as much again for every layer it passes (all but the first unless the input's
 * gradient is wanted: ∂Q/∂(a, z)).
 */
export function pearlStepFlops(s: SacSizes, shapes: SacShapes): number {
  const N = s.tasks * s.batch, contextRows = s.tasks * s.context;
  const net = (shape: DenseShape, p: { params: boolean; input: boolean | "inner" }) => {
    const f = layerFlops(shape);
    const inputGrads = p.input === true ? sum(f) : p.input === "inner" ? sum(f.slice(1)) : 0;
    return sum(f) + (p.params ? sum(f) : 0) + inputGrads;
  };
  const forward = (shape: DenseShape) => sum(layerFlops(shape));
  const critic = contextRows * net(shapes.encoder, { params: true, input: "inner" }) +
    N * (forward(shapes.v) + 2 * net(shapes.q, { params: true, input: true }));
  const actor = N * (
    net(shapes.policy, { params: true, input: "inner" }) +
    2 * net(shapes.q, { params: false, input: true }) +
    net(shapes.v, { params: true, input: "inner" })
  );
  return critic + actor;
}

/** What {@link pearlStepRate} measures. */
export interface PearlRate {
  /** Gradient steps per second. */
  readonly stepsPerSecond: number;
  /** FLOPs of one step ({@link pearlStepFlops}). */
  readonly flops: number;
  /** stepsPerSecond × flops, in GFLOP/s. */
  readonly gflops: number;
}

/** Gradient steps per second of `stepper` at `size`, over at least `seconds` (and 2 steps). */
export function pearlStepRate(
  size: PearlSize,
  stepper: "ort" | "host",
  seconds: number,
): PearlRate {
  const { s, shapes } = sizesOf(size);
  const nets = sacInit(shapes, (n) => Rng.derive(1, `bench-${n}`));
  const rng = Rng.derive(2, "bench");
  const normals = (n: number) => new Float64Array(n).map(() => rng.normal());
  const rows = s.tasks * s.batch;
  const batch: SacBatch = {
    context: normals(s.tasks * s.context * 5),
    obs: normals(rows * 2),
    actions: normals(rows * 2).map(Math.tanh),
    rewards: normals(rows),
    nextObs: normals(rows * 2),
    dones: new Float64Array(rows),
  };
  let step = hostSacStepper(s, shapes, HYPER);
  if (stepper === "ort") {
    const ort = loadOrt(1);
    if (typeof ort === "string") throw new Error(ort);
    step = ortSacStepper(ort, s, shapes, HYPER);
  }
  step(nets, batch, sacNoise(s, rng));
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < seconds * 1000 || n < 2) {
    step(nets, batch, sacNoise(s, rng));
    n++;
  }
  const stepsPerSecond = n / ((performance.now() - start) / 1000);
  const flops = pearlStepFlops(s, shapes);
  return { stepsPerSecond, flops, gflops: stepsPerSecond * flops / 1e9 };
}

/** What `--run` prints. */
export interface PearlRunResult {
  /** Iterations run. */
  readonly iterations: number;
  /** Transitions in the replay buffers at the end (both kinds, every task). */
  readonly transitions: number;
  /** Peak resident memory of the process, MiB (null where it cannot be read). */
  readonly peakRssMiB: number | null;
}

/** The experiment's PEARL agent, one gradient step per iteration, on ONNX Runtime if it loads. */
async function runExperiment(): Promise<PearlRunResult> {
  await initBackend("auto", { warn: () => {} });
  const e = experimentPearl(await loadExperiment(PEARL_EXPERIMENT));
  const { spec, config } = resolveLearner({
    ...e.agent,
    pearl: { ...e.pearl, train_steps: 1 },
  });
  const family = createFamily(e.task);
  const learner = new Trainer(family, e.task.episodes, spec, config, 0);
  const iterations = config.sampling.iterations;
  for (let i = 0; i < iterations; i++) learner.iterate();
  const extra = learner.state.extra ?? {};
  const transitions = Object.entries(extra)
    .filter(([k]) => k.includes("_buffer_"))
    .reduce((n, [, b]) => n + b[0]!, 0);
  return { iterations, transitions, peakRssMiB: await peakRssMiB() };
}

if (import.meta.main) {
  if (Deno.args.includes("--run")) {
    console.log(JSON.stringify(await runExperiment()));
  } else {
    const seconds = Number(Deno.args[0] ?? 10);
    const steppers = typeof loadOrt() === "string" ? ["host"] as const : ["ort", "host"] as const;
    const sizes = [
      await experimentSize(),
      { ...AUTHORS_SIZE, name: "2 × 64", hidden: [64, 64], encoder: [64, 64] },
      AUTHORS_SIZE,
    ];
    console.log("| size | hidden | meta-batch × batch | stepper | steps / s | GFLOP/s |");
    console.log("| --- | --- | --- | --- | ---: | ---: |");
    for (const size of sizes) {
      for (const stepper of steppers) {
        // The host's loops at the authors' sizes take minutes a step: measured at one step.
        const big = stepper === "host" && size.hidden[0]! >= 64 && size.batch >= 256;
        const r = pearlStepRate(size, stepper, big ? 0 : seconds);
        console.log(
          `| ${size.name} | ${
            size.hidden.join("×")
          } | ${size.tasks} × ${size.batch} | ${stepper} | ${r.stepsPerSecond.toFixed(2)} | ${
            r.gflops.toFixed(2)
          } |`,
        );
      }
    }
  }
}
