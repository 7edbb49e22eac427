/**
 * Whether this process may write a path, checked before anything is written: the `deno task`
 * command lines grant writes under `results/` only, and a symbolic link below `results/` must
 * not carry writes elsewhere (Deno checks write permissions on the path as written, not on
 * where its links lead).
 *
 * @module
 */
import { dirname, join, relative, resolve } from "node:path";

function granted(path: string): boolean {
  return Deno.permissions.querySync({ name: "write", path }).state === "granted";
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/**
 * Why `path` may not be written by this process, or undefined when it may: it lies outside
 * the folders this process may write, or an existing part of it is a symbolic link to a place
 * outside them.
 */
export async function writeProblem(path: string): Promise<string | undefined> {
  const absolute = resolve(path);
  if (!granted(absolute)) return `${path} is outside the folders this command may write`;
  let existing = absolute;
  while (!(await exists(existing)) && dirname(existing) !== existing) {
    existing = dirname(existing);
  }
  const real = await Deno.realPath(existing).catch(() => existing);
  const target = join(real, relative(existing, absolute));
  if (!granted(target)) {
    return `${path} leads through a symbolic link to ${target}, outside the folders this ` +
      "command may write";
  }
  return undefined;
}
