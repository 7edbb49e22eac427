import assert from "node:assert/strict";
import { z } from "zod";
import {
  declarationText,
  fieldDoc,
  fieldsOf,
  sentence,
  typesModuleText,
  typeText,
  wrapWords,
} from "../../src/experiment/settings_types.ts";

const inner = z.strictObject({ lo: z.number().default(0).describe("lower end") });
const block = z.strictObject({
  kind: z.literal("demo").describe("the kind"),
  units: z.int().min(1).default(8).describe("units (paper: 8)"),
  norm: z.enum(["weight", "none"]).optional().describe("k, the normalisation"),
  range: z.tuple([z.number(), z.number()]).default([1, 2]),
  sizes: z.array(z.int()),
  names: z.record(z.string(), z.number()).default({}),
  either: z.union([z.string(), z.boolean()]),
  prior: z.strictObject({ mean: z.number().describe("its mean") }).describe("a prior"),
  child: inner.optional(),
  described: inner.describe("a copy of inner that only adds a description"),
}).optional();

Deno.test("fieldsOf: each field's description, optionality and default, wrappers removed", () => {
  const fields = fieldsOf(block);
  assert.deepEqual(fields.map((f) => f.key), [
    "kind",
    "units",
    "norm",
    "range",
    "sizes",
    "names",
    "either",
    "prior",
    "child",
    "described",
  ]);
  const units = fields[1]!;
  assert.deepEqual([units.description, units.optional, units.default], [
    "units (paper: 8)",
    false,
    { value: 8 },
  ]);
  const norm = fields[2]!;
  assert.deepEqual([norm.optional, norm.default], [true, undefined]);
  assert.equal(fieldDoc(units), "Units (paper: 8). Default: `8`.");
  assert.equal(fieldDoc(fields[3]!), "Default: `[1,2]`.");
  assert.throws(() => fieldsOf(z.number()), /expected an object schema, got number/);
});

Deno.test("wrapWords: lines within the width, a code span kept whole", () => {
  assert.deepEqual(wrapWords("one two three four", 9), ["one two", "three", "four"]);
  assert.deepEqual(wrapWords("run `deno task schema` now", 12), [
    "run",
    "`deno task schema`",
    "now",
  ]);
  assert.deepEqual(wrapWords("", 10), [""]);
});

Deno.test("sentence: a full stop, and a capital only where the text starts with a word", () => {
  assert.equal(sentence("units per layer"), "Units per layer.");
  assert.equal(sentence("k, the arms"), "k, the arms.");
  assert.equal(sentence("μ(s,a) ~ N(1, 1)"), "μ(s,a) ~ N(1, 1).");
  assert.equal(sentence("a prior"), "A prior.");
  assert.equal(sentence("Done."), "Done.");
});

Deno.test("typeText: every zod construct of the blocks, named schemas by name", () => {
  const named = new Map<z.ZodType, string>([[inner, "Inner"]]);
  const t = (s: z.ZodType) => typeText(s, named);
  assert.equal(t(z.literal("a")), '"a"');
  assert.equal(t(z.enum(["x", "y"])), '"x" | "y"');
  assert.equal(t(z.array(z.enum(["x", "y"]))), '("x" | "y")[]');
  assert.equal(t(z.tuple([z.number(), z.int()])), "[number, number]");
  assert.equal(t(z.record(z.string(), z.array(z.unknown()))), "Record<string, unknown[]>");
  assert.equal(t(z.union([z.string(), z.boolean()])), "string | boolean");
  assert.equal(t(inner.optional()), "Inner");
  assert.equal(t(inner.describe("copied")), "Inner", "a described copy keeps its name");
  assert.throws(() => t(z.date()), /no TypeScript type for a zod date/);
});

Deno.test("declarationText: an interface whose members carry the schema's words", () => {
  const text = declarationText(
    { name: "Demo", module: "demo", doc: "A demo block.", schema: block },
    new Map<z.ZodType, string>([[inner, "Inner"]]),
  );
  const expected = [
    "/** A demo block. */",
    "export interface Demo {",
    "  /** The kind. */",
    '  kind: "demo";',
    "  /** Units (paper: 8). Default: `8`. */",
    "  units: number;",
    "  /** k, the normalisation. */",
    '  norm?: "weight" | "none";',
    "  /** Default: `[1,2]`. */",
    "  range: [number, number];",
    "  sizes: number[];",
    "  /** Default: `{}`. */",
    "  names: Record<string, number>;",
    "  either: string | boolean;",
    "  /** A prior. */",
    "  prior: {",
    "    /** Its mean. */",
    "    mean: number;",
    "  };",
    "  child?: Inner;",
    "  /** A copy of inner that only adds a description. */",
    "  described: Inner;",
    "}",
    "",
  ].join("\n");
  assert.equal(text, expected);
});

Deno.test("typesModuleText: a module's types, naming the others and importing those of other modules", () => {
  const other = z.strictObject({ kind: z.literal("other") });
  const holder = z.strictObject({ inner: inner, either: z.union([inner, other]) });
  const types = [
    { name: "Inner", module: "parts", doc: "Inner.", schema: inner },
    { name: "Other", module: "parts", doc: "Other.", schema: other },
    { name: "Unused", module: "parts", doc: "Unused.", schema: z.strictObject({}) },
    { name: "Mention", module: "whole", doc: "Not Unused, only named.", schema: z.number() },
    { name: "Any", module: "whole", doc: "Either.", schema: z.union([inner, other]) },
    { name: "Holder", module: "whole", doc: "Holder.", schema: holder },
  ];
  const whole = typesModuleText("/** header */\n", "whole", types);
  assert.match(
    whole,
    /^\/\*\* header \*\/\nimport type \{ Inner, Other \} from "\.\/parts\.ts";\n\n/,
  );
  assert.match(whole, /\/\*\* Either\. \*\/\nexport type Any = Inner \| Other;\n/);
  assert.match(
    whole,
    /export interface Holder \{\n {2}inner: Inner;\n {2}either: Inner \| Other;\n\}\n$/,
  );
  const parts = typesModuleText("/** header */\n", "parts", types);
  assert.match(parts, /^\/\*\* header \*\/\n\n\/\*\* Inner\. \*\/\nexport interface Inner \{/);
  assert.doesNotMatch(parts, /import|Holder/);
});
