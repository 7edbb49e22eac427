import assert from "node:assert/strict";
import { Rng } from "../../../src/rng.ts";
import type { MdpTask } from "../../../src/envs/tabular_mdp.ts";
import {
  optimisticQValues,
  optimisticRow,
  qValues,
} from "../../../src/baselines/mdp/value_iteration.ts";

function randomMdp(rng: Rng, S: number, A: number): MdpTask {
  const rewardMean = Float64Array.from({ length: S * A }, () => 1 + rng.normal());
  const transitions = new Float64Array(S * A * S);
  const flat = new Float64Array(S).fill(1);
  for (let sa = 0; sa < S * A; sa++) rng.dirichlet(flat, transitions.subarray(sa * S, sa * S + S));
  return { states: S, actions: A, rewardMean, transitions };
}

/** Exact expected return of the non-stationary policy `pi[h*S + s]` from `start`. */
function policyReturn(mdp: MdpTask, H: number, pi: number[], start: number): number {
  const { states: S, actions: A } = mdp;
  let dist = new Float64Array(S);
  dist[start] = 1;
  let total = 0;
  for (let h = 0; h < H; h++) {
    const next = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      const sa = s * A + pi[h * S + s]!;
      total += dist[s]! * mdp.rewardMean[sa]!;
      for (let j = 0; j < S; j++) next[j]! += dist[s]! * mdp.transitions[sa * S + j]!;
    }
    dist = next;
  }
  return total;
}

Deno.test("qValues solves a hand-worked two-state deterministic MDP", () => {
  // Action 0 stays, action 1 switches. R(0,·) = [1, 0], R(1,·) = [2, 0.5].
  const mdp: MdpTask = {
    states: 2,
    actions: 2,
    rewardMean: new Float64Array([1, 0, 2, 0.5]),
    transitions: new Float64Array([1, 0, 0, 1, 0, 1, 1, 0]),
  };
  const q = qValues(mdp, 3);
  // Step 2 (last): Q = R. Step 1: V2 = [1, 2].
  // Step 0: V1 = [max(1+1, 0+2), max(2+2, 0.5+1)] = [2, 4].
  assert.deepEqual([...q], [3, 4, 6, 2.5, 2, 2, 4, 1.5, 1, 0, 2, 0.5]);
});

Deno.test("qValues equals the best return over all Markov policies (brute force)", () => {
  const rng = Rng.derive(5, "vi-brute-force");
  const S = 2, A = 2, H = 3;
  for (let trial = 0; trial < 20; trial++) {
    const mdp = randomMdp(rng, S, A);
    const q = qValues(mdp, H);
    for (let start = 0; start < S; start++) {
      let best = -Infinity;
      for (let code = 0; code < A ** (S * H); code++) {
        const pi = Array.from({ length: S * H }, (_, i) => Math.floor(code / A ** i) % A);
        best = Math.max(best, policyReturn(mdp, H, pi, start));
      }
      const v0 = Math.max(q[start * A]!, q[start * A + 1]!);
      assert.ok(Math.abs(v0 - best) < 1e-12, `V0(${start}) = ${v0}, brute force ${best}`);
    }
  }
});

Deno.test("qValues adds the per-step-left bonus once for every step that follows", () => {
  const mdp: MdpTask = {
    states: 1,
    actions: 1,
    rewardMean: new Float64Array([0.5]),
    transitions: new Float64Array([1]),
  };
  const H = 6, b = 0.25;
  const q = qValues(mdp, H, new Float64Array([b]));
  for (let h = 0; h < H; h++) {
    const left = H - h;
    assert.ok(Math.abs(q[h]! - (0.5 * left + (b * (left - 1) * left) / 2)) < 1e-12);
  }
});

