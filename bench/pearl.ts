/**
 * PEARL's gradient steps per second on one core (`src/algos/sac_step.ts`: the critic and
 * encoder, value and policy steps of one meta-batch), at the budget of
 * `experiments/pearl/point-robot.jsonc` and at the authors' network and batch sizes, on the
 * point robot's sizes (observation 2, action 2, latent 5). `deno run --allow-read
 * bench/pearl.ts [seconds per row]`; prints one Markdown row per size.
 *
 * @module
 */
import { Rng } from "../src/rng.ts";
import { sacInit, sacNoise, sacShapes, sacStep } from "../src/algos/sac_step.ts";
import type { SacBatch, SacSizes } from "../src/algos/sac_losses.ts";

/** One measured size: hidden layers, encoder layers, meta-batch, batch, context batch. */
interface Size {
  name: string;
  hidden: number[];
  encoder: number[];
  tasks: number;
  batch: number;
  context: number;
}

const SIZES: Size[] = [
  {
    name: "point-robot.jsonc budget",
    hidden: [32, 32],
    encoder: [32, 32],
    tasks: 8,
    batch: 64,
    context: 64,
  },
  {
    name: "authors' sizes",
    hidden: [300, 300, 300],
    encoder: [200, 200, 200],
    tasks: 16,
    batch: 256,
    context: 64,
  },
];

const HYPER = {
  gamma: 0.99,
  klWeight: 0.1,
  tau: 0.005,
  lr: { policy: 3e-4, qf1: 3e-4, qf2: 3e-4, vf: 3e-4, encoder: 3e-4 },
  reg: { mean: 1e-3, std: 1e-3 },
};

function stepsPerSecond(size: Size, seconds: number): number {
  const s: SacSizes = {
    obsDim: 2,
    actionDim: 2,
    latent: 5,
    tasks: size.tasks,
    batch: size.batch,
    context: size.context,
  };
  const shapes = sacShapes(2, 2, 5, size.hidden, size.encoder);
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
  sacStep(s, shapes, nets, batch, sacNoise(s, rng), HYPER);
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < seconds * 1000 || n < 2) {
    sacStep(s, shapes, nets, batch, sacNoise(s, rng), HYPER);
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

if (import.meta.main) {
  const seconds = Number(Deno.args[0] ?? 10);
  console.log("| size | hidden | meta-batch × batch | gradient steps / s |");
  console.log("| --- | --- | --- | ---: |");
  for (const size of SIZES) {
    const rate = stepsPerSecond(size, seconds);
    console.log(
      `| ${size.name} | ${size.hidden.join("×")} | ${size.tasks} × ${size.batch} | ${
        rate.toFixed(2)
      } |`,
    );
  }
}
