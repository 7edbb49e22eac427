/**
 * Read-only access to a results folder for `deno task serve`: request paths resolved inside the
 * folder only (no `..`, no absolute or encoded escapes, no symbolic links), and a cache of parsed
 * files keyed by their modification time and size, so that pages polled every few seconds reread
 * only the files that grew.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { join, relative, resolve, sep } from "node:path";
import type { ReadText } from "../run/completeness.ts";
import {
  FileTooLargeError,
  formatBytes,
  openRegular,
  readTextNoFollow,
} from "../run/read_nofollow.ts";

/**
 * The largest file a page reads and charts, in bytes (decided in docs/serve.md): a bigger one is
 * named on its page, with its size, and left out; the rest of the page is served.
 */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** A file's error, shown on the page of the file's experiment or run. */
export interface FileProblem {
  /** The file, relative to the results folder. */
  file: string;
  /** What is wrong with it. */
  error: string;
}

/** The message of a thrown value. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A file of the results folder that cannot be read or parsed. */
export class FileError extends Error {
  /** The file and what is wrong with it. */
  readonly problem: FileProblem;

  constructor(problem: FileProblem) {
    super(`${problem.file}: ${problem.error}`);
    this.name = "FileError";
    this.problem = problem;
  }
}

/** The problem of a thrown value while reading `file` (relative to the results folder). */
export function problemOf(file: string, e: unknown): FileProblem {
  return e instanceof FileError ? e.problem : { file, error: messageOf(e) };
}

/**
 * The segments of a request path relative to the results folder (already percent-decoded once
 * by the caller), or undefined when it could leave the folder: `..` or `.` segments, empty
 * segments, backslashes, NUL bytes, or a drive-letter or absolute form.
 *
 * @example
 * ```ts
 * import { pathSegments } from "./files.ts";
 * if (pathSegments("a/b/seed-0")?.length !== 3) throw new Error("plain path");
 * if (pathSegments("a/../../etc") !== undefined) throw new Error("traversal accepted");
 * ```
 */
export function pathSegments(path: string): string[] | undefined {
  if (path === "") return [];
  if (/[\\\0]/.test(path) || path.startsWith("/") || /^[A-Za-z]:/.test(path)) return undefined;
  const segments = path.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) return undefined;
  return segments;
}

/** The problems with one entry per file (the first reported). */
export function dedupeProblems(problems: readonly FileProblem[]): FileProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.file) && seen.add(p.file) !== undefined);
}

/** True when `path` is `root` or lies below it (both absolute, symbolic links resolved). */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * What a response was built from: per file its stamp (`f:` path), per folder its entries (`d:`
 * path), as {@link ResultsRoot.traced} records them.
 */
export type Dependencies = Map<string, string>;

const tracing = new AsyncLocalStorage<Dependencies>();

/** The entries of a folder without symbolic links, in name order (none when unreadable). */
function listSync(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].filter((e) => !e.isSymlink).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/** `mtime:size` of a regular file (not a link), or `-`. */
function stampSync(path: string): string {
  try {
    const info = Deno.lstatSync(path);
    return info.isFile ? `${info.mtime?.getTime() ?? 0}:${info.size}` : "-";
  } catch {
    return "-";
  }
}

/** A results folder opened read-only: its real path and a cache of parsed files. */
export class ResultsRoot {
  /** The folder's real path (symbolic links resolved). */
  readonly dir: string;
  /** The largest file read ({@link MAX_FILE_BYTES} unless told). */
  readonly maxFileBytes: number;
  #cache = new Map<string, { stamp: string; value: unknown; error?: string }>();
  #generation = 0;
  #watching = false;
  #memo = new Map<string, { stamp: string; value: Promise<unknown> }>();

  private constructor(dir: string, maxFileBytes: number) {
    this.dir = dir;
    this.maxFileBytes = maxFileBytes;
  }

  /** Opens `dir`, which must be an existing folder; files over `maxFileBytes` are not read. */
  static async open(dir: string, maxFileBytes = MAX_FILE_BYTES): Promise<ResultsRoot> {
    const real = await Deno.realPath(resolve(dir));
    if (!(await Deno.stat(real)).isDirectory) throw new Error(`${dir} is not a folder`);
    return new ResultsRoot(real, maxFileBytes);
  }

  /**
   * The folder's one reader: a file's text, never through a symbolic link nor from outside the
   * folder, and never over {@link maxFileBytes}.
   */
  readonly readText: ReadText = (path) =>
    readTextNoFollow(path, { within: this.dir, maxBytes: this.maxFileBytes });

  /** A regular file of the folder opened for reading (no link, no size limit), or undefined. */
  async open(path: string): Promise<Deno.FsFile | undefined> {
    return (await openRegular(path, { within: this.dir }))?.file;
  }

  /** `path` (absolute, inside the folder) relative to the folder, with `/` separators. */
  relative(path: string): string {
    return relative(this.dir, path).split(sep).join("/");
  }

  /**
   * The absolute path of a request path (`a/b/c`, relative to the folder) when it names an
   * existing entry of the folder reached without any symbolic link, else undefined.
   */
  async resolve(path: string): Promise<{ path: string; info: Deno.FileInfo } | undefined> {
    const segments = pathSegments(path);
    if (segments === undefined) return undefined;
    let at = this.dir;
    let info: Deno.FileInfo | undefined;
    try {
      info = await Deno.lstat(at);
      for (const s of segments) {
        at = join(at, s);
        info = await Deno.lstat(at);
        if (info.isSymlink) return undefined;
      }
      if (!isInside(this.dir, await Deno.realPath(at))) return undefined;
    } catch {
      return undefined;
    }
    return { path: at, info };
  }

