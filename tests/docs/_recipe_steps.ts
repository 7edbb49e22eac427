/**
 * The steps of docs/learners.md's recipes, read from its fenced blocks, and how each is applied
 * to a copy of the repository: a block ```` ```ts file=PATH ```` is a new file, a block
 * ```` ```diff PATH ```` an edit of a file (lines with `+` added where the other lines, which
 * must appear once in the file in that order, put them), a block ```` ```sh ```` `deno task`
 * commands. Only the section "Adding a component" is read; any other block there is an error,
 * so no step of a recipe can be skipped.
 *
 * @module
 */
import { dirname, join } from "node:path";

/** One step of a recipe. */
export type RecipeStep =
  | { readonly kind: "file"; readonly path: string; readonly text: string }
  | { readonly kind: "diff"; readonly path: string; readonly lines: readonly string[] }
  | { readonly kind: "command"; readonly args: readonly string[] };

const SECTION = "## Adding a component";

/** The steps of the recipes of `markdown` (docs/learners.md's text), in order. */
export function recipeSteps(markdown: string): RecipeStep[] {
  const start = markdown.indexOf(`\n${SECTION}\n`);
  if (start < 0) throw new Error(`no section "${SECTION}"`);
  const rest = markdown.slice(start + SECTION.length + 2);
  const end = rest.search(/^## /m);
  const lines = (end < 0 ? rest : rest.slice(0, end)).split("\n");
  const steps: RecipeStep[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S+)(?: (.*))?$/.exec(lines[i]!);
    if (open === null) continue;
    const close = lines.indexOf("```", i + 1);
    if (close < 0) throw new Error(`the block at line ${i + 1} of the section is not closed`);
    const body = lines.slice(i + 1, close);
    steps.push(...blockSteps(open[1]!, open[2] ?? "", body));
    i = close;
  }
  return steps;
}

/** The steps of one fenced block of language `lang` and info `info`. */
function blockSteps(lang: string, info: string, body: string[]): RecipeStep[] {
  const file = /^file=(\S+)$/.exec(info);
  if (lang === "ts" && file !== null) {
    return [{ kind: "file", path: file[1]!, text: `${body.join("\n")}\n` }];
  }
  if (lang === "diff" && /^\S+$/.test(info)) return [{ kind: "diff", path: info, lines: body }];
  if (lang === "sh" && info === "") {
    return body.filter((line) => line !== "").map((line) => {
      const args = line.split(" ");
      if (args[0] !== "deno" || args[1] !== "task") throw new Error(`not a deno task: ${line}`);
      return { kind: "command", args: args.slice(1) };
    });
  }
  throw new Error(`a block the recipes do not apply: \`\`\`${lang} ${info}`);
}

/**
 * `text` with the edit `lines` of a `diff` block applied: the lines without `+` (a space
 * before each, or an empty line) must appear once, consecutively, in `text`; the `+` lines go
 * in among them where the block puts them.
 */
export function applyDiff(text: string, lines: readonly string[]): string {
  const context: string[] = [];
  const merged: { line: string; added: boolean }[] = [];
  for (const line of lines) {
    const mark = line.slice(0, 1);
    if (mark === "+") merged.push({ line: line.slice(1), added: true });
    else if (mark === " " || line === "") {
      context.push(line.slice(1));
      merged.push({ line: line.slice(1), added: false });
    } else throw new Error(`a diff line that is neither context nor added: ${line}`);
  }
  if (context.length === 0) throw new Error("a diff without context lines");
  const file = text.split("\n");
  const at: number[] = [];
  for (let i = 0; i + context.length <= file.length; i++) {
    if (context.every((line, k) => file[i + k] === line)) at.push(i);
  }
  if (at.length !== 1) {
    throw new Error(`the context is found ${at.length} times, not once:\n${context.join("\n")}`);
  }
  const replaced = [...file.slice(0, at[0]), ...merged.map((m) => m.line)];
  return [...replaced, ...file.slice(at[0]! + context.length)].join("\n");
}

/** Runs `deno ARGS…` in `cwd`; throws with its output when it fails. */
export async function deno(cwd: string, args: readonly string[]): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [...args],
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  if (code !== 0) throw new Error(`deno ${args.join(" ")} failed (exit ${code}):\n${out}`);
  return out;
}

/** Applies `step` to the repository at `root`. */
export async function applyStep(root: string, step: RecipeStep): Promise<void> {
  if (step.kind === "command") {
    await deno(root, step.args);
    return;
  }
  const path = join(root, step.path);
  if (step.kind === "file") {
    const exists = await Deno.lstat(path).then(() => true, () => false);
    if (exists) throw new Error(`${step.path} is a new file of a recipe, but it exists`);
    await Deno.mkdir(dirname(path), { recursive: true });
    await Deno.writeTextFile(path, step.text);
    return;
  }
  try {
    await Deno.writeTextFile(path, applyDiff(await Deno.readTextFile(path), step.lines));
  } catch (e) {
    throw new Error(`${step.path}: ${e instanceof Error ? e.message : e}`);
  }
}

/**
 * Copies the repository at `from` to `to`: every file but `.git`, `results` and
 * `node_modules`, which is linked (the copy's tasks use the installed packages).
 */
export async function copyRepository(from: string, to: string): Promise<void> {
  const skip = new Set([".git", "results", "node_modules"]);
  const copy = async (dir: string) => {
    await Deno.mkdir(join(to, dir), { recursive: true });
    for await (const entry of Deno.readDir(join(from, dir))) {
      const path = join(dir, entry.name);
      if (dir === "" && skip.has(entry.name)) continue;
      if (entry.isDirectory) await copy(path);
      else if (entry.isFile) await Deno.copyFile(join(from, path), join(to, path));
    }
  };
  await copy("");
  await Deno.symlink(join(from, "node_modules"), join(to, "node_modules"));
}
