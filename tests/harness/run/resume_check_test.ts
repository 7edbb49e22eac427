import assert from "node:assert/strict";
import { join } from "node:path";
import { canonicalJson, sha256Hex } from "../../../src/canonical.ts";
import { expandRuns } from "../../../src/experiment/expand.ts";
import { loadExperiment } from "../../../src/experiment/load.ts";
import { type Manifest, runIdentity } from "../../../src/harness/run/manifest.ts";
import { checkpointOfRun } from "../../../src/harness/run/resume_check.ts";
import { PROJECT_ROOT } from "../../../src/project.ts";

Deno.test("checkpointOfRun(): its own run's checkpoint, also one written before a value was renamed", async () => {
  const path = join(PROJECT_ROOT, "experiments/ablations/mdp-n10-authors-small.jsonc");
  const experiment = await loadExperiment(path);
  const identity = await runIdentity(experiment.config, expandRuns(experiment)[0]!);
  const config = structuredClone(identity.config);
  (config.agent_config.policy as { start_input: string }).start_input = "code";
  const oldHash = await sha256Hex(canonicalJson(config));
  const previous = { config, config_hash: oldHash } as Manifest;
  assert.equal(await checkpointOfRun(identity.hash, identity, undefined), true);
  assert.equal(await checkpointOfRun(oldHash, identity, previous), true);
  // Without the attempt's manifest, or of another attempt's config, it is another run's.
  assert.equal(await checkpointOfRun(oldHash, identity, undefined), false);
  assert.equal(await checkpointOfRun("0".repeat(64), identity, previous), false);
  const other = structuredClone(config);
  (other.agent_config.policy as { gru: number }).gru = 8;
  const otherHash = await sha256Hex(canonicalJson(other));
  assert.equal(
    await checkpointOfRun(
      otherHash,
      identity,
      { config: other, config_hash: otherHash } as Manifest,
    ),
    false,
  );
});