Deno.test("optimisticRow stays a distribution in the L1 ball and beats every row in it", () => {
  const rng = Rng.derive(6, "evi-row");
  const S = 6;
  const flat = new Float64Array(S).fill(1);
  const out = new Float64Array(S);
  for (let trial = 0; trial < 200; trial++) {
    const p = rng.dirichlet(flat);
    const v = Float64Array.from({ length: S }, () => rng.normal());
    const order = Int32Array.from({ length: S }, (_, i) => i).sort((x, y) => v[x]! - v[y]!);
    const slack = rng.uniformIn(0, 2.5);
    optimisticRow(p, 0, slack, order, out);
    let sum = 0, l1 = 0, value = 0;
    for (let j = 0; j < S; j++) {
      assert.ok(out[j]! >= 0);
      sum += out[j]!;
      l1 += Math.abs(out[j]! - p[j]!);
      value += out[j]! * v[j]!;
    }
    assert.ok(Math.abs(sum - 1) < 1e-12);
    assert.ok(l1 <= slack + 1e-12, `L1 ${l1} > slack ${slack}`);
    for (let k = 0; k < 50; k++) {
      // A random distribution pulled into the ball around p.
      const r = rng.dirichlet(flat);
      let d = 0;
      for (let j = 0; j < S; j++) d += Math.abs(r[j]! - p[j]!);
      const t = Math.min(1, slack / d);
      let other = 0;
      for (let j = 0; j < S; j++) other += (p[j]! + t * (r[j]! - p[j]!)) * v[j]!;
      assert.ok(value >= other - 1e-12);
    }
  }
  const p = new Float64Array([0.2, 0.5, 0.3]);
  const order = new Int32Array([1, 2, 0]);
  assert.deepEqual([...optimisticRow(p, 0, 0, order, new Float64Array(3))], [...p]);
  assert.deepEqual([...optimisticRow(p, 0, 2, order, new Float64Array(3))], [1, 0, 0]);
  const half = optimisticRow(p, 0, 0.6, order, new Float64Array(3));
  // Best state 0 gains 0.3; worst state 1 gives it up.
  assert.ok(Math.abs(half[0]! - 0.5) < 1e-12 && Math.abs(half[1]! - 0.2) < 1e-12);
  assert.ok(Math.abs(half[2]! - 0.3) < 1e-12);
});

Deno.test("optimisticQValues is optimistic when the true MDP lies in the confidence set", () => {
  const rng = Rng.derive(7, "evi-optimism");
  const S = 5, A = 3, H = 6;
  for (let trial = 0; trial < 20; trial++) {
    const truth = randomMdp(rng, S, A);
    const other = randomMdp(rng, S, A);
    const estimate: MdpTask = {
      states: S,
      actions: A,
      rewardMean: truth.rewardMean.map((r, i) => 0.7 * r + 0.3 * other.rewardMean[i]!),
      transitions: truth.transitions.map((p, i) => 0.6 * p + 0.4 * other.transitions[i]!),
    };
    const rewardSlack = estimate.rewardMean.map((r, i) => Math.abs(r - truth.rewardMean[i]!));
    const transitionSlack = new Float64Array(S * A);
    for (let sa = 0; sa < S * A; sa++) {
      for (let j = sa * S; j < sa * S + S; j++) {
        transitionSlack[sa]! += Math.abs(estimate.transitions[j]! - truth.transitions[j]!);
      }
    }
    const optimistic = optimisticQValues(estimate, H, rewardSlack, transitionSlack);
    const exact = qValues(truth, H);
    for (let i = 0; i < exact.length; i++) assert.ok(optimistic[i]! >= exact[i]! - 1e-9);
    const zero = new Float64Array(S * A);
    const plain = optimisticQValues(estimate, H, zero, zero);
    const reference = qValues(estimate, H);
    for (let i = 0; i < plain.length; i++) assert.ok(Math.abs(plain[i]! - reference[i]!) < 1e-9);
  }
});

Deno.test("optimisticQValues with carryOver starts each step from the next step's row", () => {
  // Two states, one action, R = [0, 1], P̂ = [0.5, 0.5] from both, transition slack 0.4.
  const mdp: MdpTask = {
    states: 2,
    actions: 1,
    rewardMean: new Float64Array([0, 1]),
    transitions: new Float64Array([0.5, 0.5, 0.5, 0.5]),
  };
  const rewardSlack = new Float64Array(2);
  const transitionSlack = new Float64Array([0.4, 0.4]);
  const close = (q: Float64Array, expected: number[]) =>
    expected.forEach((e, i) => assert.ok(Math.abs(q[i]! - e) < 1e-12, `${[...q]} vs ${expected}`));
  // Jaksch: every step uses [0.3, 0.7]: V2 = [0, 1], V1 = R + 0.7, V0 = R + 0.21 + 1.19.
  close(optimisticQValues(mdp, 3, rewardSlack, transitionSlack), [1.4, 2.4, 0.7, 1.7, 0, 1]);
  // Carry-over: step 2 picks [0.3, 0.7], step 1 [0.1, 0.9], step 0 hits the cap: [0, 1].
  const carried = optimisticQValues(mdp, 3, rewardSlack, transitionSlack, { carryOver: true });
  close(carried, [1.9, 2.9, 0.9, 1.9, 0, 1]);
  assert.deepEqual([...mdp.transitions], [0.5, 0.5, 0.5, 0.5]);
});
