import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { loadOrt } from "../../src/compute/ort_runtime.ts";
import { ortSacStepper } from "../../src/algos/ort_sac.ts";
import {
  hostSacStepper,
  NETWORKS,
  type SacHyper,
  sacInit,
  type SacNets,
  sacNoise,
  sacShapes,
  type SacStepStats,
} from "../../src/algos/sac_step.ts";
import type { SacBatch, SacSizes } from "../../src/algos/sac_losses.ts";

const ort = loadOrt(1);
const s: SacSizes = { obsDim: 2, actionDim: 2, latent: 3, tasks: 3, batch: 7, context: 5 };
const shapes = sacShapes(2, 2, 3, [8, 8], [6, 6]);
const h: SacHyper = {
  gamma: 0.9,
  klWeight: 0.3,
  tau: 0.1,
  lr: { policy: 1e-2, qf1: 1e-2, qf2: 1e-2, vf: 1e-2, encoder: 1e-2 },
  reg: { mean: 0.1, std: 0.2 },
};

function batchOf(r: Rng): SacBatch {
  const normals = (n: number, scale = 1) => new Float64Array(n).map(() => scale * r.normal());
  const rows = s.tasks * s.batch;
  return {
    context: normals(s.tasks * s.context * 5),
    obs: normals(rows * 2),
    actions: normals(rows * 2).map(Math.tanh),
    rewards: normals(rows, 5),
    nextObs: normals(rows * 2),
    dones: new Float64Array(rows).map((_, i) => i % 5 === 0 ? 1 : 0),
  };
}

/** Three steps of `stepper` from the same networks, batch and draws. */
function threeSteps(stepper: ReturnType<typeof hostSacStepper>): {
  nets: SacNets;
  stats: SacStepStats[];
} {
  const nets = sacInit(shapes, (n) => Rng.derive(1, `ort-sac-${n}`));
  const r = Rng.derive(2, "ort-sac");
  const batch = batchOf(r);
  const stats = [0, 1, 2].map(() => stepper(nets, batch, sacNoise(s, r)));
  return { nets, stats };
}

Deno.test({
  name: "PEARL's step on ONNX Runtime: the host step's losses and parameters to float32 rounding",
  ignore: typeof ort === "string",
  fn() {
    if (typeof ort === "string") return;
    const host = threeSteps(hostSacStepper(s, shapes, h));
    const dev = threeSteps(ortSacStepper(ort, s, shapes, h));
    host.stats.forEach((a, i) => {
      for (const [k, v] of Object.entries(a)) {
        const w = dev.stats[i]![k as keyof SacStepStats];
        assert.ok(Math.abs(v - w) < 1e-5 * (1 + Math.abs(v)), `step ${i} ${k}: ${v} vs ${w}`);
      }
    });
    for (const n of NETWORKS) {
      const a = host.nets.params[n], b = dev.nets.params[n];
      for (let i = 0; i < a.length; i++) {
        assert.ok(Math.abs(a[i]! - b[i]!) < 1e-5, `${n}[${i}]: ${a[i]} vs ${b[i]}`);
      }
    }
    assert.ok(dev.nets.targetVf.every((v, i) => Math.abs(v - host.nets.targetVf[i]!) < 1e-5));
  },
});

Deno.test({
  name: "PEARL's step on ONNX Runtime: same networks and draws, bit-identical results",
  ignore: typeof ort === "string",
  fn() {
    if (typeof ort === "string") return;
    const a = threeSteps(ortSacStepper(ort, s, shapes, h));
    const b = threeSteps(ortSacStepper(ort, s, shapes, h));
    assert.deepEqual(a.stats, b.stats);
    for (const n of NETWORKS) assert.deepEqual(a.nets.params[n], b.nets.params[n]);
  },
});
