/**
 * The deviation list in the header of an experiment file that extends another: every setting
 * whose resolved value differs from the parent's, one line each, under the reason for it. The
 * list is held to {@link differingFields} (what `validate --explain` prints) by
 * `tests/experiment/deviations_test.ts`, so a header cannot claim a deviation the file does not
 * make, nor leave one out. The format (docs/experiments.md):
 *
 * ```text
 * // Deviations from ../../table1/bandits-n10-k5.jsonc, with their reasons:
 * // - GRU 64, not 256: the reason, wrapped on lines indented by two
 * //   more spaces.
 * //     agents.rl2.policy.gru: 256 → 64
 * // - Memoryless TRPO: an MLP of the GRU's width.
 * //     agents.trpo.policy.mlp: [256] → [64]
 * ```
 *
 * The heading names the file's `extends` as written (the sentence may go on); the list runs to
 * the first empty comment line (`//`) or the end of the header. Every setting line stands under a
 * reason and every reason has at least one setting line. A setting line is indented by five spaces and reads
 * `PATH: PARENT'S VALUE → THIS FILE'S VALUE`, values as canonical JSON (as `validate --explain`
 * prints them) or `absent`; a value too long for a line may be shortened to `{…}`, `[…]` or
 * `"…"`, which stand for any object, array or string.
 *
 * @module
 */
import { parse } from "jsonc-parser";
import { dirname, join } from "node:path";
import { isRecord } from "../canonical.ts";
import { differingFields, type JsonDifference, showJson } from "./differences.ts";
import { EXTENDS_KEY } from "./extends.ts";
import { formatPath } from "./issues.ts";
import { loadExperiment } from "./load.ts";

/** What a header's deviation list starts with, followed by the file's `extends`. */
export const DEVIATIONS_HEADING = "// Deviations from ";

/** The arrow between the parent's value and this file's on a setting line. */
export const DEVIATION_ARROW = " → ";

/** Shortened values a setting line may use, and what each stands for. */
const SHORTENED: Readonly<Record<string, (value: unknown) => boolean>> = {
  "{…}": isRecord,
  "[…]": Array.isArray,
  '"…"': (value) => typeof value === "string",
};

/** One setting line of a deviation list. */
export interface DeviationSetting {
  /** Its line in the file, from 1. */
  readonly line: number;
  /** The setting's path, as `validate --explain` writes it (`agents.rl2.policy.gru`). */
  readonly path: string;
  /** What follows `PATH: `: the parent's value, the arrow and this file's value. */
  readonly values: string;
}

/** A file header's deviation list, as written. */
export interface DeviationList {
  /** The parent the heading names. */
  readonly parent: string;
  /** The heading's line, from 1. */
  readonly line: number;
  /** Its setting lines, in order. */
  readonly settings: readonly DeviationSetting[];
  /** Lines that do not fit the format, as `line N: what is wrong`. */
  readonly problems: readonly string[];
}

/** A key as `formatPath` writes it (`agents`), or an index or quoted key in brackets. */
const KEY = String.raw`[A-Za-z_$][\w$-]*`;
const BRACKETED = String.raw`\[(?:\d+|"(?:[^"\\]|\\.)*")\]`;
/** A setting line without its indentation: the path, `: `, then the values. */
const SETTING = new RegExp(
  String.raw`^((?:${KEY}|${BRACKETED})(?:\.${KEY}|${BRACKETED})*): (.+)$`,
);

/**
 * The deviation list of an experiment file's header (its leading `//` comment lines), or
 * `undefined` when the header has none.
 *
 * @example A list with one reason and two settings
 * ```ts
 * import { parseDeviations } from "./deviations.ts";
 * const list = parseDeviations([
 *   "// Deviations from paper.jsonc:",
 *   "// - A smaller network, for speed.",
 *   "//     agents.rl2.policy.gru: 256 → 64",
 *   "//     agents.trpo.policy.mlp: [256] → [64]",
 *   "{}",
 * ].join("\n"))!;
 * if (list.parent !== "paper.jsonc" || list.settings.length !== 2) throw new Error();
 * if (list.settings[1]!.values !== "[256] → [64]" || list.problems.length > 0) throw new Error();
 * ```
 */
