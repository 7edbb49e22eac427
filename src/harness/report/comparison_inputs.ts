/**
 * What a comparison was computed from, recorded beside its `comparison.csv` in
 * `comparison.inputs.json`: every file `compare` read (the resolved experiments, the runs'
 * manifests and CSVs) with the SHA-256 of the text it read, or null for a file it looked for and
 * did not find, and the folders of each experiment. Paths are relative to the comparison's folder.
 * Pages and reports compare the record with the files as they are now: a table is stale when
 * its inputs' content changed, whatever the files' times (a fresh clone checks files out in any
 * order), and a table applies to an experiment folder only when it was computed from that folder.
 *
 * @module
 */
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { sha256Hex } from "../../canonical.ts";
import { RESOLVED_FILE } from "../run/manifest.ts";
import type { ReadText } from "../run/completeness.ts";

/** The record's file name, beside `comparison.csv`. */
export const INPUTS_FILE = "comparison.inputs.json";

/** What a comparison was computed from. */
export interface InputsRecord {
  /** Per experiment, its folders. */
  experiments: Record<string, string[]>;
  /** Per file read, the SHA-256 of its text, or null when it did not exist. */
  files: Record<string, string | null>;
}

/** A reader that remembers the text of every file it read (undefined: the file did not exist). */
export function recordingReader(read: ReadText): { read: ReadText; seen: Map<string, unknown> } {
  const seen = new Map<string, string | undefined>();
  return {
    seen,
    read: async (path) => {
      const text = await read(path);
      seen.set(resolve(path), text);
      return text;
    },
  };
}

function relativePath(from: string, path: string): string {
  return relative(resolve(from), path).split(sep).join("/");
}

/** The record of the files `seen` by a {@link recordingReader}, relative to `out`, as JSON text. */
export async function inputsRecord(seen: Map<string, unknown>, out: string): Promise<string> {
  const experiments: Record<string, string[]> = {};
  const files: Record<string, string | null> = {};
  for (const [path, text] of [...seen].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
    files[relativePath(out, path)] = typeof text === "string" ? await sha256Hex(text) : null;
    if (basename(path) !== RESOLVED_FILE || typeof text !== "string") continue;
    const name = String(JSON.parse(text)?.name);
    (experiments[name] ??= []).push(relativePath(out, dirname(path)) || ".");
  }
  return `${JSON.stringify({ experiments, files }, null, 1)}\n`;
}

/** Parses a record's text; throws when it is not one. */
export function parseInputsRecord(text: string): InputsRecord {
  const value = JSON.parse(text);
  const ok = typeof value?.experiments === "object" && typeof value?.files === "object" &&
    Object.values(value.experiments).every((d) => Array.isArray(d)) &&
    Object.values(value.files).every((h) => h === null || typeof h === "string");
  if (!ok) throw new Error("is not a record of a comparison's inputs");
  return value as InputsRecord;
}

/**
 * True when the record at `recordDir` says experiment `name` was computed from the folder `dir`
 * (both absolute).
 */
export function recordCovers(
  record: InputsRecord,
  recordDir: string,
  name: string,
  dir: string,
): boolean {
  const folders = Object.hasOwn(record.experiments, name) ? record.experiments[name]! : [];
  return folders.some((f) => resolve(recordDir, f) === resolve(dir));
}

/**
 * The recorded inputs of experiment `name` (the files in its folders) whose content is not what
 * the comparison read, relative to `recordDir`; read with `read`.
 */
export async function changedInputs(
  record: InputsRecord,
  recordDir: string,
  name: string,
  read: ReadText,
): Promise<string[]> {
  const folders = (Object.hasOwn(record.experiments, name) ? record.experiments[name]! : [])
    .map((f) => resolve(recordDir, f));
  const changed: string[] = [];
  for (const [file, hash] of Object.entries(record.files)) {
    const path = resolve(recordDir, file);
    if (!folders.some((f) => path.startsWith(f + sep))) continue;
    const text = await read(path).catch(() => null);
    const now = typeof text === "string" ? await sha256Hex(text) : text === undefined ? null : "";
    if (now !== hash) changed.push(file);
  }
  return changed;
}

/** The record file beside a `comparison.csv`. */
export function inputsFileOf(comparisonCsv: string): string {
  return join(dirname(comparisonCsv), INPUTS_FILE);
}
