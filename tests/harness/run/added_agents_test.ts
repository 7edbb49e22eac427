import assert from "node:assert/strict";
import { canonicalJson } from "../../../src/canonical.ts";
import { addedAgents, withoutAgents } from "../../../src/harness/run/added_agents.ts";

const experiment = (...names: string[]) =>
  canonicalJson({ name: "e", agents: Object.fromEntries(names.map((n) => [n, { kind: n }])) });

Deno.test("addedAgents() names the agents the earlier version lacks, in the new version's order", () => {
  assert.deepEqual(addedAgents(experiment("rl2"), experiment("rl2", "ucb1", "greedy")), [
    "greedy",
    "ucb1",
  ]);
  assert.deepEqual(addedAgents(experiment("rl2", "ucb1"), experiment("rl2")), [], "removed");
  assert.deepEqual(addedAgents("not json", experiment("rl2")), []);
});

Deno.test("withoutAgents() gives the earlier version back when adding agents was the change", () => {
  assert.equal(withoutAgents(experiment("rl2", "ucb1"), ["ucb1"]), experiment("rl2"));
  assert.equal(withoutAgents(experiment("rl2"), []), experiment("rl2"));
});
