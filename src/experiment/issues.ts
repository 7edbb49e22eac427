/**
 * Problems of an experiment in words: each located by its JSON path and saying what was
 * expected there, with a "did you mean" for misspellings; zod's issues are translated here.
 *
 * @module
 */
import { z } from "zod";
import { BASELINES } from "../baselines/registry.ts";
import { isRecord } from "../canonical.ts";
import { agentSchema } from "./schema.ts";

/** A key or index of a JSON path. */
export type PathSegment = string | number;
/** A JSON path: keys of objects and indices of arrays from the document's top. */
export type JsonPath = readonly PathSegment[];

/** One problem of an experiment, located by its JSON path. */
export interface SchemaIssue {
  /** Where the problem is. */
  readonly path: JsonPath;
  /** What was expected, in words. */
  readonly message: string;
  /** True when the problem is the last key of {@link path} itself, not its value. */
  readonly atKey?: boolean;
}

/** A JSON path as written in messages: `agents.rl2.trpo.max_kl`, `seeds[2]`, `ablations["a.b"]`. */
export function formatPath(path: JsonPath): string {
  if (path.length === 0) return "(top level)";
  return path.map((segment, i) => {
    if (typeof segment === "number") return `[${segment}]`;
    if (/^[A-Za-z_$][\w$-]*$/.test(segment)) return i === 0 ? segment : `.${segment}`;
    return `[${JSON.stringify(segment)}]`;
  }).join("");
}

/** Edit distance with adjacent transpositions (optimal string alignment), ignoring case. */
function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows = Array.from({ length: s.length + 1 }, (_, i) => [i, ...new Array(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const row = rows[i]!;
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      row[j] = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
      }
    }
  }
  return rows[s.length]![t.length]!;
}

/** The candidate closest to `word`, if one is within a third of its length (at least 1 edit). */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/**
 * `; did you mean "x"?` for the closest candidate (shown through `render`), else
 * `; expected one of "a", "b"` (nothing when there is no candidate).
 */
export function suggestion(
  word: string,
  candidates: readonly string[],
  render: (candidate: string) => string = (c) => c,
): string {
  const best = closest(word, candidates);
  if (best !== undefined) return `; did you mean "${render(best)}"?`;
  return candidates.length === 0 ? "" : `; expected one of ${quoteList(candidates)}`;
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (
      s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional ||
      s instanceof z.ZodNullable || s instanceof z.ZodReadonly
    ) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else return s;
  }
}

/** `schema` unwrapped, and narrowed to the option `data` selects when it is a discriminated union. */
function resolve(schema: z.ZodType, data: unknown): z.ZodType | undefined {
  const s = unwrap(schema);
  if (!(s instanceof z.ZodDiscriminatedUnion)) return s;
  const tag = isRecord(data) ? data[s.def.discriminator] : undefined;
  const option = (s.options as z.ZodType[]).find((o) =>
    o._zod.propValues?.[s.def.discriminator]?.has(tag as z.core.util.Primitive)
  );
  return option === undefined ? undefined : unwrap(option);
}

function child(schema: z.ZodType, data: unknown, key: PathSegment): z.ZodType | undefined {
  const s = resolve(schema, data);
  if (s instanceof z.ZodObject) return typeof key === "string" ? s.shape[key] : undefined;
  if (s instanceof z.ZodRecord) return s.valueType as z.ZodType;
  if (s instanceof z.ZodArray) return s.element as z.ZodType;
  if (s instanceof z.ZodTuple) {
    return typeof key === "number"
      ? (s.def.items[key] ?? s.def.rest ?? undefined) as z.ZodType
      : undefined;
  }
  return undefined;
}

/** The schema that validates `path` of `data`, unwrapped of defaults and optionality. */
function schemaAt(
  schema: z.ZodType | undefined,
  data: unknown,
  path: JsonPath,
): z.ZodType | undefined {
  let s = schema;
  let d = data;
  for (const key of path) {
    if (s === undefined) return undefined;
    s = child(s, d, key);
    d = valueAt(d, [key]);
  }
  return s === undefined ? undefined : unwrap(s);
}

/** The keys an object at `path` of `data` may have. */
function allowedKeys(schema: z.ZodType | undefined, data: unknown, path: JsonPath): string[] {
  const at = schemaAt(schema, data, path);
  const s = at === undefined ? undefined : resolve(at, valueAt(data, path));
  if (s instanceof z.ZodObject) return Object.keys(s.shape);
  if (s instanceof z.ZodRecord && s.keyType instanceof z.ZodEnum) {
    return s.keyType.options.map(String);
  }
  return [];
}

function valueAt(data: unknown, path: JsonPath): unknown {
  let d = data;
  for (const key of path) {
    if (Array.isArray(d) && typeof key === "number") d = d[key];
    else if (isRecord(d) && typeof key === "string" && Object.hasOwn(d, key)) d = d[key];
    else return undefined;
  }
  return d;
}

function isPresent(data: unknown, path: JsonPath): boolean {
  if (path.length === 0) return true;
  const parent = valueAt(data, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) return typeof key === "number" && key < parent.length;
  return isRecord(parent) && typeof key === "string" && Object.hasOwn(parent, key);
}

