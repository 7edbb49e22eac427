import assert from "node:assert/strict";
import { MdpPosterior, TABULARL_PRIOR } from "../../../src/baselines/mdp/posterior.ts";
import { bebBonus } from "../../../src/baselines/mdp/beb.ts";

Deno.test("bebBonus gives TabulaRL's 1/(τ+1) reward and βH/(1+Σα) transition bonuses", () => {
  const S = 3, H = 4, scaling = 0.01;
  const post = new MdpPosterior(S, 2, TABULARL_PRIOR);
  for (let i = 0; i < 5; i++) post.observe(2, 1, 0.5, 1);
  post.observe(2, 1, 0.5, undefined);
  const rewardBonus = new Float64Array(S * 2);
  const transitionBonus = new Float64Array(S * 2);
  bebBonus(post, H, scaling, rewardBonus, transitionBonus);
  const beta = 2 * H * H * scaling;
  const close = (x: number, y: number) => assert.ok(Math.abs(x - y) < 1e-12, `${x} vs ${y}`);
  // τ0 = 1, six rewards of precision 1; α0 = 1 over 3 states plus five transitions.
  close(rewardBonus[5]!, 1 / (1 + 6 + 1));
  close(transitionBonus[5]!, (beta * H) / (1 + 3 + 5));
  close(rewardBonus[0]!, 1 / 2);
  close(transitionBonus[0]!, (beta * H) / 4);
});
