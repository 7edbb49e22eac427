/**
 * TypeScript types written from zod schemas, so that a block of settings is declared once (its
 * schema: fields, bounds, defaults, descriptions) and its type, with every field's documentation,
 * follows. `deno task schema` writes them into `src/settings/`; a test keeps those files current.
 *
 * @module
 */
import type { z } from "zod";

/** A type to write: its name, its module, its documentation and the schema whose output it is. */
export interface NamedType {
  /** The type's name, e.g. `TrpoConfig`. */
  readonly name: string;
  /** The module it is declared in, a sibling file's name without `.ts`, e.g. `agent`. */
  readonly module: string;
  /** One sentence on what it holds. */
  readonly doc: string;
  /** The schema; the type is what parsing with it returns. */
  readonly schema: z.ZodType;
}

/** The internals of a zod schema this module reads (zod 4's `_zod.def`). */
interface Def {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  shape?: Record<string, z.ZodType>;
  entries?: Record<string, string | number>;
  values?: readonly unknown[];
  element?: z.ZodType;
  items?: readonly z.ZodType[];
  valueType?: z.ZodType;
  options?: readonly z.ZodType[];
  out?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** A field of an object schema: its description, default and value schema, wrappers removed. */
export interface Field {
  /** Its key. */
  readonly key: string;
  /** Its description, from the outermost wrapper that has one. */
  readonly description?: string;
  /** Whether the parsed object may lack it. */
  readonly optional: boolean;
  /** Its default, when it has one. */
  readonly default?: { value: unknown };
  /** The schema of its value. */
  readonly value: z.ZodType;
}

/** The fields of an object schema (wrappers such as `.prefault({})` looked through). */
export function fieldsOf(schema: z.ZodType): Field[] {
  const shape = defOf(objectOf(schema)).shape!;
  return Object.entries(shape).map(([key, field]) => {
    let description = field.description;
    let optional = false;
    let fallback: { value: unknown } | undefined;
    let value = field;
    for (let def = defOf(value); wrapper(def); def = defOf(value)) {
      if (def.type === "optional") optional = true;
      if (def.type === "default" || def.type === "prefault") {
        fallback ??= { value: def.defaultValue };
      }
      value = def.innerType!;
      description ??= value.description;
    }
    return {
      key,
      ...(description !== undefined && { description }),
      optional,
      ...(fallback !== undefined && { default: fallback }),
      value,
    };
  });
}

function wrapper(def: Def): boolean {
  return ["optional", "default", "prefault", "readonly"].includes(def.type);
}

/** `schema` without its wrappers (optional, default, prefault, readonly). */
function unwrapped(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (wrapper(defOf(s))) s = defOf(s).innerType!;
  return s;
}

/** Whether `schema`, wrappers removed, is an object schema, whose fields {@link fieldsOf} gives. */
export function isObject(schema: z.ZodType): boolean {
  return defOf(unwrapped(schema)).type === "object";
}

function objectOf(schema: z.ZodType): z.ZodType {
  const s = unwrapped(schema);
  if (!isObject(s)) throw new Error(`expected an object schema, got ${defOf(s).type}`);
  return s;
}

/**
 * `text` as a sentence: a full stop at its end, and its first letter upper-case when it starts
 * with a word (not a symbol such as `k,` or `μ(s,a)`).
 */
export function sentence(text: string): string {
  const t = text.trim();
  const capital = /^(?:[a-z]{2,}\b|[a-z]\s)/.test(t) ? t.charAt(0).toUpperCase() + t.slice(1) : t;
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * The words of `text` as lines of at most `width` characters (a longer word alone on its line);
 * a code span in backticks counts as one word.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.match(/(?:`[^`]*`|[^\s`])+/g) ?? []) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/** A JSDoc comment of `text` at `indent`, wrapped at 100 columns. */
function jsDoc(text: string, indent: string): string {
  const lines = wrapWords(text, 100 - indent.length - 3);
  if (lines.length === 1 && indent.length + 7 + lines[0]!.length <= 100) {
    return `${indent}/** ${lines[0]} */\n`;
  }
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}\n`).join("")}${indent} */\n`;
}

/** The documentation of a field: its description and its default. */
export function fieldDoc(field: Field): string {
  const parts = [field.description === undefined ? "" : sentence(field.description)];
  if (field.default !== undefined) {
    parts.push(`Default: \`${JSON.stringify(field.default.value)}\`.`);
  }
  return parts.filter((p) => p !== "").join(" ");
}

