import assert from "node:assert/strict";
import { Rng } from "../../../src/rng.ts";
import {
  emptyMdp,
  MdpPosterior,
  priorParams,
  TABULARL_PRIOR,
} from "../../../src/baselines/mdp/posterior.ts";
import { z } from "zod";

const prior = {
  dirichlet_alpha: 0.5,
  reward_prior_mean: 0.3,
  reward_prior_precision: 2,
  reward_noise_precision: 0.25,
};

Deno.test("MdpPosterior.observe matches the Normal-Normal conjugate closed form", () => {
  const post = new MdpPosterior(3, 2, prior);
  const rewards = [1.5, -0.2, 2.25, 0.7];
  for (const r of rewards) post.observe(1, 1, r, 0);
  const n = rewards.length;
  const sum = rewards.reduce((a, b) => a + b, 0);
  const { reward_prior_mean: mu0, reward_prior_precision: tau0, reward_noise_precision: tau } =
    prior;
  const sa = 1 * 2 + 1;
  assert.ok(Math.abs(post.rewardMean[sa]! - (tau0 * mu0 + tau * sum) / (tau0 + n * tau)) < 1e-12);
  assert.equal(post.rewardPrecision[sa], tau0 + n * tau);
  assert.equal(post.rewardCount[sa], n);
  assert.equal(post.rewardMean[0], mu0);
  assert.equal(post.rewardPrecision[0], tau0);
});

Deno.test("MdpPosterior.observe counts transitions only when a next state is given", () => {
  const S = 3;
  const post = new MdpPosterior(S, 2, prior);
  post.observe(0, 1, 0, 2);
  post.observe(0, 1, 0, 2);
  post.observe(0, 1, 0, 0);
  post.observe(0, 1, 1, undefined);
  const sa = 1;
  assert.equal(post.transitionCount[sa], 3);
  assert.equal(post.rewardCount[sa], 4);
  const model = emptyMdp(S, 2);
  post.mean(model);
  const total = S * 0.5 + 3;
  const row = [...model.transitions.subarray(sa * S, sa * S + S)];
  const expected = [(0.5 + 1) / total, 0.5 / total, (0.5 + 2) / total];
  for (let j = 0; j < S; j++) assert.ok(Math.abs(row[j]! - expected[j]!) < 1e-12);
  assert.deepEqual([...model.transitions.subarray(0, S)], [1 / 3, 1 / 3, 1 / 3]);
  post.reset();
  assert.equal(post.transitionCount[sa], 0);
  assert.equal(post.rewardCount[sa], 0);
  assert.equal(post.transitionAlphaSum[sa], S * 0.5);
  assert.equal(post.rewardMean[sa], prior.reward_prior_mean);
});

Deno.test("MdpPosterior.sample draws rewards and transitions with the posterior's moments", () => {
  const S = 3;
  const post = new MdpPosterior(S, 1, prior);
  for (const r of [2, 1, 3]) post.observe(0, 0, r, 1);
  post.observe(0, 0, 0.5, 2);
  const mu = post.rewardMean[0]!;
  const variance = 1 / post.rewardPrecision[0]!;
  const alpha = [0.5, 3.5, 1.5];
  const alphaSum = 5.5;
  const rng = Rng.derive(3, "posterior-test");
  const model = emptyMdp(S, 1);
  const N = 20000;
  let m = 0;
  let m2 = 0;
  const pMean = [0, 0, 0];
  for (let i = 0; i < N; i++) {
    post.sample(rng, model);
    const r = model.rewardMean[0]!;
    m += r;
    m2 += r * r;
    let rowSum = 0;
    for (let j = 0; j < S; j++) {
      const p = model.transitions[j]!;
      assert.ok(p >= 0);
      rowSum += p;
      pMean[j]! += p / N;
    }
    assert.ok(Math.abs(rowSum - 1) < 1e-12);
  }
  m /= N;
  const v = m2 / N - m * m;
  assert.ok(Math.abs(m - mu) < 4 * Math.sqrt(variance / N), `reward mean ${m} vs ${mu}`);
  assert.ok(Math.abs(v / variance - 1) < 0.05, `reward variance ${v} vs ${variance}`);
  for (let j = 0; j < S; j++) {
    const e = alpha[j]! / alphaSum;
    const sd = Math.sqrt((e * (1 - e)) / (alphaSum + 1) / N);
    assert.ok(Math.abs(pMean[j]! - e) < 4 * sd, `P(${j}) mean ${pMean[j]} vs ${e}`);
  }
});

Deno.test("priorParams defaults to the given prior and validates", () => {
  const schema = z.strictObject(priorParams(TABULARL_PRIOR));
  assert.deepEqual(schema.parse({}), {
    dirichlet_alpha: 1,
    reward_prior_mean: 0,
    reward_prior_precision: 1,
    reward_noise_precision: 1,
  });
  assert.throws(() => schema.parse({ dirichlet_alpha: 0 }));
});
