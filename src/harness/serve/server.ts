/**
 * The web app of `deno task serve`: read-only over one results folder. Pages (`/`,
 * `/experiment/<folder>`, `/run/<folder>`) are shells that poll their data (`/api/…`, JSON with
 * an ETag), the chart scripts come from the locked npm packages (`/static/…`), and the folder's
 * files can be read as they are (`/files/<path>`). Nothing outside the folder is served: paths
 * with `..`, absolute or encoded escapes, or symbolic links answer 404; only GET and HEAD are
 * answered, and requests naming another host (DNS rebinding) are refused.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { RESOLVED_FILE } from "../run/manifest.ts";
import { CLIENT_JS } from "./client.ts";
import { experimentView } from "./experiment_view.ts";
import { type Dependencies, isInside, type ResultsRoot } from "./files.ts";
import { pageHtml, VENDOR_SCRIPTS, vendorPath, withExperimentSpecs, withRunSpecs } from "./page.ts";
import { runView } from "./run_view.ts";
import { findExperiments, indexView } from "./scan.ts";

const TYPES: Record<string, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
  svg: "image/svg+xml",
  md: "text/plain; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  jsonc: "text/plain; charset=utf-8",
};

const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-cache",
};

function text(body: string, status: number, type = "text/plain; charset=utf-8"): Response {
  return new Response(body, { status, headers: { ...SECURITY_HEADERS, "Content-Type": type } });
}

function notFound(): Response {
  return text("not found\n", 404);
}

/** FNV-1a of a string, as an ETag. */
function etagOf(body: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < body.length; i++) {
    h ^= body.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `"${h.toString(16)}-${body.length}"`;
}

/** A built JSON answer and what it was built from. */
interface CachedAnswer {
  body: string;
  etag: string;
  dependencies: Dependencies;
  /** The folder's generation when the answer was last found current. */
  generation: number | undefined;
  /** When it was last found current (ms since the epoch). */
  checked: number;
}

/**
 * How long an answer is trusted on the watcher's word alone: past it, its files' stamps are
 * checked again (a watcher may miss events).
 */
const TRUSTED_MS = 5000;

/** How many answers (one per page's data URL) are kept. */
const CACHED_ANSWERS = 256;

/**
 * JSON answers by URL, each reused (a 304 to its ETag) while the files and folders it was built
 * from are unchanged: a polled page costs nothing while the watcher saw no change in the folder
 * (its stamps are checked every {@link TRUSTED_MS} regardless), an `lstat` per file it was built
 * from after a change elsewhere, and a rebuild only when one of its own files changed.
 */
class AnswerCache {
  #answers = new Map<string, CachedAnswer>();

  constructor(readonly root: ResultsRoot) {}

  /** The answer for `key`, built by `build` unless its last build is still current. */
  async answer(request: Request, key: string, build: () => Promise<unknown>): Promise<Response> {
    let hit = this.#answers.get(key);
    const generation = this.root.generation;
    const now = Date.now();
    const trusted = hit !== undefined && generation !== undefined &&
      hit.generation === generation && now - hit.checked < TRUSTED_MS;
    if (hit !== undefined && !trusted && this.root.unchanged(hit.dependencies)) {
      hit = { ...hit, generation, checked: now };
    } else if (!trusted) {
      const { value, dependencies } = await this.root.traced(build);
      const body = JSON.stringify(value);
      hit = { body, etag: etagOf(body), dependencies, generation, checked: now };
    }
    hit = hit!;
    this.#answers.delete(key);
    this.#answers.set(key, hit);
    if (this.#answers.size > CACHED_ANSWERS) {
      this.#answers.delete(this.#answers.keys().next().value!);
    }
    const headers = { ...SECURITY_HEADERS, ETag: hit.etag, "Content-Type": TYPES.json! };
    if (request.headers.get("If-None-Match") === hit.etag) {
      return new Response(null, { status: 304, headers });
    }
    return new Response(hit.body, { headers });
  }
}

/** The nearest folder at or above `dir` (inside the results folder) holding an experiment. */
async function experimentOf(root: ResultsRoot, dir: string): Promise<string | undefined> {
  for (let at = dir; isInside(root.dir, at); at = dirname(at)) {
    if ((await root.stamp(join(at, RESOLVED_FILE))) !== undefined) return at;
    if (at === root.dir) break;
  }
  return undefined;
}

/** True for loopback addresses (reachable from this machine only). */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Where the app is reachable: the hosts a request may name. */
export interface Binding {
  /** The address bound. */
  hostname: string;
  /** The port bound. */
  port: number;
  /**
   * More names a request may give in its Host header besides the bound address and loopback:
   * the machine's names and addresses when it binds beyond loopback, and `--allow-host` names.
   */
  names?: readonly string[];
}

