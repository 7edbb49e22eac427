/**
 * The reference page of every setting, `docs/settings.md`, written from the blocks' schemas so
 * that it says what the loader does: each block's fields, their types, defaults and descriptions.
 *
 * @module
 */
import type { z } from "zod";
import { type Field, fieldsOf, nameOf, sentence, typeText } from "./settings_types.ts";
import type { Block } from "./settings_blocks.ts";

/** Where the page is committed, relative to the repository. */
export const SETTINGS_PAGE = "docs/settings.md";

function isObject(schema: z.ZodType): boolean {
  try {
    fieldsOf(schema);
    return true;
  } catch {
    return false;
  }
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

/** The table rows of `fields`, nested objects' fields under dotted keys. */
function rows(
  fields: readonly Field[],
  named: ReadonlyMap<z.ZodType, string>,
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
    const row = `| \`${key}\` | \`${cell(type)}\` | ${cell(fallback)} | ${cell(description)} |`;
    return nested ? [row, ...rows(fieldsOf(f.value), named, `${prefix}${f.key}.`)] : [row];
  });
}

function anchor(block: Block): string {
  return `${block.path} ${block.where}`.toLowerCase().replaceAll(/[^a-z0-9 _-]/g, "")
    .replaceAll(" ", "-");
}

/** The text of {@link SETTINGS_PAGE} for `blocks`. */
export function settingsPageText(blocks: readonly Block[]): string {
  const named = new Map<z.ZodType, string>();
  for (const b of blocks) if (b.type !== undefined) named.set(b.schema, b.type);
  const heading = (b: Block) => `\`${b.path}\` (${b.where})`;
  const sections = blocks.map((b) =>
    [
      `## ${heading(b)}`,
      "",
      `${b.doc}${b.type === undefined ? "" : ` Its type: \`${b.type}\`.`}`,
      "",
      "| setting | type | default | description |",
      "| --- | --- | --- | --- |",
      ...rows(fieldsOf(b.schema), new Map([...named].filter(([s]) => s !== b.schema))),
      "",
    ].join("\n")
  );
  return [
    "# Settings",
    "",
    "Every block of an experiment file, each field with its type, its default and what it does.",
    "Written by `deno task schema` from the zod schemas the loader validates with (the same source",
    "as `experiments/schema.json` and the TypeScript types of `src/settings.ts`); a test fails when",
    "it is out of date. How the blocks fit together: [experiments.md](experiments.md).",
    "",
    "## Contents",
    "",
    ...blocks.map((b) => `- [${heading(b)}](#${anchor(b)})`),
    "",
    ...sections,
  ].join("\n");
}
