import assert from "node:assert/strict";
import { MdpPosterior } from "../../../src/baselines/mdp/posterior.ts";
import { UCRL2_PRIOR, ucrl2Slack } from "../../../src/baselines/mdp/ucrl2.ts";

Deno.test("ucrl2Slack gives TabulaRL's confidence widths from the observation counts", () => {
  const post = new MdpPosterior(2, 2, UCRL2_PRIOR);
  for (let i = 0; i < 3; i++) post.observe(1, 0, 1, 0);
  post.observe(1, 0, 1, undefined);
  const rewardSlack = new Float64Array(4);
  const transitionSlack = new Float64Array(4);
  ucrl2Slack(post, 3, 0.1, 0.5, rewardSlack, transitionSlack);
  // log(2·S·A·(t+1)/δ) with S = 2, A = 2, t = 3, δ = 0.1.
  const log = Math.log((2 * 2 * 2 * 4) / 0.1);
  const close = (x: number, y: number) => assert.ok(Math.abs(x - y) < 1e-12, `${x} vs ${y}`);
  close(rewardSlack[2]!, 0.5 * Math.sqrt((4 * log) / 4));
  close(transitionSlack[2]!, 0.5 * Math.sqrt((4 * 2 * log) / 3));
  close(rewardSlack[0]!, 0.5 * Math.sqrt(4 * log));
  close(transitionSlack[0]!, 0.5 * Math.sqrt(8 * log));
});
