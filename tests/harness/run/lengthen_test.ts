import assert from "node:assert/strict";
import { canonicalJson } from "../../../src/canonical.ts";
import { atEarlierLength, iterationsOf, lengthens } from "../../../src/harness/run/lengthen.ts";
import type { RunConfig } from "../../../src/harness/run/manifest.ts";

function runConfig(iterations: number, gru = 8): RunConfig {
  return {
    task: { kind: "bandit", arms: 2, episodes: 3 },
    agent: "rl2",
    agent_config: {
      kind: "rl2",
      policy: { gru },
      sampling: { iterations, batch_timesteps: 30 },
    } as unknown as RunConfig["agent_config"],
    ablation: {},
    seed: 0,
    evaluation: { tasks: 10, seed: 1, every: 0, greedy: false },
    backend: "wasm",
  };
}

Deno.test("iterationsOf: an agent's sampling.iterations, undefined for a classic baseline", () => {
  assert.equal(iterationsOf(runConfig(7).agent_config), 7);
  assert.equal(iterationsOf({ kind: "ucb1" }), undefined);
  assert.equal(iterationsOf(undefined), undefined);
});

Deno.test("lengthens: only more iterations of the same config", () => {
  assert.equal(lengthens(runConfig(4), runConfig(10)), true);
  assert.equal(lengthens(runConfig(4), runConfig(4)), false, "the same length");
  assert.equal(lengthens(runConfig(10), runConfig(4)), false, "fewer iterations");
  assert.equal(lengthens(runConfig(4), runConfig(10, 16)), false, "another network too");
  assert.equal(lengthens(runConfig(4), { ...runConfig(10), seed: 1 }), false, "another seed");
});

Deno.test("atEarlierLength: agents given more iterations brought back to the earlier length", () => {
  const experiment = (rl2: number, trpo: number, name = "e") =>
    canonicalJson({
      name,
      agents: {
        rl2: { kind: "rl2", sampling: { iterations: rl2 } },
        trpo: { kind: "trpo", sampling: { iterations: trpo } },
        ucb1: { kind: "ucb1" },
      },
    });
  assert.equal(atEarlierLength(experiment(4, 5), experiment(10, 5)), experiment(4, 5));
  assert.equal(atEarlierLength(experiment(4, 5), experiment(10, 9)), experiment(4, 5));
  assert.equal(
    atEarlierLength(experiment(4, 5), experiment(3, 5)),
    experiment(3, 5),
    "fewer iterations stay: another experiment",
  );
  assert.notEqual(atEarlierLength(experiment(4, 5), experiment(10, 5, "f")), experiment(4, 5));
  assert.equal(atEarlierLength("not json", experiment(4, 5)), undefined);
});