  /** `mtime:size` of a regular file (not a link), or undefined when there is none. */
  async stamp(path: string): Promise<string | undefined> {
    let stamp: string | undefined;
    try {
      const info = await Deno.lstat(path);
      if (info.isFile) stamp = `${info.mtime?.getTime() ?? 0}:${info.size}`;
    } catch {
      stamp = undefined;
    }
    tracing.getStore()?.set(`f:${path}`, stamp ?? "-");
    return stamp;
  }

  /**
   * `build()`'s value and what it was built from: every file stamp it took and every folder it
   * listed, so that {@link unchanged} can tell, for a few `lstat`s, that it would be the same.
   */
  async traced<T>(build: () => Promise<T>): Promise<{ value: T; dependencies: Dependencies }> {
    const dependencies: Dependencies = new Map();
    const value = await tracing.run(dependencies, build);
    return { value, dependencies };
  }

  /**
   * Follows changes below the folder with a file system watcher until `signal` aborts: each one
   * moves {@link generation} on. Without a watcher (none available), generation stays undefined.
   */
  watch(signal: AbortSignal): void {
    let watcher: Deno.FsWatcher;
    try {
      watcher = Deno.watchFs(this.dir, { recursive: true });
    } catch {
      return;
    }
    this.#watching = true;
    signal.addEventListener("abort", () => watcher.close(), { once: true });
    (async () => {
      try {
        for await (const _ of watcher) this.#generation++;
      } catch {
        // closed, or the watcher failed: stamps are checked on every poll from now on
      }
      this.#watching = false;
    })();
  }

  /** A number that changes whenever something below the folder changes, if it is watched. */
  get generation(): number | undefined {
    return this.#watching ? this.#generation : undefined;
  }

  /** True when every file and folder of `dependencies` is as it was recorded. */
  unchanged(dependencies: Dependencies): boolean {
    for (const [key, recorded] of dependencies) {
      const path = key.slice(2);
      const now = key.startsWith("d:") ? listSync(path).join("/") : stampSync(path);
      if (now !== recorded) return false;
    }
    return true;
  }

  /**
   * A regular file of the folder parsed by `parse` (cached under `kind`), reparsed only when its
   * modification time or size changed; undefined when it does not exist. Throws (every time,
   * until the file changes) when it cannot be read or parsed, with the file named.
   */
  async read<T>(path: string, kind: string, parse: (text: string) => T): Promise<T | undefined> {
    const stamp = await this.stamp(path);
    const key = `${path}\0${kind}`;
    if (stamp === undefined) {
      this.#cache.delete(key);
      return undefined;
    }
    const hit = this.#cache.get(key);
    const file = this.relative(path);
    if (hit?.stamp === stamp) {
      if (hit.error !== undefined) throw new FileError({ file, error: hit.error });
      return hit.value as T;
    }
    try {
      const text = await this.readText(path);
      if (text === undefined) throw new Error("removed while read");
      const value = parse(text);
      this.#cache.set(key, { stamp, value });
      return value;
    } catch (e) {
      const error = e instanceof FileTooLargeError
        ? `${formatBytes(e.size)}, over the ${formatBytes(e.limit)} a page reads: not charted ` +
          "(deno task compare reads it)"
        : messageOf(e);
      this.#cache.set(key, { stamp, value: undefined, error });
      throw new FileError({ file, error });
    }
  }

  /**
   * `compute()`'s value, computed again only when `stamp` changes for `key` (e.g. a statistic
   * of files whose stamps `stamp` joins).
   */
  remember<T>(key: string, stamp: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.#memo.get(key);
    if (hit?.stamp === stamp) return hit.value as Promise<T>;
    const value = compute();
    this.#memo.set(key, { stamp, value });
    return value;
  }

  /** The last `bytes` bytes of a regular file as text (a log's tail), or undefined. */
  async tail(path: string, bytes: number): Promise<string | undefined> {
    await this.stamp(path);
    const file = await this.open(path).catch(() => undefined);
    if (file === undefined) return undefined;
    try {
      const size = (await file.stat()).size;
      const start = Math.max(0, size - bytes);
      await file.seek(start, Deno.SeekMode.Start);
      const buffer = new Uint8Array(size - start);
      let read = 0;
      while (read < buffer.length) {
        const n = await file.read(buffer.subarray(read));
        if (n === null) break;
        read += n;
      }
      const text = new TextDecoder().decode(buffer.subarray(0, read));
      return start === 0 ? text : text.slice(text.indexOf("\n") + 1);
    } finally {
      file.close();
    }
  }

  /** The entries of a folder of the folder, without symbolic links, in name order. */
  async list(dir: string): Promise<Deno.DirEntry[]> {
    const entries: Deno.DirEntry[] = [];
    try {
      for await (const e of Deno.readDir(dir)) if (!e.isSymlink) entries.push(e);
    } catch {
      entries.length = 0;
    }
    entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    tracing.getStore()?.set(`d:${dir}`, entries.map((e) => e.name).join("/"));
    return entries;
  }
}
