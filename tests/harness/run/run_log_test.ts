import assert from "node:assert/strict";
import { loadExperiment } from "../../../src/experiment/load.ts";
import { expandRuns } from "../../../src/experiment/expand.ts";
import { findLearner } from "../../../src/learners/registry.ts";
import type { LearnerAgentConfig } from "../../../src/learners/learner.ts";
import type { ClassicAgentConfig } from "../../../src/experiment/schema.ts";
import { evaluateBaseline, type RunContext, train } from "../../../src/harness/run/run_work.ts";
import { useBackend } from "../../_backend.ts";
import { TINY } from "../_results.ts";

/** The log lines of a tiny experiment's run `id`, its JSON lines to the runner kept quiet. */
async function logOf(id: string): Promise<string[]> {
  await useBackend("wasm");
  const experiment = await loadExperiment(TINY);
  const run = expandRuns(experiment).find((r) => r.id === id)!;
  const dir = await Deno.makeTempDir({ prefix: "rl2lab-log-" });
  const lines: string[] = [];
  const ctx: RunContext = {
    experiment: experiment.config,
    run,
    dir,
    configHash: "test",
    checkpointEvery: 100,
    checkpoint: undefined,
    stallLimit: 100,
    git: null,
    log: (line) => lines.push(line),
    warn: () => Promise.resolve(),
  };
  const say = console.log;
  console.log = () => {};
  try {
    const learner = findLearner(run.agentConfig.kind);
    if (learner === undefined) await evaluateBaseline(ctx, run.agentConfig as ClassicAgentConfig);
    else await train(ctx, learner, run.agentConfig as LearnerAgentConfig);
  } finally {
    console.log = say;
    await Deno.remove(dir, { recursive: true });
  }
  return lines;
}

Deno.test("log.txt gives returns, KL and entropy rounded, not as 5.021999999999971", async () => {
  const lines = [...await logOf("rl2/seed-0"), ...await logOf("ucb1/seed-0")];
  const numbers = lines.filter((l) => /^(iteration \d|evaluation )/.test(l));
  assert.ok(numbers.length >= 4 + 3 + 1, numbers.join("\n"));
  for (const line of numbers) assert.doesNotMatch(line, /\d\.\d{7,}/, line);
  assert.ok(numbers.some((l) => /return -?\d+\.\d{3}, kl \S+, entropy \d+\.\d{1,4}, /.test(l)));
});