const NOUNS: Record<string, string> = {
  int: "an integer",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "an object",
  record: "an object",
  array: "an array",
  tuple: "an array",
};

function bound(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall): string {
  const small = issue.code === "too_small";
  const limit = small ? issue.minimum : issue.maximum;
  if (issue.origin === "array" || issue.origin === "string") {
    const unit = issue.origin === "array" ? "item" : "character";
    const amount = issue.exact ? "exactly" : small ? "at least" : "at most";
    return `expected ${amount} ${limit} ${unit}${limit === 1 ? "" : "s"}`;
  }
  if (issue.origin === "int" && Math.abs(Number(limit)) === Number.MAX_SAFE_INTEGER) {
    return `expected an integer from ${-Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`;
  }
  if (small && limit === 0 && !issue.inclusive) return "expected a positive number";
  const op = small ? (issue.inclusive ? ">=" : ">") : (issue.inclusive ? "<=" : "<");
  return `expected a number ${op} ${limit}`;
}

function describe(issue: z.core.$ZodIssue, value: unknown, present: boolean): string {
  switch (issue.code) {
    case "invalid_type": {
      const noun = NOUNS[issue.expected] ?? issue.expected;
      if (!present) return `required field is missing; expected ${noun}`;
      if (typeof value === "number" && !Number.isFinite(value)) {
        return `number is out of range (beyond ±1.8e308); expected ${noun}`;
      }
      return `expected ${noun}`;
    }
    case "too_small":
    case "too_big":
      return bound(issue);
    case "invalid_value": {
      const expected = issue.values.length === 1
        ? `expected ${quoteList(issue.values)}`
        : `expected one of ${quoteList(issue.values)}`;
      const best = typeof value === "string"
        ? closest(value, issue.values.filter((v) => typeof v === "string"))
        : undefined;
      return best === undefined ? expected : `${expected}; did you mean "${best}"?`;
    }
    case "invalid_format":
      return issue.pattern === undefined
        ? `expected a ${issue.format}`
        : `expected a string matching ${issue.pattern}`;
    case "not_multiple_of":
      return `expected a multiple of ${issue.divisor}`;
    default:
      return issue.message;
  }
}

function discriminatorIssue(
  issue: z.core.$ZodIssueInvalidUnion,
  schema: z.ZodType | undefined,
  data: unknown,
  rel: JsonPath,
  path: JsonPath,
  taskKind: string | undefined,
): SchemaIssue {
  const value = valueAt(data, rel);
  const options = "options" in issue ? (issue.options ?? []) : [];
  if (!isPresent(data, rel)) {
    return { path, message: `required field is missing; expected one of ${quoteList(options)}` };
  }
  const isAgent = taskKind !== undefined &&
    schemaAt(schema, data, rel.slice(0, -1)) === agentSchema(taskKind);
  const elsewhere = [...new Set(BASELINES.filter((b) => b.kind === value).map((b) => b.task))];
  if (isAgent && elsewhere.length > 0) {
    return {
      path,
      message: `baseline "${value}" is for ${elsewhere.join(" and ")} tasks, ` +
        `this experiment's task is "${taskKind}"`,
    };
  }
  const names = options.filter((o) => typeof o === "string");
  return {
    path,
    message: typeof value === "string"
      ? `unknown kind "${value}"${suggestion(value, names)}`
      : `expected one of ${quoteList(options)}`,
  };
}

/** zod issues as {@link SchemaIssue}s: one per unknown key, with suggestions for misspellings. */
export function translate(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType | undefined,
  data: unknown,
  taskKind: string | undefined,
  base: JsonPath = [],
): SchemaIssue[] {
  return issues.flatMap((issue): SchemaIssue[] => {
    const rel = issue.path.map((k) => typeof k === "number" ? k : String(k));
    const path = [...base, ...rel];
    switch (issue.code) {
      case "unrecognized_keys": {
        const allowed = allowedKeys(schema, data, rel);
        return issue.keys.map((key) => ({
          path: [...path, key],
          atKey: true,
          message: `unknown key "${key}"${suggestion(key, allowed)}`,
        }));
      }
      case "invalid_key": {
        const key = rel[rel.length - 1];
        const inner = issue.issues[0];
        const why = inner === undefined ? issue.message : describe(inner, key, true);
        return [{ path, atKey: true, message: `invalid key ${JSON.stringify(key)}: ${why}` }];
      }
      case "invalid_union": {
        if (issue.discriminator !== undefined) {
          return [discriminatorIssue(issue, schema, data, rel, path, taskKind)];
        }
        const union = schemaAt(schema, data, rel);
        const options = union instanceof z.ZodUnion ? union.options as z.ZodType[] : [];
        const best = issue.errors.reduce(
          (b, errors, i) => errors.length < (issue.errors[b]?.length ?? Infinity) ? i : b,
          0,
        );
        const errors = issue.errors[best];
        if (errors === undefined) return [{ path, message: issue.message }];
        return translate(errors, options[best], valueAt(data, rel), taskKind, path);
      }
      default:
        return [{ path, message: describe(issue, valueAt(data, rel), isPresent(data, rel)) }];
    }
  });
}
