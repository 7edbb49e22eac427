import assert from "node:assert/strict";
import { optimisticThompsonBandit } from "../../../src/baselines/bandit/optimistic_thompson.ts";
import { fixedTasks, runBaseline, secondArmRate, thompsonOnOneZero } from "./_run.ts";

Deno.test("optimisticThompsonBandit with one sample is Thompson sampling", () => {
  const n = 20;
  const tasks = fixedTasks([1, 0], 4000);
  const { mean, se } = runBaseline(optimisticThompsonBandit, { samples: 1 }, tasks, n);
  const expected = thompsonOnOneZero(n);
  assert.ok(Math.abs(mean - expected) < 4 * se, `mean ${mean} ± ${se}, expected ${expected}`);
});

Deno.test("optimisticThompsonBandit with many samples pulls the arm most likely to be best", () => {
  // Beta(2,1) is best with probability 2/3; among 400 joint samples arm 1 wins a majority with
  // probability P(Binomial(400, 1/3) ≥ 200) < 1e-10.
  assert.equal(secondArmRate(optimisticThompsonBandit, { samples: 400 }, 300), 0);
});

Deno.test("optimisticThompsonBandit rejects a non-positive sample count", () => {
  assert.throws(() => optimisticThompsonBandit.params.parse({ samples: 0 }));
});
