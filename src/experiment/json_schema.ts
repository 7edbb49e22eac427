/**
 * The JSON Schema of experiment files, generated from the zod schema so editors complete and
 * check what the loader accepts; `deno task schema` writes it to `experiments/schema.json`
 * (`src/harness/generated_files.ts`).
 *
 * @module
 */
import { z } from "zod";
import { isRecord } from "../canonical.ts";
import { findLearner } from "../learners/registry.ts";
import { renamedMessage } from "./renames.ts";
import { experimentSchema } from "./schema.ts";

type Json = Record<string, unknown>;

/**
 * `properties` with each old name of `renames` (old → new) beside its new name: the same value,
 * marked deprecated with the loader's notice, so that editors accept what the loader accepts and
 * say the new name.
 */
function withOldNames(properties: Json, renames: Readonly<Record<string, string>>): Json {
  const entries: [string, unknown][] = [];
  for (const [key, value] of Object.entries(properties)) {
    entries.push([key, value]);
    for (const [old, name] of Object.entries(renames)) {
      if (name !== key || !isRecord(value)) continue;
      const { default: _, description: __, ...rest } = value;
      entries.push([old, {
        ...rest,
        description: `the old name of ${key}`,
        deprecated: true,
        deprecationMessage: renamedMessage(key),
      }]);
    }
  }
  return Object.fromEntries(entries);
}

/** `schema` with the old names of every learner's renamed keys in its agents' blocks. */
function withRenamedKeys(schema: Json): Json {
  const agents = (schema.properties as Json | undefined)?.agents as Json | undefined;
  const options = (agents?.additionalProperties as Json | undefined)?.oneOf;
  if (!Array.isArray(options)) throw new Error("the agents' JSON Schema changed shape");
  const renamedOptions = options.map((option: Json) => {
    const properties = option.properties as Record<string, Json>;
    const renamed = findLearner(String(properties.kind?.const))?.renamed ?? {};
    const blocks = Object.entries(renamed).map(([block, renames]) => {
      const at = properties[block]!;
      return [block, { ...at, properties: withOldNames(at.properties as Json, renames) }];
    });
    return { ...option, properties: { ...properties, ...Object.fromEntries(blocks) } };
  });
  return {
    ...schema,
    properties: {
      ...schema.properties as Json,
      agents: {
        ...agents,
        additionalProperties: { ...agents!.additionalProperties as Json, oneOf: renamedOptions },
      },
    },
  };
}

/**
 * The JSON Schema (draft-07, what editors support best) of an experiment file's input, with the
 * old names of renamed keys marked deprecated.
 */
export function experimentJsonSchema(): Record<string, unknown> {
  return {
    ...withRenamedKeys(z.toJSONSchema(experimentSchema(), { io: "input", target: "draft-7" })),
    title: "rl2lab experiment",
    description: "One experiment: task distribution, agents, seeds, evaluation, backend, ablations",
  };
}

/** The text of `experiments/schema.json`: the schema as indented JSON with a final newline. */
export function experimentJsonSchemaText(): string {
  return `${JSON.stringify(experimentJsonSchema(), null, 2)}\n`;
}
