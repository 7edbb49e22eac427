import assert from "node:assert/strict";
import {
  adaptationSection,
  adaptationSpec,
  tableEpisodes,
} from "../../../src/harness/report/adaptation_report.ts";
import { compareExperiment } from "../../../src/analysis/comparison.ts";
import type { RunResults } from "../../../src/analysis/comparison_types.ts";
import { resolve } from "../_synthetic.ts";

Deno.test("tableEpisodes(): every episode of short trials, a spread of twelve from 1 to n of long ones", () => {
  assert.deepEqual(tableEpisodes(10), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  for (const n of [13, 100, 500]) {
    const picked = tableEpisodes(n);
    assert.equal(picked.length, 12, `n = ${n}: ${picked}`);
    assert.deepEqual(picked.slice(0, 3), [1, 2, 3]);
    assert.equal(picked.at(-1), n);
    assert.ok(picked.every((e, i) => i === 0 || e > picked[i - 1]!), `increasing: ${picked}`);
  }
});

Deno.test("adaptationSection() and adaptationSpec() set MAML's stages and RL²'s episodes on one axis of trajectories", () => {
  const sampling = { iterations: 4, batch_timesteps: 400 };
  const config = resolve({
    name: "navigation",
    task: { kind: "navigation", episodes: 3 },
    seeds: [0, 1],
    agents: {
      maml: { kind: "maml_trpo", sampling, maml: { meta_batch: 2, trajectories: 5 } },
      rl2: { kind: "rl2", policy: { gru: 4 }, sampling },
    },
    evaluation: { tasks: 2, every: 2 },
  });
  const runs = (curve: number[]): RunResults[] =>
    [0, 1].map((seed) => ({
      seed,
      evaluations: [{ iteration: 4, timesteps: 40, seconds: 1, returns: Float64Array.of(1, 2) }],
      training: [],
      adaptation: curve.map((x) => x + seed),
    }));
  const variant = (agent: string, curve: number[]) => ({
    agent,
    label: "",
    point: {},
    classic: false,
    runs: runs(curve),
  });
  const c = compareExperiment(
    {
      name: config.name,
      config,
      variants: [variant("maml", [-40, -12, -10]), variant("rl2", [-30, -20, -15])],
      missing: [],
    },
    { seed: 0, resamples: 200 },
  );
  const setting = c.settings[0]!;
  const [section] = adaptationSection(c, setting, new Set());
  assert.match(section!, /\| trajectories per episode \| 5 \| 1 \|/);
  const spec = adaptationSpec(c, setting) as unknown as {
    data: { values: { agent: string; x: number }[] };
    layer: { encoding: { x: { title: string; scale?: { type: string } } } }[];
  };
  const xs = (agent: string) => spec.data.values.filter((v) => v.agent === agent).map((v) => v.x);
  assert.deepEqual(xs("maml"), [0, 5, 10]);
  assert.deepEqual(xs("rl2"), [0, 1, 2]);
  assert.deepEqual(spec.layer[1]!.encoding.x.scale, { type: "symlog" });
  assert.match(spec.layer[1]!.encoding.x.title, /trajectories of the task/);
});
