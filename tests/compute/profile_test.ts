import assert from "node:assert/strict";
import {
  inPhase,
  passFlops,
  startProfile,
  stepMacs,
  stopProfile,
  timed,
} from "../../src/compute/profile.ts";
import { gruNetwork } from "../../src/policies/gru.ts";
import { mlpNetwork } from "../../src/policies/mlp.ts";

/** Busy-waits `ms` milliseconds (a span needs time to measure). */
const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* wait */ }
};

Deno.test("timed() and inPhase() record nothing and just run when no profile is recording", () => {
  assert.equal(inPhase("p", () => timed("k", () => 7, 100)), 7);
  assert.deepEqual(stopProfile(), { entries: [], phases: new Map() });
});

Deno.test("a profile keys spans by phase and kind, a span's time excluding the spans inside it", () => {
  startProfile();
  inPhase("outer", () => {
    timed("graph: a", () => {
      busy(20);
      timed("host: b", () => busy(20));
    }, 1e6);
    inPhase("inner", () => timed("graph: a", () => busy(5), 10));
    inPhase("inner", () => timed("graph: a", () => busy(5), 10));
  });
  const p = stopProfile();
  assert.deepEqual([...p.phases.keys()], ["outer", "outer / inner"]);
  const entry = (phase: string, kind: string) =>
    p.entries.find((e) => e.phase === phase && e.kind === kind)!;
  const a = entry("outer", "graph: a"), b = entry("outer", "host: b");
  assert.equal(a.flops, 1e6);
  assert.ok(b.seconds >= 0.019, `${b.seconds}`);
  assert.ok(a.seconds >= 0.019 && a.seconds < 0.039, `nested time excluded: ${a.seconds}`);
  const inner = entry("outer / inner", "graph: a");
  assert.equal(inner.calls, 2);
  assert.equal(inner.flops, 20);
  assert.ok(p.phases.get("outer")!.seconds >= a.seconds + b.seconds + inner.seconds);
  assert.equal(p.entries.length, 3);
});

Deno.test("stepMacs() counts every weight matrix once per step; a backward pass is twice a forward", () => {
  const gru = gruNetwork({ inputDim: 17, hidden: 256, outputDim: 5, norm: "weight" });
  assert.equal(stepMacs(gru), 3 * (17 * 256 + 256 * 256) + 256 * 5);
  const layer = gruNetwork({ inputDim: 3, hidden: 4, outputDim: 2, norm: "layer" });
  assert.equal(stepMacs(layer), 3 * (3 * 4 + 4 * 4) + 4 * 2);
  const mlp = mlpNetwork({ inputDim: 3, hidden: [8, 8], outputDim: 2, norm: "none" });
  assert.equal(stepMacs(mlp), 3 * 8 + 8 * 8 + 8 * 2);
  assert.equal(passFlops(mlp, 10, "forward"), 2 * stepMacs(mlp) * 10);
  assert.equal(passFlops(mlp, 10, "backward"), 4 * stepMacs(mlp) * 10);
});
