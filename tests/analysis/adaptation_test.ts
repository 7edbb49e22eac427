import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { adaptationCurve } from "../../src/analysis/adaptation.ts";

const options = () => ({
  rng: Rng.derive(1, "adaptation-test"),
  resamples: 2000,
  confidence: 0.95,
});

Deno.test("adaptationCurve(): per episode the mean over seeds, and the last episode's gain", () => {
  const perSeed = [[10, 11, 13], [12, 12, 12], [8, 11, 14]];
  const curve = adaptationCurve(perSeed, options());
  assert.equal(curve.seeds, 3);
  assert.deepEqual(curve.points.map((p) => p.episode), [1, 2, 3]);
  assert.deepEqual(curve.points.map((p) => p.reward.point), [10, 34 / 3, 13]);
  assert.equal(curve.gain.point, (3 + 0 + 6) / 3);
  // Resampling three seeds: the interval spans the seeds' own gains at most.
  assert.ok(curve.gain.lower >= 0 && curve.gain.upper <= 6 && curve.gain.lower < curve.gain.upper);
  for (const p of curve.points) {
    assert.ok(p.reward.lower <= p.reward.point && p.reward.point <= p.reward.upper);
  }
});

Deno.test("adaptationCurve(): seeds that agree give a point interval; ragged seeds are refused", () => {
  const flat = adaptationCurve([[2, 2], [2, 2]], options());
  assert.deepEqual(flat.gain, { point: 0, lower: 0, upper: 0 });
  assert.throws(() => adaptationCurve([[1, 2], [1]], options()), /same, non-zero number/);
  assert.throws(() => adaptationCurve([], options()), /same, non-zero number/);
});