export function parseDeviations(text: string): DeviationList | undefined {
  const header: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith("//")) break;
    header.push(line.trimEnd());
  }
  const starts = header.flatMap((line, i) => line.startsWith(DEVIATIONS_HEADING) ? [i] : []);
  if (starts.length === 0) return undefined;
  const start = starts[0]!;
  const problems = starts.slice(1).map((i) => `line ${i + 1}: a second deviation list`);
  const parent = /^[^\s,:;()]+/.exec(header[start]!.slice(DEVIATIONS_HEADING.length))?.[0] ?? "";
  const settings: DeviationSetting[] = [];
  let reason: { line: number; settings: number } | undefined;
  let previous: "heading" | "reason" | "setting" = "heading";
  const reasons: { line: number; settings: number }[] = [];
  for (let i = start + 1; i < header.length && header[i] !== "//"; i++) {
    const line = header[i]!;
    const at = `line ${i + 1}`;
    const indent = /^\/\/( *)/.exec(line)![1]!.length;
    const content = line.slice(2 + indent);
    if (indent === 1 && content.startsWith("- ")) {
      reason = { line: i + 1, settings: 0 };
      reasons.push(reason);
      previous = "reason";
    } else if (indent === 5) {
      const match = SETTING.exec(content);
      if (match === null || !match[2]!.includes(DEVIATION_ARROW.trim())) {
        problems.push(`${at}: not a setting line "PATH: PARENT'S VALUE → THIS FILE'S VALUE"`);
      } else if (reason === undefined) {
        problems.push(`${at}: a setting line before any reason ("// - …")`);
      } else {
        settings.push({ line: i + 1, path: match[1]!, values: match[2]! });
        reason.settings++;
        previous = "setting";
      }
    } else if (indent !== 1 && indent !== 3) {
      problems.push(
        `${at}: indented by ${indent} spaces; a reason starts "// - ", its text goes on ` +
          `"//   ", a setting line is "//     PATH: … → …"`,
      );
    } else if (indent === 1 && previous !== "heading") {
      problems.push(`${at}: text in the list outside a reason; a reason starts "// - "`);
    } else if (indent === 3 && previous === "setting") {
      problems.push(`${at}: reason text after its setting lines; a new reason starts "// - "`);
    } // Otherwise the heading's sentence, or a reason's, going on.
  }
  for (const r of reasons) {
    if (r.settings === 0) problems.push(`line ${r.line}: a reason with no setting line under it`);
  }
  return { parent, line: start + 1, settings, problems };
}

/** The setting line a difference calls for (without its indentation). */
export function deviationLine(difference: JsonDifference): string {
  return `${formatPath(difference.path)}: ${showJson(difference.before)}${DEVIATION_ARROW}` +
    showJson(difference.after);
}

/** Whether a value as written on a setting line stands for `value`. */
function stands(written: string, value: unknown): boolean {
  const shortened = SHORTENED[written];
  return shortened !== undefined ? shortened(value) : written === showJson(value);
}

/**
 * What is wrong with a deviation list, held to the differences between the parent's resolved
 * experiment and the file's: none when it names exactly the differing paths, each with its two
 * values. `parent` is the file's `extends` as written.
 */
export function deviationProblems(
  list: DeviationList | undefined,
  parent: string,
  differences: readonly JsonDifference[],
): string[] {
  if (list === undefined) {
    return [
      `no deviation list in the header: a line "${DEVIATIONS_HEADING}${parent}:" and under it ` +
      `one line per setting that differs:\n${differences.map(deviationLine).join("\n")}`,
    ];
  }
  const problems = [...list.problems];
  if (list.parent !== parent) {
    problems.push(
      `line ${list.line}: the heading names "${list.parent}"; the file extends "${parent}"`,
    );
  }
  const expected = new Map(differences.map((d) => [formatPath(d.path), d]));
  const seen = new Set<string>();
  for (const setting of list.settings) {
    const at = `line ${setting.line}`;
    const difference = expected.get(setting.path);
    if (seen.has(setting.path)) {
      problems.push(`${at}: ${setting.path} is listed twice`);
    } else if (difference === undefined) {
      problems.push(`${at}: extra: ${setting.path} does not differ from the parent's`);
    } else {
      const parts = setting.values.split(DEVIATION_ARROW);
      const fits = parts.some((_, k) =>
        k > 0 && stands(parts.slice(0, k).join(DEVIATION_ARROW), difference.before) &&
        stands(parts.slice(k).join(DEVIATION_ARROW), difference.after)
      );
      if (!fits) {
        problems.push(
          `${at}: ${setting.path}: the header says ${setting.values}; the resolved configs ` +
            `say ${deviationLine(difference).slice(setting.path.length + 2)}`,
        );
      }
    }
    seen.add(setting.path);
  }
  for (const [path, difference] of expected) {
    if (!seen.has(path)) problems.push(`missing: ${deviationLine(difference)}`);
  }
  return problems;
}

/**
 * What is wrong with the deviation list of the file at `path` (empty when it extends no file).
 * Throws an `ExperimentError` when the file or its parent is invalid.
 */
export async function fileDeviationProblems(path: string): Promise<string[]> {
  const text = await Deno.readTextFile(path);
  const data: unknown = parse(text);
  const name = isRecord(data) ? data[EXTENDS_KEY] : undefined;
  if (typeof name !== "string") return [];
  const experiment = await loadExperiment(path);
  const parent = await loadExperiment(experiment.parent ?? join(dirname(path), name));
  return deviationProblems(
    parseDeviations(text),
    name,
    differingFields(parent.config, experiment.config),
  );
}
