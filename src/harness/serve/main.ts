/**
 * The server process of `deno task serve`, started by {@link ./serve_cli.ts} with the narrowest
 * permissions: read of the results folder and of the three chart scripts, net of its own address
 * and port. Arguments: `DIR --host H --port P` (DIR absolute, links resolved). Stops on SIGINT or
 * SIGTERM.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ResultsRoot } from "./files.ts";
import { serveResults } from "./server.ts";

/** Serves the folder of the command line until SIGINT or SIGTERM; returns the exit code. */
export async function serveMain(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { host: { type: "string" }, port: { type: "string" } },
  });
  const [dir] = positionals;
  if (dir === undefined || values.host === undefined || values.port === undefined) {
    console.error("usage: main.ts DIR --host HOST --port PORT");
    return 2;
  }
  const root = await ResultsRoot.open(dir);
  const controller = new AbortController();
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  const stop = () => controller.abort();
  for (const s of signals) Deno.addSignalListener(s, stop);
  const server = serveResults(root, {
    hostname: values.host,
    port: Number(values.port),
    signal: controller.signal,
    onListen: ({ hostname, port }) => {
      const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
      console.log(`serving ${dir} (read-only) at http://${shown}:${port}/ (Ctrl-C stops)`);
    },
  });
  await server.finished;
  for (const s of signals) Deno.removeSignalListener(s, stop);
  return 0;
}

if (import.meta.main) Deno.exit(await serveMain(Deno.args));
