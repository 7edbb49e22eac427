/**
 * An experiment file as text: reading it (size, encoding), parsing JSON with comments, and
 * placing every problem at its line and column (`FILE:LINE:COL: PATH: message (got VALUE)`).
 * What the data means is checked by `load.ts`; this module knows only the text.
 *
 * @module
 */
import {
  findNodeAtLocation,
  getNodeValue,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from "jsonc-parser";
import { formatPath, type SchemaIssue } from "./issues.ts";

/** Largest experiment file read, in bytes. */
export const MAX_FILE_BYTES = 1 << 20;

/** One problem of one experiment file. */
export interface ExperimentIssue {
  /** The file, as given. */
  readonly file: string;
  /** 1-based line, when the problem has a place in the text. */
  readonly line?: number;
  /** 1-based column (UTF-16 code units), with {@link line}. */
  readonly column?: number;
  /** The JSON path, e.g. `agents.rl2.trpo.max_kl`, when the problem is in a value. */
  readonly path?: string;
  /** What is wrong or what was expected. */
  readonly message: string;
  /** The offending text as written, when there is one. */
  readonly got?: string;
}

/** `text` with control characters escaped, so a message never drives the terminal. */
function printable(text: string): string {
  let out = "";
  for (const c of text) {
    const code = c.charCodeAt(0);
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
    out += control ? `\\u${code.toString(16).padStart(4, "0")}` : c;
  }
  return out;
}

/** One line for an issue: `FILE:LINE:COL: PATH: message (got VALUE)`, leaving out what is unknown. */
export function formatIssue(issue: ExperimentIssue): string {
  const where = issue.line === undefined
    ? issue.file
    : `${issue.file}:${issue.line}:${issue.column}`;
  const path = issue.path === undefined ? "" : `${issue.path}: `;
  const got = issue.got === undefined ? "" : ` (got ${printable(issue.got)})`;
  return `${where}: ${path}${issue.message}${got}`;
}

/** A rejected experiment file: every problem found, one per line in the message. */
export class ExperimentError extends Error {
  /** Every problem, in the order of the text. */
  readonly issues: readonly ExperimentIssue[];
  /** What the file writes under an older name (accepted, not in the message). */
  readonly notices: readonly ExperimentIssue[];

  /** An error listing `issues` (at least one); `notices` ride along. */
  constructor(issues: readonly ExperimentIssue[], notices: readonly ExperimentIssue[] = []) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "ExperimentError";
    this.issues = issues;
    this.notices = notices;
  }
}

/** A text with its line starts, to turn offsets into line:column. */
export class SourceText {
  readonly lineStarts: number[] = [0];

  constructor(readonly file: string, readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.lineStarts.push(i + 1);
  }

  /** The 1-based line and column of `offset`. */
  position(offset: number): { line: number; column: number } {
    let line = 0;
    while (line + 1 < this.lineStarts.length && this.lineStarts[line + 1]! <= offset) line++;
    return { line: line + 1, column: offset - this.lineStarts[line]! + 1 };
  }

  /** An issue at `offset` of the text. */
  issue(
    offset: number,
    fields: Omit<ExperimentIssue, "file" | "line" | "column">,
  ): ExperimentIssue {
    return { file: this.file, ...this.position(offset), ...fields };
  }

  /** The text of `node`, on one line and shortened. */
  excerpt(node: Node): string {
    const raw = this.text.slice(node.offset, node.offset + node.length).replace(/\s+/g, " ");
    return raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
  }
}

const SYNTAX: Record<string, string> = {
  InvalidSymbol: "unexpected symbol",
  InvalidNumberFormat: "invalid number",
  PropertyNameExpected: "expected a property name in double quotes",
  ValueExpected: "expected a value",
  ColonExpected: "expected ':' after the property name",
  CommaExpected: "expected ',' between items",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: "unexpected content after the end of the document",
  InvalidCommentToken: "invalid comment",
  UnexpectedEndOfComment: "comment is not closed",
  UnexpectedEndOfString: "string is not closed",
  UnexpectedEndOfNumber: "number is incomplete",
  InvalidUnicode: "invalid unicode escape",
  InvalidEscapeCharacter: "invalid escape character",
  InvalidCharacter: "invalid character in a string",
};

export function syntaxIssue(
  source: SourceText,
  error: ParseError,
  root: Node | undefined,
): ExperimentIssue {
  const rest = source.text.slice(error.offset);
  const notNumber = /^-?(NaN|Infinity)\b/.exec(rest)?.[0];
  const token = notNumber ?? source.text.slice(error.offset, error.offset + error.length);
  const code = printParseErrorCode(error.error);
  let message = SYNTAX[code] ?? code;
  if (error.offset >= source.text.length) {
    message = `unexpected end of file; ${message}`;
  } else if (root !== undefined && error.offset >= root.offset + root.length) {
    message = SYNTAX.EndOfFileExpected!;
  } else if (notNumber !== undefined) {
    message = "NaN and Infinity are not JSON numbers";
  } else if (token.startsWith("'")) {
    message = "strings need double quotes";
  } else if (/^[A-Za-z_$][\w$]*\s*:/.test(rest)) {
    message = "property names need double quotes";
  }
  const got = token.trim();
  return source.issue(error.offset, got === "" ? { message } : { message, got });
}

