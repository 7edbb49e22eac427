/**
 * The files written from the zod schemas, each block of settings being declared once there:
 * `experiments/schema.json` (for editors), `src/settings/` (the blocks' TypeScript types) and
 * `docs/settings.md` (the reference page), formatted by `deno fmt`. `deno task schema` runs this
 * module to rewrite them; a test fails when a committed one differs from its generation.
 *
 * @module
 */
import { experimentJsonSchemaText } from "../experiment/json_schema.ts";
import {
  BLOCKS,
  SETTINGS_MODULES,
  type SettingsModule,
  settingsTypes,
} from "../experiment/settings_blocks.ts";
import { SETTINGS_PAGE, settingsPageText } from "../experiment/settings_page.ts";
import { typesModuleText, wrapWords } from "../experiment/settings_types.ts";
import { denoExecutable } from "./run/runner.ts";

/** A generated file: its path in the repository and its unformatted text. */
export interface GeneratedFile {
  /** Its path relative to the repository's root. */
  readonly path: string;
  /** Its text before `deno fmt`. */
  text(): string;
}

/** The header of a module of `src/settings/`: what it holds and where it comes from. */
function settingsHeader(module: SettingsModule): string {
  const text = `${SETTINGS_MODULES[module]} Written by \`deno task schema\` from the zod ` +
    "schemas that declare each block (its fields, bounds, defaults and descriptions), defaults " +
    "filled in: edit those, then rerun it; a test fails when this file is out of date.";
  const lines = wrapWords(text, 97).map((l) => ` * ${l}\n`).join("");
  return `/**\n${lines} *\n * @module\n */\n`;
}

/** The generated files, in the order they are written. */
export const GENERATED_FILES: readonly GeneratedFile[] = [
  { path: "experiments/schema.json", text: experimentJsonSchemaText },
  ...(Object.keys(SETTINGS_MODULES) as SettingsModule[]).map((module) => ({
    path: `src/settings/${module}.ts`,
    text: () => typesModuleText(settingsHeader(module), module, settingsTypes()),
  })),
  { path: SETTINGS_PAGE, text: () => settingsPageText(BLOCKS, settingsTypes()) },
];

/** `text` as `deno fmt` formats a file of `path`'s extension, with the project's settings. */
export async function formatted(path: string, text: string): Promise<string> {
  const ext = path.slice(path.lastIndexOf(".") + 1);
  const config = new URL("../../deno.json", import.meta.url).pathname;
  const child = new Deno.Command(denoExecutable(), {
    args: ["fmt", "--config", config, "--ext", ext, "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) {
    throw new Error(`deno fmt failed on ${path}: ${new TextDecoder().decode(stderr)}`);
  }
  return new TextDecoder().decode(stdout);
}

/** The text `path` of {@link GENERATED_FILES} should hold: its generation, formatted. */
export function generatedText(file: GeneratedFile): Promise<string> {
  return formatted(file.path, file.text());
}

if (import.meta.main) {
  const root = new URL("../../", import.meta.url);
  for (const file of GENERATED_FILES) {
    await Deno.writeTextFile(new URL(file.path, root), await generatedText(file));
    console.log(`wrote ${file.path}`);
  }
}
