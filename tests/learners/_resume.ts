/** The resume check every learner's tests share. */
import assert from "node:assert/strict";
import type { TaskFamily } from "../../src/envs/env.ts";
import { Trainer } from "../../src/learners/train.ts";
import type { LearnerAgentConfig, LearnerSpec } from "../../src/learners/learner.ts";
import { parseCheckpoint, serializeCheckpoint } from "../../src/harness/run/checkpoint.ts";

/**
 * Asserts that 2 iterations of seed `seed`, a checkpoint (through its text, as a resumed run
 * reads it) and 2 more iterations give the logs and state of 4 uninterrupted iterations.
 */
export function assertResumes(
  family: TaskFamily,
  episodes: number,
  spec: LearnerSpec,
  config: LearnerAgentConfig,
  seed: number,
): void {
  const train = (iterations: number) => {
    const learner = new Trainer(family, episodes, spec, config, seed);
    return { learner, logs: Array.from({ length: iterations }, () => learner.iterate()) };
  };
  const whole = train(4);
  const half = train(2);
  const text = serializeCheckpoint({
    configHash: "",
    state: half.learner.state,
    seconds: 0,
    progress: [],
    eval: [],
  });
  const resumed = new Trainer(family, episodes, spec, config, seed, parseCheckpoint(text).state);
  const rest = [resumed.iterate(), resumed.iterate()];
  assert.deepEqual([...half.logs, ...rest], whole.logs);
  assert.deepEqual(resumed.state, whole.learner.state);
}