/** Keys that appear twice in one object (the later value would silently win). */
export function duplicateKeys(source: SourceText, node: Node): ExperimentIssue[] {
  const issues: ExperimentIssue[] = [];
  if (node.type === "object") {
    const seen = new Map<string, Node>();
    for (const property of node.children ?? []) {
      const key = property.children?.[0];
      if (key === undefined) continue;
      const first = seen.get(String(key.value));
      if (first === undefined) {
        seen.set(String(key.value), key);
      } else {
        const at = source.position(first.offset);
        issues.push(source.issue(key.offset, {
          message: `duplicate key "${key.value}" (first at ${at.line}:${at.column})`,
        }));
      }
    }
  }
  for (const child of node.children ?? []) issues.push(...duplicateKeys(source, child));
  return issues;
}

/**
 * Keys named `__proto__`: JavaScript reads such a key as the object's prototype, not as one of
 * its fields, so its value would silently vanish (an agent of that name would not run).
 */
export function prototypeKeys(source: SourceText, node: Node): ExperimentIssue[] {
  const issues: ExperimentIssue[] = [];
  for (const property of node.type === "object" ? node.children ?? [] : []) {
    const key = property.children?.[0];
    if (key?.value === "__proto__") {
      issues.push(source.issue(key.offset, {
        message: 'the key "__proto__" is not allowed: JavaScript reads it as the object\'s ' +
          "prototype, so its value would be lost (use another name)",
      }));
    }
  }
  for (const child of node.children ?? []) issues.push(...prototypeKeys(source, child));
  return issues;
}

/** A schema issue placed in the text: at its key, its value, or its nearest existing parent. */
export function locate(source: SourceText, root: Node, issue: SchemaIssue): ExperimentIssue {
  const fields = { path: formatPath(issue.path), message: issue.message };
  for (let depth = issue.path.length; depth >= 0; depth--) {
    const node = findNodeAtLocation(root, [...issue.path.slice(0, depth)]);
    if (node === undefined) continue;
    const exact = depth === issue.path.length;
    const key = node.parent?.type === "property" ? node.parent.children?.[0] : undefined;
    if (exact && issue.atKey && key !== undefined) return source.issue(key.offset, fields);
    if (exact && !issue.atKey) {
      return source.issue(node.offset, { ...fields, got: source.excerpt(node) });
    }
    return source.issue(node.offset, fields);
  }
  return source.issue(0, fields);
}

export function byPlace(a: ExperimentIssue, b: ExperimentIssue): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) ||
    (a.path ?? "").localeCompare(b.path ?? "");
}

export async function readSource(file: string): Promise<SourceText | ExperimentIssue> {
  try {
    const info = await Deno.stat(file);
    if (info.isDirectory) return { file, message: "is a directory; expected an experiment file" };
    if (!info.isFile) return { file, message: "is not a regular file" };
    if (info.size > MAX_FILE_BYTES) {
      return { file, message: `file is too large (${info.size} bytes; at most ${MAX_FILE_BYTES})` };
    }
    const bytes = await Deno.readFile(file);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      text = "\0";
    }
    if (text.includes("\0")) {
      return {
        file,
        message: "is not a text file (it holds binary data); expected JSON with comments",
      };
    }
    return new SourceText(file, text.replace(/^\uFEFF/, ""));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { file, message: "no such file" };
    if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
      return { file, message: `cannot read the file: ${e.message}` };
    }
    throw e;
  }
}

/**
 * Deepest nesting of objects and arrays an experiment file may have. The deepest a valid file
 * needs is about 8 (an ablation of a grid value inside an agent); the limit keeps the parser and
 * the validator far from the stack's end on any input.
 */
export const MAX_NESTING = 64;

/**
 * The offset of the first `{` or `[` nested deeper than {@link MAX_NESTING} in JSON-with-comments
 * text (strings and comments skipped), or -1.
 */
function tooDeep(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"' && text[i] !== "\n"; i++) {
        if (text[i] === "\\") i++;
      }
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === "{" || c === "[") {
      if (++depth > MAX_NESTING) return i;
    } else if (c === "}" || c === "]") {
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}

/** True when `text` holds anything but whitespace and comments. */
function hasText(text: string): boolean {
  return text.replace(/\/\*[^]*?\*\//g, "").replace(/\/\/[^\n]*/g, "").trim() !== "";
}

/** A file's JSON value and its syntax tree, or the problems that keep it from having one. */
export function parseSource(source: SourceText): { root: Node; data: unknown } | ExperimentIssue[] {
  if (source.text.trim() === "") return [{ file: source.file, message: "file is empty" }];
  const deep = tooDeep(source.text);
  if (deep >= 0) {
    return [
      source.issue(deep, {
        message: `objects and arrays are nested more than ${MAX_NESTING} deep; an experiment ` +
          "file needs far fewer levels (see experiments/quick/ for examples)",
      }),
    ];
  }
  const errors: ParseError[] = [];
  const root = parseTree(source.text, errors, { allowTrailingComma: true });
  if (root === undefined) {
    const [first] = errors;
    return [
      first === undefined || !hasText(source.text)
        ? source.issue(0, { message: "no JSON value found; the file has only comments" })
        : source.issue(first.offset, {
          message: "is not JSON with comments: an experiment file is one JSON object " +
            "(see experiments/quick/ for examples)",
        }),
    ];
  }
  const [error] = errors;
  if (error !== undefined) return [syntaxIssue(source, error, root)];
  const duplicates = [...duplicateKeys(source, root), ...prototypeKeys(source, root)];
  if (duplicates.length > 0) return duplicates.sort(byPlace);
  return { root, data: getNodeValue(root) };
}