/** `host` as a Host header names it, without the port: IPv6 addresses in brackets. */
function bracketed(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/**
 * True when the request's Host header names the bound address, a loopback name or one of the
 * binding's names, with its port; a wildcard binding (0.0.0.0, ::) is no exception.
 */
export function hostAllowed(request: Request, binding: Binding): boolean {
  const host = request.headers.get("Host");
  if (host === null) return true;
  const wildcard = binding.hostname === "0.0.0.0" || binding.hostname === "::";
  const names = [
    ...(wildcard ? [] : [binding.hostname]),
    "localhost",
    "127.0.0.1",
    "::1",
    ...(binding.names ?? []),
  ].map((h) => bracketed(h.toLowerCase()));
  const allowed = names.map((h) => `${h}:${binding.port}`);
  if (binding.port === 80) allowed.push(...names);
  return allowed.includes(host.toLowerCase());
}

/**
 * The request handler of the app over `root`; `binding` says which Host headers to accept
 * (its port may be set once the server listens).
 */
export function resultsHandler(
  root: ResultsRoot,
  binding: Binding,
): (request: Request) => Promise<Response> {
  const label = root.dir.split(/[\\/]/).filter((s) => s !== "").at(-1) ?? root.dir;
  const answers = new AnswerCache(root);
  return async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return text("read-only: only GET and HEAD\n", 405);
    }
    if (!hostAllowed(request, binding)) return text("unknown host\n", 421);
    const url = new URL(request.url);
    const [, kind = "", ...rest] = url.pathname.split("/");
    let path: string;
    try {
      path = decodeURIComponent(rest.join("/"));
    } catch {
      return text("bad path\n", 400);
    }
    const page = (p: "index" | "experiment" | "run", title: string, api: string) =>
      text(
        pageHtml({ page: p, title, api, subtitle: label }),
        200,
        "text/html; charset=utf-8",
      );
    const api = `/api/${kind}/${rest.join("/")}`;
    switch (kind) {
      case "":
        return page("index", "rl2lab results", "/api/index");
      case "experiment":
      case "run": {
        const found = await root.resolve(path);
        if (found === undefined || !found.info.isDirectory) return notFound();
        return page(kind, path, api);
      }
      case "api":
        return await answerApi(request, answers, rest);
      case "static":
        return await staticFile(path);
      case "files": {
        const found = await root.resolve(path);
        if (found === undefined || !found.info.isFile) return notFound();
        const type = TYPES[path.split(".").at(-1) ?? ""] ?? "text/plain; charset=utf-8";
        const file = await root.open(found.path);
        if (file === undefined) return notFound();
        return new Response(file.readable, {
          headers: {
            ...SECURITY_HEADERS,
            "Content-Type": type,
            "Content-Security-Policy": "sandbox",
          },
        });
      }
      case "favicon.ico":
        return new Response(null, { status: 204 });
      default:
        return notFound();
    }
  };
}

async function answerApi(
  request: Request,
  answers: AnswerCache,
  rest: string[],
): Promise<Response> {
  const root = answers.root;
  const [what = "", ...segments] = rest;
  let path: string;
  try {
    path = decodeURIComponent(segments.join("/"));
  } catch {
    return text("bad path\n", 400);
  }
  if (what === "index") return await answers.answer(request, "index", () => indexView(root));
  const found = await root.resolve(path);
  if (found === undefined || !found.info.isDirectory) return notFound();
  const experiment = await experimentOf(root, found.path);
  if (experiment === undefined) return notFound();
  if (what === "experiment") {
    if (experiment !== found.path) return notFound();
    return await answers.answer(request, `experiment:${experiment}`, async () => {
      const { comparisons } = await findExperiments(root);
      const view = await experimentView(root, experiment, comparisons.map((c) => root.relative(c)));
      return withExperimentSpecs(view);
    });
  }
  if (what === "run" && experiment !== found.path) {
    return await answers.answer(
      request,
      `run:${found.path}`,
      async () => withRunSpecs(await runView(root, experiment, found.path)),
    );
  }
  return notFound();
}

async function staticFile(name: string): Promise<Response> {
  const type = "text/javascript; charset=utf-8";
  if (name === "app.js") return text(CLIENT_JS, 200, type);
  if (!Object.hasOwn(VENDOR_SCRIPTS, name)) return notFound();
  const body = await Deno.readFile(vendorPath(name as keyof typeof VENDOR_SCRIPTS));
  return new Response(body, {
    headers: { ...SECURITY_HEADERS, "Content-Type": type, "Cache-Control": "max-age=3600" },
  });
}

/** How to serve a results folder. */
export interface ServeOptions {
  /** The address to bind (127.0.0.1 unless told). */
  hostname: string;
  /** The port (0: one the system picks). */
  port: number;
  /** Stops the server. */
  signal?: AbortSignal;
  /** Called once listening, with the address. */
  onListen?: (addr: Deno.NetAddr) => void;
  /** More names the Host header may give ({@link Binding.names}). */
  names?: readonly string[];
}

/** Serves `root` until `signal` aborts; the returned server's `finished` settles then. */
export function serveResults(
  root: ResultsRoot,
  options: ServeOptions,
): Deno.HttpServer<Deno.NetAddr> {
  const binding: Binding = {
    hostname: options.hostname,
    port: options.port,
    ...(options.names !== undefined && { names: options.names }),
  };
  const handler = resultsHandler(root, binding);
  if (options.signal !== undefined) root.watch(options.signal);
  return Deno.serve({
    hostname: options.hostname,
    port: options.port,
    ...(options.signal !== undefined && { signal: options.signal }),
    onListen: (addr) => {
      binding.port = addr.port;
      options.onListen?.(addr);
    },
  }, async (request) => {
    try {
      return await handler(request);
    } catch (e) {
      console.error(
        `error serving ${new URL(request.url).pathname}: ${e instanceof Error ? e.message : e}`,
      );
      return text(`error: ${e instanceof Error ? e.message : e}\n`, 500);
    }
  });
}
