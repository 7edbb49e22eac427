import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { gruNetwork } from "../../src/policies/gru.ts";
import type { Norm } from "../../src/policies/network.ts";
import { categoricalDistribution, softmax } from "../../src/policies/categorical.ts";
import { policyOf } from "../../src/policies/distribution.ts";
import { backprop, forwardOutputs } from "../../src/algos/unroll.ts";
import { fisherOperator, klGradient, surrogateAndKl } from "../../src/algos/policy_gradient.ts";
import { AVAILABLE, useBackend } from "../_backend.ts";

function tinyProblem(norm: Norm) {
  const net = gruNetwork({ inputDim: 3, hidden: 4, outputDim: 3, norm });
  const rng = Rng.derive(1, "fisher-test");
  const params = net.init(rng);
  const T = 4, B = 3;
  const inputs = Float32Array.from({ length: T * B * 3 }, () => rng.normal());
  const mask = new Float32Array(T * B).fill(1);
  mask[3 * B + 2] = 0; // trial 2 ended after three steps
  const logits = forwardOutputs(net, params, { T, B, inputs, mask }, 64);
  const probs = new Float32Array(logits.length);
  for (let i = 0; i < T * B; i++) softmax(logits, i * 3, 3, probs);
  const actions = new Int32Array(T * B);
  const batch = { T, B, inputs, mask, distParams: probs, head: new Float32Array(0), actions };
  return { net, policy: policyOf(net, categoricalDistribution(3)), params, batch, rng };
}

/** F = mean over valid states of Σ_a p(a|s) ∇log p(a|s) ∇log p(a|s)ᵀ, from first-order gradients. */
function explicitFisher(problem: ReturnType<typeof tinyProblem>): Float64Array[] {
  const { net, params, batch } = problem;
  const A = 3, P = net.size, { T, B } = batch;
  const F = Array.from({ length: P }, () => new Float64Array(P));
  let n = 0;
  for (let i = 0; i < T * B; i++) {
    if (batch.mask[i] === 0) continue;
    n++;
    for (let a = 0; a < A; a++) {
      // ∇ log p(a|s_i): its gradient in the logits of step i is onehot(a) − p(·|s_i).
      const grad = backprop(net, params, batch, 64, (out) => {
        const d = new Float32Array(out.length);
        for (let k = 0; k < A; k++) d[i * A + k] = (k === a ? 1 : 0) - batch.distParams[i * A + k]!;
        return d;
      });
      const p = batch.distParams[i * A + a]!;
      for (let r = 0; r < P; r++) for (let c = 0; c < P; c++) F[r]![c]! += p * grad[r]! * grad[c]!;
    }
  }
  for (const row of F) for (let c = 0; c < P; c++) row[c]! /= n;
  return F;
}

for (
  const [norm, backend] of AVAILABLE.flatMap((b) =>
    (["weight", "layer", "none"] as const).map((n) => [n, b] as const)
  )
) {
  Deno.test(`fisherOperator() matches an explicit Fisher matrix on a tiny GRU (norm ${norm}, ${backend})`, async () => {
    await useBackend(backend);
    const problem = tinyProblem(norm);
    const F = explicitFisher(problem);
    const fisher = fisherOperator(problem.policy, problem.params, problem.batch, 1e-2, 64);
    for (let trial = 0; trial < 3; trial++) {
      const v = Float64Array.from({ length: problem.net.size }, () => problem.rng.normal());
      const expected = F.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
      const got = fisher.apply(v);
      let num = 0, den = 0;
      for (let i = 0; i < v.length; i++) {
        num += (got[i]! - expected[i]!) ** 2;
        den += expected[i]! ** 2;
      }
      const rel = Math.sqrt(num / den);
      assert.ok(rel <= 1e-3, `relative error ${rel.toExponential(2)} > 1e-3`);
    }
    fisher.dispose();
  });
}

Deno.test("the mean KL's gradient of a categorical policy matches differences away from the old one", async () => {
  await useBackend("cpu");
  const { policy, params, batch, rng } = tinyProblem("none");
  const full = { ...batch, advantages: new Float32Array(batch.mask.length) };
  const at = Float32Array.from(params, (p) => p + 0.1 * rng.normal());
  const g = klGradient(policy, at, full, 64);
  const f = (x: Float32Array) => surrogateAndKl(policy, x, full, 64).kl;
  const h = 1e-3;
  for (let k = 0; k < 3; k++) {
    const v = Float32Array.from(params, () => rng.normal());
    const shifted = (s: number) => Float32Array.from(at, (p, i) => p + s * h * v[i]!);
    const fd = (f(shifted(1)) - f(shifted(-1))) / (2 * h);
    let got = 0;
    for (let i = 0; i < v.length; i++) got += g[i]! * v[i]!;
    assert.ok(Math.abs(got - fd) <= 2e-3 * (Math.abs(fd) + 1e-2), `${got} vs ${fd}`);
  }
});