/**
 * The name `named` gives `schema`, or a copy of it that differs only in its description (zod's
 * `.describe` copies the schema and keeps its definition).
 */
export function nameOf(
  schema: z.ZodType,
  named: ReadonlyMap<z.ZodType, string>,
): string | undefined {
  return named.get(schema) ?? [...named].find(([s]) => defOf(s) === defOf(schema))?.[1];
}

/**
 * The TypeScript type of what `schema` parses to, naming the schemas of `named` where they occur
 * (by identity) and writing every other object inline at `indent`.
 */
export function typeText(
  schema: z.ZodType,
  named: ReadonlyMap<z.ZodType, string>,
  indent = "",
): string {
  const name = nameOf(schema, named);
  if (name !== undefined) return name;
  const def = defOf(schema);
  switch (def.type) {
    case "number":
    case "int":
      return "number";
    case "string":
    case "boolean":
    case "unknown":
      return def.type;
    case "literal":
      return def.values!.map((v) => JSON.stringify(v)).join(" | ");
    case "enum":
      return Object.values(def.entries!).map((v) => JSON.stringify(v)).join(" | ");
    case "array": {
      const element = typeText(def.element!, named, indent);
      return /[ |]/.test(element) ? `(${element})[]` : `${element}[]`;
    }
    case "tuple":
      return `[${def.items!.map((i) => typeText(i, named, indent)).join(", ")}]`;
    case "record":
      return `Record<string, ${typeText(def.valueType!, named, indent)}>`;
    case "union":
      return def.options!.map((o) => typeText(o, named, indent)).join(" | ");
    case "pipe":
      return typeText(def.out!, named, indent);
    case "object":
      return `{\n${membersText(schema, named, `${indent}  `)}${indent}}`;
    default:
      if (wrapper(def)) return typeText(def.innerType!, named, indent);
      throw new Error(`no TypeScript type for a zod ${def.type}`);
  }
}

function membersText(
  schema: z.ZodType,
  named: ReadonlyMap<z.ZodType, string>,
  indent: string,
): string {
  return fieldsOf(schema).map((field) => {
    const doc = fieldDoc(field);
    const key = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(field.key)
      ? field.key
      : JSON.stringify(field.key);
    const type = typeText(field.value, named, indent);
    return `${doc === "" ? "" : jsDoc(doc, indent)}${indent}${key}${
      field.optional ? "?" : ""
    }: ${type};\n`;
  }).join("");
}

/** The declaration of one named type: an interface for an object, else a type alias. */
export function declarationText(type: NamedType, named: ReadonlyMap<z.ZodType, string>): string {
  const others = new Map([...named].filter(([, n]) => n !== type.name));
  const doc = jsDoc(type.doc, "");
  if (isObject(type.schema)) {
    return `${doc}export interface ${type.name} {\n${membersText(type.schema, others, "  ")}}\n`;
  }
  return `${doc}export type ${type.name} = ${typeText(type.schema, others)};\n`;
}

/** The names of `types` by their schemas, each also under its schema without wrappers. */
export function namedSchemas(types: readonly NamedType[]): Map<z.ZodType, string> {
  const named = new Map<z.ZodType, string>();
  for (const t of types) {
    named.set(t.schema, t.name);
    named.set(unwrapped(t.schema), t.name);
  }
  return named;
}

/**
 * The text of the module `module` of `types`: the declarations of its types, each naming the
 * others where they occur, importing those of other modules.
 */
export function typesModuleText(
  header: string,
  module: string,
  types: readonly NamedType[],
): string {
  const named = namedSchemas(types);
  const declarations = types.filter((t) => t.module === module)
    .map((t) => declarationText(t, named));
  // The declarations' code, without their JSDoc: a description that names a type is no use of it.
  const code = declarations.map((d) => d.replace(/\/\*\*[\s\S]*?\*\//g, ""));
  const used = (t: NamedType) => code.some((d) => new RegExp(`\\b${t.name}\\b`).test(d));
  const imported = new Map<string, string[]>();
  for (const t of types) {
    if (t.module !== module && used(t)) {
      imported.set(t.module, [...imported.get(t.module) ?? [], t.name]);
    }
  }
  const imports = [...imported].sort().map(([from, names]) =>
    `import type { ${names.sort().join(", ")} } from "./${from}.ts";\n`
  ).join("");
  return [header + imports, ...declarations].join("\n");
}
