import assert from "node:assert/strict";
import { epsilonGreedyBandit } from "../../../src/baselines/bandit/epsilon_greedy.ts";
import { fixedTasks, runBaseline } from "./_run.ts";

/**
 * Expected return on arms (1, 0). The greedy choice is a tie only on the first pull; afterwards
 * arm 0 always has the larger mean (≥ 2/3 once pulled, 1/2 > arm 1's ≤ 1/2 before). So arm 0 is
 * pulled with probability 1/2 first and 1 − ε/2 afterwards.
 */
function expectedOnOneZero(n: number, epsilon: number): number {
  return 0.5 + (n - 1) * (1 - epsilon / 2);
}

Deno.test("epsilonGreedyBandit matches the closed-form return on arms (1, 0)", async (t) => {
  for (const epsilon of [0, 0.2, 1]) {
    await t.step(`ε = ${epsilon}`, () => {
      const n = 20;
      const { mean, se } = runBaseline(
        epsilonGreedyBandit,
        { epsilon },
        fixedTasks([1, 0], 3000),
        n,
      );
      const expected = expectedOnOneZero(n, epsilon);
      assert.ok(
        Math.abs(mean - expected) < 4 * se + 1e-9,
        `mean ${mean} ± ${se}, expected ${expected}`,
      );
    });
  }
});

Deno.test("epsilonGreedyBandit rejects ε outside [0, 1] and unknown keys", () => {
  assert.throws(() => epsilonGreedyBandit.params.parse({ epsilon: 1.5 }));
  assert.throws(() => epsilonGreedyBandit.params.parse({ eps: 0.1 }));
});
