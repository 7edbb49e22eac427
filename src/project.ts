/**
 * Where the project is on disk: the folder holding `deno.json` and `deno.lock`, from which
 * workers are started and the committed reference results are found.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The project's folder (holding `deno.json` and `deno.lock`). */
export const PROJECT_ROOT: string = fileURLToPath(new URL("..", import.meta.url));
