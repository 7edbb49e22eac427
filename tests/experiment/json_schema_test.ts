import assert from "node:assert/strict";
import { BASELINES } from "../../src/baselines/registry.ts";
import { LEARNERS } from "../../src/learners/registry.ts";
import { taskSchema } from "../../src/envs/registry.ts";
import { experimentJsonSchema } from "../../src/experiment/json_schema.ts";

type Json = Record<string, unknown>;

Deno.test("experimentJsonSchema() describes the file's fields, agents and task kinds", () => {
  const schema = experimentJsonSchema();
  assert.equal(schema.$schema, "http://json-schema.org/draft-07/schema#");
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual([...(schema.required as string[])].sort(), ["agents", "name", "seeds", "task"]);
  const properties = schema.properties as Record<string, Json>;
  assert.equal(properties.seeds!.uniqueItems, true);
  const agents = properties.agents!;
  const options = (agents.additionalProperties as Json).oneOf as Json[];
  const kinds = options.map((o) => ((o.properties as Record<string, Json>).kind!).const);
  assert.deepEqual(kinds, [
    ...LEARNERS.map((l) => l.kind),
    ...new Set(BASELINES.map((b) => b.kind)),
  ]);
  for (const option of options) assert.equal(option.additionalProperties, false);
  const tasks = (properties.task!.oneOf as Json[]).map((o) =>
    ((o.properties as Record<string, Json>).kind!).const
  );
  assert.deepEqual(tasks, taskSchema.options.map((o) => o.shape.kind.value));
  const option = (kind: string) =>
    options.find((o) => (o.properties as Record<string, Json>).kind!.const === kind)!
      .properties as Record<string, Json>;
  const fields = (kind: string, block: string) =>
    option(kind)[block]!.properties as Record<string, Json>;
  // A renamed key's old name is accepted (the loader reads it as the new one) and deprecated.
  const ppo = fields("rl2_ppo", "ppo");
  assert.deepEqual(Object.keys(ppo).slice(4, 6), ["entropy_coeff", "entropy_coef"]);
  assert.equal(ppo.entropy_coef!.deprecated, true);
  assert.equal(
    ppo.entropy_coef!.deprecationMessage,
    "renamed to entropy_coeff (accepted; write the new name)",
  );
  // An old value is accepted beside the new ones, and deprecated.
  const start = fields("rl2", "policy").start_input!.anyOf as Json[];
  assert.deepEqual(start[0]!.enum, ["action_0", "no_action_done"]);
  assert.deepEqual(start.slice(1).map((o) => [o.const, o.deprecated]), [
    ["paper", true],
    ["code", true],
  ]);
  // A setting that moved out of the block is accepted there, deprecated, with its new place's
  // fields.
  const moved = fields("trpo", "trpo").finetune!;
  assert.equal(moved.deprecationMessage, "moved to evaluation.finetune (accepted; write it there)");
  const evaluation = properties.evaluation!.properties as Record<string, Json>;
  assert.deepEqual(moved.properties, evaluation.finetune!.properties);
  const ablation = new RegExp(
    ((properties.ablations!.propertyNames as Json).pattern) as string,
  );
  assert(ablation.test("rl2.trpo.max_kl") && !ablation.test("rl2") && !ablation.test("RL2.x"));
});
