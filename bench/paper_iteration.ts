/**
 * The wall time and peak memory of one training iteration of an agent of a paper experiment
 * file, at that file's settings (for the paper's budget: GRU 256, 250,000 timesteps, Fisher–vector
 * products on every trial), in a process of its own. Prints one JSON line: wall and CPU seconds
 * (on a shared machine the CPU time is the steadier figure), peak RSS.
 *
 * `deno run -A bench/paper_iteration.ts FILE AGENT [BACKEND]` (BACKEND default auto; `-A` because
 * Deno lets a process read its own /proc/self files, for peak RSS and CPU time, only with it)
 *
 * @module
 */
import { type BackendName, initBackend } from "../src/backend.ts";
import { Trainer } from "../src/learners/train.ts";
import { isLearnerAgent } from "../src/experiment/schema.ts";
import { resolveLearner } from "../src/learners/registry.ts";
import { createFamily } from "../src/envs/registry.ts";
import { loadExperiment } from "../src/experiment/load.ts";
import { expandRuns } from "../src/experiment/expand.ts";
import { peakRssMiB } from "./workload.ts";

const [file, agent, backendName = "auto"] = Deno.args;
if (file === undefined || agent === undefined) {
  throw new Error("usage: paper_iteration.ts FILE AGENT [BACKEND]");
}
const backend = await initBackend(backendName as BackendName);
const experiment = await loadExperiment(file);
const run = expandRuns(experiment).find((r) => r.agent === agent);
if (run === undefined || !isLearnerAgent(run.agentConfig)) {
  throw new Error(`${file} has no trained agent "${agent}"`);
}
const { task } = experiment.config;
const { spec, config } = resolveLearner(run.agentConfig);
const learner = new Trainer(createFamily(task), task.episodes, spec, config, run.seed);
/** User + system CPU seconds of this process (Linux), else null. */
const cpuSeconds = (): number | null => {
  try {
    const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
};
const start = performance.now(), cpuStart = cpuSeconds();
const log = learner.iterate();
const cpuEnd = cpuSeconds();
console.log(JSON.stringify({
  experiment: experiment.config.name,
  agent,
  backend: backend.name,
  timesteps: log.timesteps,
  seconds: (performance.now() - start) / 1000,
  cpuSeconds: cpuStart === null || cpuEnd === null ? null : cpuEnd - cpuStart,
  peakRssMiB: await peakRssMiB(),
  rssAtEndMiB: Deno.memoryUsage().rss / 2 ** 20,
}));
