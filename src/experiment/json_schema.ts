/**
 * The JSON Schema of experiment files, generated from the zod schema so editors complete and
 * check what the loader accepts. Run this module to rewrite `experiments/schema.json`.
 *
 * @module
 */
import { z } from "zod";
import { experimentSchema } from "./schema.ts";

/** Where the generated schema is committed; experiment files point at it with `$schema`. */
export const SCHEMA_FILE = new URL("../../experiments/schema.json", import.meta.url);

/** The JSON Schema (draft-07, what editors support best) of an experiment file's input. */
export function experimentJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(experimentSchema(), { io: "input", target: "draft-7" }),
    title: "rl2lab experiment",
    description: "One experiment: task distribution, agents, seeds, evaluation, backend, ablations",
  };
}

/** The text of {@link SCHEMA_FILE}: the schema as indented JSON with a final newline. */
export function experimentJsonSchemaText(): string {
  return `${JSON.stringify(experimentJsonSchema(), null, 2)}\n`;
}

if (import.meta.main) {
  await Deno.writeTextFile(SCHEMA_FILE, experimentJsonSchemaText());
  console.log(`wrote ${SCHEMA_FILE.pathname}`);
}
