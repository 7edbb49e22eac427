import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { valueFitSchema } from "../../src/learners/config.ts";
import { ablationIssues, expandRuns } from "../../src/experiment/expand.ts";
import { loadExperiment } from "../../src/experiment/load.ts";
import {
  type AgentConfig,
  type ExperimentConfig,
  isClassicAgent,
} from "../../src/experiment/schema.ts";
import { validateAgent } from "../../src/experiment/rules.ts";

const GOOD = fileURLToPath(new URL("good/bandit.jsonc", import.meta.url));

Deno.test("expandRuns() crosses each agent's ablations with the seeds, in a stable order", async () => {
  const runs = expandRuns(await loadExperiment(GOOD));
  const seeds = (prefix: string) => [0, 1, 2].map((s) => `${prefix}/seed-${s}`);
  assert.deepEqual(runs.map((r) => r.id), [
    ...seeds("mlp"),
    ...seeds("random"),
    ...seeds("rl2/gru=16+max_kl=0.01"),
    ...seeds("rl2/gru=16+max_kl=0.02"),
    ...seeds("rl2/gru=64+max_kl=0.01"),
    ...seeds("rl2/gru=64+max_kl=0.02"),
    ...seeds("ucb1/tasks=50"),
    ...seeds("ucb1/tasks=100"),
    ...seeds("ucb1/tasks=200"),
  ]);
  assert.equal(runs.length, (1 + 1 + 2 * 2 + 3) * 3);
  assert.equal(new Set(runs.map((r) => r.id)).size, runs.length);
});

Deno.test("expandRuns() applies a run's overrides and keeps everything else", async () => {
  const experiment = await loadExperiment(GOOD);
  const runs = expandRuns(experiment);
  const run = runs.find((r) => r.id === "rl2/gru=64+max_kl=0.02/seed-1");
  assert(run !== undefined);
  assert.equal(run.agent, "rl2");
  assert.equal(run.seed, 1);
  assert.deepEqual(run.point, { "rl2.policy.gru": 64, "rl2.trpo.max_kl": 0.02 });
  const base = experiment.config.agents.rl2!;
  assert.deepEqual(run.agentConfig, {
    ...base,
    policy: { gru: 64, norm: "weight" },
    trpo: { ...(base as unknown as { trpo: object }).trpo, max_kl: 0.02 },
  });
  assert.equal((base as { policy: { gru: number } }).policy.gru, 32, "the experiment is unchanged");
  const ucb1 = runs.find((r) => r.id === "ucb1/tasks=200/seed-0");
  assert.deepEqual(ucb1?.agentConfig, {
    kind: "ucb1",
    c: 0.2,
    grid: { c: [0.1, 0.2, 0.5] },
    tuning: { tasks: 200, seed: 9001 },
  });
  const mlp = runs.find((r) => r.id === "mlp/seed-2");
  assert.deepEqual(mlp?.point, {});
  assert.deepEqual(mlp?.agentConfig, experiment.config.agents.mlp);
});

function reversed<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).reverse());
}

Deno.test("expandRuns() does not depend on the order of agents and ablations in the file", async () => {
  const { config } = await loadExperiment(GOOD);
  const shuffled: ExperimentConfig = {
    ...config,
    agents: reversed(config.agents),
    ablations: reversed(config.ablations),
  };
  assert.deepEqual(expandRuns({ config: shuffled }), expandRuns({ config }));
});

Deno.test("expandRuns() writes array values as AxB and fills defaults of object values", async () => {
  const { config } = await loadExperiment(GOOD);
  const runs = expandRuns({
    config: {
      ...config,
      agents: { mlp: config.agents.mlp! },
      seeds: [7],
      ablations: { "mlp.policy.mlp": [[32, 32], [64]], "mlp.value": [{ epochs: 2 }] },
    },
  });
  assert.deepEqual(runs.map((r) => r.id), [
    'mlp/mlp=32x32+value={"epochs":2}/seed-7',
    'mlp/mlp=64+value={"epochs":2}/seed-7',
  ]);
  const value = (runs[0]!.agentConfig as { value: object }).value;
  assert.deepEqual(value, valueFitSchema.parse({ epochs: 2 }));
  // Every field with a default is filled in; optional fields without one stay absent.
  assert.deepEqual(Object.keys(value).sort(), Object.keys(valueFitSchema.parse({})).sort());
});

Deno.test("expandRuns() throws when a point gives an invalid agent", async () => {
  const { config } = await loadExperiment(GOOD);
  assert.throws(
    () => expandRuns({ config: { ...config, ablations: { "rl2.trpo.max_kl": [-1] } } }),
    /ablation point max_kl=-1 gives an invalid agent "rl2"/,
  );
});

function resolved(raw: unknown, task: ExperimentConfig["task"]): AgentConfig {
  const check = validateAgent(raw, task);
  assert.deepEqual(check.issues, []);
  assert(check.agent !== undefined);
  return check.agent;
}

Deno.test("ablationIssues() caps the points of an agent", async () => {
  const { config } = await loadExperiment(GOOD);
  const range = (n: number, step: number) => Array.from({ length: n }, (_, i) => (i + 1) * step);
  const issues = ablationIssues(
    { "rl2.value.epochs": range(100, 1), "rl2.trpo.max_kl": range(101, 0.001) },
    config.task,
    config.agents,
  );
  assert.deepEqual(issues, [{
    path: ["ablations", "rl2.trpo.max_kl"],
    atKey: true,
    message: 'agent "rl2" has 10100 ablation points; expected at most 10000',
  }]);
});

Deno.test("ablationIssues() rejects a combination that is invalid although each value is valid", () => {
  const task = { kind: "bandit", arms: 2, episodes: 10 } as const;
  const gittins = resolved({ kind: "gittins", grid: { discount: [0.9], depth: [10] } }, task);
  assert(isClassicAgent(gittins));
  const discounts = Array.from({ length: 101 }, (_, i) => 0.5 + i / 250);
  const depths = Array.from({ length: 100 }, (_, i) => i + 1);
  const single = ablationIssues({ "g.grid.discount": [discounts] }, task, { g: gittins });
  assert.deepEqual(single, [], "101 × 1 grid points are allowed");
  const issues = ablationIssues(
    { "g.grid.discount": [discounts], "g.grid.depth": [depths] },
    task,
    { g: gittins },
  );
  assert.equal(issues.length, 1);
  assert.deepEqual(issues[0]!.path, ["ablations", "g.grid.depth"]);
  assert.match(issues[0]!.message, /^the ablation point depth=1x2x3x.* of agent "g" is invalid: /);
  assert.match(issues[0]!.message, /grid: expected at most 10000 grid points, got 10100$/);
});
