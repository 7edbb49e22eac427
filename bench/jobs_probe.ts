/**
 * One unit of training work for the parallel-jobs benchmark: a fixed number of TRPO
 * iterations in this process; prints the seconds it took.
 *
 * @module
 */
import { initBackend } from "../src/backend.ts";
import { benchLearner } from "./workload.ts";

await initBackend("wasm");
const learner = benchLearner("bandit-k5-n10", 10000, { gru: 128 });
const start = performance.now();
for (let i = 0; i < 3; i++) learner.iterate();
console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000 }));
