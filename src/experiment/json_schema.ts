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
import { movedMessage, renamedMessage, renamedValueMessage } from "./renames.ts";
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

/**
 * `properties` with the old values of `renames` (setting → old value → new value) accepted
 * beside the new ones, marked deprecated with the loader's notice.
 */
function withOldValues(
  properties: Json,
  renames: Readonly<Record<string, Readonly<Record<string, string>>>>,
): Json {
  const entries = Object.entries(properties).map(([key, value]): [string, unknown] => {
    const old = Object.hasOwn(renames, key) ? renames[key]! : undefined;
    if (old === undefined || !isRecord(value)) return [key, value];
    const { description, default: given, ...current } = value;
    const values = Object.entries(old);
    return [key, {
      ...(description !== undefined && { description }),
      ...(given !== undefined && { default: given }),
      anyOf: [
        current,
        ...values.map(([was, now]) => ({
          type: "string",
          const: was,
          description: `the old value of "${now}"`,
          deprecated: true,
          deprecationMessage: renamedValueMessage(now),
        })),
      ],
    }];
  });
  return Object.fromEntries(entries);
}

/** The schema at `path` (of property names) below `schema`. */
function schemaAt(schema: Json, path: readonly string[]): Json {
  let at = schema;
  for (const key of path) at = (at.properties as Record<string, Json>)[key]!;
  return at;
}

/**
 * `schema` with what every learner's agent blocks accept in an older spelling: old key names,
 * old values, and settings that moved out of the block (with the schema of their new place),
 * each marked deprecated.
 */
function withOldSpellings(schema: Json): Json {
  const agents = (schema.properties as Json | undefined)?.agents as Json | undefined;
  const options = (agents?.additionalProperties as Json | undefined)?.oneOf;
  if (!Array.isArray(options)) throw new Error("the agents' JSON Schema changed shape");
  const renamedOptions = options.map((option: Json) => {
    const properties = option.properties as Record<string, Json>;
    const spec = findLearner(String(properties.kind?.const));
    const blocks = new Map<string, Json>();
    const block = (name: string) => blocks.get(name) ?? properties[name]!;
    const fieldsOf = (name: string) => block(name).properties as Json;
    for (const [name, renames] of Object.entries(spec?.renamed ?? {})) {
      blocks.set(name, { ...block(name), properties: withOldNames(fieldsOf(name), renames) });
    }
    for (const [name, renames] of Object.entries(spec?.renamedValues ?? {})) {
      blocks.set(name, { ...block(name), properties: withOldValues(fieldsOf(name), renames) });
    }
    for (const [from, to] of Object.entries(spec?.moved ?? {})) {
      const [name = "", key = ""] = from.split(".");
      const { default: _, description: __, ...rest } = schemaAt(schema, to.split("."));
      const old = {
        ...rest,
        description: `moved to ${to}`,
        deprecated: true,
        deprecationMessage: movedMessage(to),
      };
      blocks.set(name, { ...block(name), properties: { ...fieldsOf(name), [key]: old } });
    }
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
 * The JSON Schema (draft-07, what editors support best) of an experiment file's input, with
 * what the loader accepts in an older spelling (old keys, values and places) marked deprecated.
 */
export function experimentJsonSchema(): Record<string, unknown> {
  return {
    ...withOldSpellings(z.toJSONSchema(experimentSchema(), { io: "input", target: "draft-7" })),
    title: "rl2lab experiment",
    description: "One experiment: task distribution, agents, seeds, evaluation, backend, ablations",
  };
}

/** The text of `experiments/schema.json`: the schema as indented JSON with a final newline. */
export function experimentJsonSchemaText(): string {
  return `${JSON.stringify(experimentJsonSchema(), null, 2)}\n`;
}
