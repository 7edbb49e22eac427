/**
 * The reference page of every setting, `docs/settings.md`, written from the blocks' schemas so
 * that it says what the loader does: each block's fields, their types, defaults and descriptions.
 *
 * @module
 */
import { z } from "zod";
import { isRecord } from "../canonical.ts";
import {
  type Field,
  fieldsOf,
  isObject,
  namedSchemas,
  type NamedType,
  nameOf,
  sentence,
  typeText,
} from "./settings_types.ts";
import type { Block } from "./settings_blocks.ts";

/** Where the page is committed, relative to the repository. */
export const SETTINGS_PAGE = "docs/settings.md";

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

type Json = Record<string, unknown>;

/** A bound of a JSON Schema, unless it is only the safe-integer limit every integer has. */
function bound(value: unknown): number | undefined {
  return typeof value === "number" && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined;
}

/** The interval a JSON Schema's number lies in: `[1, 4096]`, `(0, 1)`, `≥ 0`, or "". */
function interval(js: Json): string {
  const lo = bound(js.minimum) ?? bound(js.exclusiveMinimum);
  const hi = bound(js.maximum) ?? bound(js.exclusiveMaximum);
  const loOpen = bound(js.minimum) === undefined;
  const hiOpen = bound(js.maximum) === undefined;
  if (lo !== undefined && hi !== undefined) {
    return `${loOpen ? "(" : "["}${lo}, ${hi}${hiOpen ? ")" : "]"}`;
  }
  if (lo !== undefined) return `${loOpen ? ">" : "≥"} ${lo}`;
  if (hi !== undefined) return `${hiOpen ? "<" : "≤"} ${hi}`;
  return "";
}

function jsonRange(js: Json): string {
  if (js.type === "array" && isRecord(js.items)) {
    const lo = js.minItems, hi = js.maxItems;
    const count = lo === undefined && hi === undefined
      ? ""
      : `${lo ?? 0}${hi === undefined ? " or more" : `–${hi}`} items`;
    const items = jsonRange(js.items);
    return [count, items === "" ? "" : `each ${items}`].filter((p) => p !== "").join(", ");
  }
  return [js.type === "integer" ? "integer" : "", interval(js)].filter((p) => p !== "").join(" ");
}

/**
 * The values a setting of `schema` may take beyond its type, as its JSON Schema states them:
 * "integer", an interval, an array's item count; "" when its type says all.
 */
export function rangeText(schema: z.ZodType): string {
  return jsonRange(z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as Json);
}

/** The table rows of `fields`, nested objects' fields under dotted keys. */
/** A type's cell: in code, a link to the section of the block it names (also as an array). */
function typeCell(type: string, anchors: ReadonlyMap<string, string>): string {
  const at = anchors.get(type.replace(/\[\]$/, ""));
  return at === undefined ? `\`${cell(type)}\`` : `[\`${cell(type)}\`](#${at})`;
}

function rows(
  fields: readonly Field[],
  named: ReadonlyMap<z.ZodType, string>,
  anchors: ReadonlyMap<string, string>,
  prefix = "",
): string[] {
  return fields.flatMap((f) => {
    const key = `${prefix}${f.key}${f.optional ? "?" : ""}`;
    const nested = nameOf(f.value, named) === undefined && isObject(f.value);
    const type = nested ? "object" : typeText(f.value, named).replaceAll(/\s+/g, " ");
    const fallback = f.default === undefined
      ? (f.optional ? "absent" : "required")
      : `\`${JSON.stringify(f.default.value)}\``;
    const description = f.description === undefined ? "" : sentence(f.description);
    const range = nested ? "" : rangeText(f.value);
    const row = `| \`${key}\` | ${typeCell(type, anchors)} | ${cell(fallback)} | ${cell(range)} | ${
      cell(description)
    } |`;
    return nested ? [row, ...rows(fieldsOf(f.value), named, anchors, `${prefix}${f.key}.`)] : [row];
  });
}

function anchor(block: Block): string {
  return `${block.path} ${block.where}`.toLowerCase().replaceAll(/[^a-z0-9 _-]/g, "")
    .replaceAll(" ", "-");
}

/** The text of {@link SETTINGS_PAGE} for `blocks`, naming the schemas of `types` where they occur. */
export function settingsPageText(blocks: readonly Block[], types: readonly NamedType[]): string {
  const named = namedSchemas(types);
  const anchors = new Map(
    blocks.flatMap((b) => b.type === undefined ? [] : [[b.type.name, anchor(b)]]),
  );
  const heading = (b: Block) => `\`${b.path}\` (${b.where})`;
  const sections = blocks.map((b) =>
    [
      `## ${heading(b)}`,
      "",
      `${b.doc}${b.type === undefined ? "" : ` Its type: \`${b.type.name}\`.`}`,
      "",
      "| setting | type | default | values | description |",
      "| --- | --- | --- | --- | --- |",
      ...rows(
        fieldsOf(b.schema),
        new Map([...named].filter(([, n]) => n !== b.type?.name)),
        anchors,
      ),
      "",
    ].join("\n")
  );
  return [
    "# Settings",
    "",
    "Every block of an experiment file, each field with its type, its default, the values it may take",
    "and what it does.",
    "Written by `deno task schema` from the zod schemas the loader validates with (the same source",
    "as `experiments/schema.json` and the TypeScript types of `src/settings/`); a test fails when",
    "it is out of date. How the blocks fit together: [experiments.md](experiments.md).",
    "",
    "## Contents",
    "",
    ...blocks.map((b) => `- [${heading(b)}](#${anchor(b)})`),
    "",
    ...sections,
  ].join("\n");
}
