import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import {
  addLogProbGradient,
  gaussianEntropy,
  gaussianKl,
  gaussianLogProb,
  gaussianPolicy,
  gaussianSample,
} from "../../src/policies/gaussian.ts";
import { policyInit, splitParams } from "../../src/policies/distribution.ts";
import { mlpNetwork } from "../../src/policies/mlp.ts";

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

const mean = [0.3, -1.2, 0.5];
const logStd = [0.1, -0.7, 0.4];
const action = [1.0, -1.0, -0.2];

Deno.test("log-density is the sum of the 1-D normal log-densities", () => {
  let expected = 0;
  for (let j = 0; j < 3; j++) {
    const s = Math.exp(logStd[j]!);
    expected += Math.log(
      Math.exp(-((action[j]! - mean[j]!) ** 2) / (2 * s * s)) /
        (s * Math.sqrt(2 * Math.PI)),
    );
  }
  close(gaussianLogProb(mean, action, 0, logStd, 3), expected, 1e-12, "log p");
  // Offsets select a row.
  close(
    gaussianLogProb([9, 9, 9, ...mean], [9, 9, 9, ...action], 3, logStd, 3),
    expected,
    1e-12,
    "row",
  );
});

Deno.test("the log-density's gradient matches central differences in the mean and log σ", () => {
  const dMean = new Float64Array(3);
  const dLogStd = new Float64Array(3);
  addLogProbGradient(mean, action, 0, logStd, 3, 2, dMean, dLogStd);
  const h = 1e-6;
  for (let j = 0; j < 3; j++) {
    const m = (s: number) => mean.map((x, k) => k === j ? x + s * h : x);
    const l = (s: number) => logStd.map((x, k) => k === j ? x + s * h : x);
    const fdMean = (gaussianLogProb(m(1), action, 0, logStd, 3) -
      gaussianLogProb(m(-1), action, 0, logStd, 3)) / (2 * h);
    const fdLog = (gaussianLogProb(mean, action, 0, l(1), 3) -
      gaussianLogProb(mean, action, 0, l(-1), 3)) / (2 * h);
    close(dMean[j]!, 2 * fdMean, 1e-6, `∂μ${j}`);
    close(dLogStd[j]!, 2 * fdLog, 1e-6, `∂logσ${j}`);
  }
});

Deno.test("entropy, KL and sampling agree with their closed forms and with Monte Carlo", () => {
  // KL(N(0, 1) ‖ N(1, 2²)) = log 2 + (1 + 1)/8 − ½.
  close(gaussianKl([0], [0], [1], [Math.log(2)], 0, 1), Math.log(2) + 0.25 - 0.5, 1e-12, "KL 1-D");
  close(gaussianKl(mean, logStd, mean, logStd, 0, 3), 0, 1e-15, "KL(p‖p)");
  // H = Σ log σ + (d/2) log 2πe.
  close(
    gaussianEntropy(logStd, 3),
    logStd.reduce((a, b) => a + b) + 1.5 * Math.log(2 * Math.PI * Math.E),
    1e-12,
    "H",
  );
  const other = [0.1, -1.0, 0.9];
  const otherLogStd = [0.3, -0.5, 0.0];
  const rng = Rng.derive(7, "gaussian-test");
  const n = 200000;
  const x = new Float32Array(3);
  let h = 0, kl = 0;
  const sum = [0, 0, 0], square = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    gaussianSample(mean, 0, logStd, 3, rng, x);
    const lp = gaussianLogProb(mean, x, 0, logStd, 3);
    h -= lp / n;
    kl += (lp - gaussianLogProb(other, x, 0, otherLogStd, 3)) / n;
    for (let j = 0; j < 3; j++) (sum[j]! += x[j]! / n, square[j]! += x[j]! ** 2 / n);
  }
  close(h, gaussianEntropy(logStd, 3), 0.02, "entropy by Monte Carlo");
  close(kl, gaussianKl(mean, logStd, other, otherLogStd, 0, 3), 0.02, "KL by Monte Carlo");
  for (let j = 0; j < 3; j++) {
    close(sum[j]!, mean[j]!, 0.01, `sample mean ${j}`);
    close(square[j]! - sum[j]! ** 2, Math.exp(2 * logStd[j]!), 0.02, `sample variance ${j}`);
  }
});

Deno.test("a Gaussian policy's parameters are the network's, then log σ at its initial value", () => {
  const net = mlpNetwork({ inputDim: 2, hidden: [5], outputDim: 2, norm: "none" });
  const policy = gaussianPolicy(net, -0.5);
  assert.equal(policy.size, net.size + 2);
  const params = policyInit(policy, Rng.derive(1, "init"));
  const { net: w, head: logStd } = splitParams(policy, params);
  assert.deepEqual(w, net.init(Rng.derive(1, "init")));
  assert.deepEqual([...logStd], [-0.5, -0.5]);
  assert.throws(() => splitParams(policy, new Float32Array(3)), /expected/);
});
