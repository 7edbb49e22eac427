/**
 * Helpers of the fault-injection suite: the `deno task` command lines exactly as a user types
 * them (from the project's folder, with deno.json's permission flags), each in its own process
 * group so that a test can kill the whole group as a scheduler does, and output folders under
 * `results/` (the only place the tasks may write).
 */
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The project's folder. */
export const PROJECT = fileURLToPath(new URL("../..", import.meta.url));

/** A fixture's path relative to the project (as a user would type it). */
export function fixture(name: string): string {
  return relative(PROJECT, fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)));
}

/** A fresh folder under `results/` for one test module, removed when the module ends. */
export function resultsDir(name: string): string {
  const dir = join("results", `.faults-${name}-${Deno.pid}`);
  Deno.mkdirSync(join(PROJECT, dir), { recursive: true });
  globalThis.addEventListener("unload", () => {
    try {
      Deno.removeSync(join(PROJECT, dir), { recursive: true });
    } catch {
      // already gone
    }
  });
  return dir;
}

/** What a finished task printed, and how it ended. */
export interface TaskOutput {
  code: number;
  signal: Deno.Signal | null;
  stdout: string;
  stderr: string;
}

/** A running `deno task`, the leader of its own process group. */
export interface RunningTask {
  /** The group's id (the task process's pid). */
  pgid: number;
  /** Sends `signal` to every process of the group (the task, the runner, its workers). */
  killGroup(signal: Deno.Signal): void;
  /** Waits for the task to end. */
  output(): Promise<TaskOutput>;
}

/** Starts `deno task NAME ARGS…` from the project's folder in a new process group. */
export function startTask(name: string, args: readonly string[]): RunningTask {
  const child = new Deno.Command("setsid", {
    args: [Deno.execPath(), "task", "-q", name, ...args],
    cwd: PROJECT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const decode = (stream: ReadableStream<Uint8Array>) => new Response(stream).text();
  const texts = Promise.all([decode(child.stdout), decode(child.stderr)]);
  return {
    pgid: child.pid,
    killGroup: (signal) => Deno.kill(-child.pid, signal),
    output: async () => {
      const [status, [stdout, stderr]] = await Promise.all([child.status, texts]);
      return { code: status.code, signal: status.signal, stdout, stderr };
    },
  };
}

/** Runs `deno task NAME ARGS…` to its end. */
export function task(name: string, args: readonly string[]): Promise<TaskOutput> {
  return startTask(name, args).output();
}

/** The text of a file under the project, or undefined when it does not exist. */
export async function readIfExists(path: string): Promise<string | undefined> {
  return await Deno.readTextFile(join(PROJECT, path)).catch(() => undefined);
}

/** Waits (polling every few milliseconds) until `ready()` holds; fails after `seconds`. */
export async function waitFor(
  what: string,
  ready: () => Promise<boolean>,
  seconds = 60,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 3));
  }
}

/** Copies the folder `from` to `to` (every file but the locks), as a user copies results. */
export async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.name === ".lock") continue;
    if (entry.isDirectory) await copyTree(join(from, entry.name), join(to, entry.name));
    else await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}
