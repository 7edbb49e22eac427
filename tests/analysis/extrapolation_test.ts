import assert from "node:assert/strict";
import { fitLogTimesteps, timestepsToReach } from "../../src/analysis/extrapolation.ts";

const line = (k: number) => ({ timesteps: 1000 * 2 ** k, mean: 50 + 3 * k });

Deno.test("a curve straight in log timesteps is fitted exactly and extrapolated to the level", () => {
  const curve = [0, 1, 2, 3, 4, 5, 6, 7].map(line);
  const fit = fitLogTimesteps(curve)!;
  assert.ok(Math.abs(fit.slope - 3 / Math.LN2) < 1e-9);
  assert.equal(fit.points, 4);
  assert.equal(fit.from, line(4).timesteps);
  assert.equal(fit.to, line(7).timesteps);
  // 50 + 3k = 80 at k = 10: 1000 · 2^10 timesteps.
  assert.ok(Math.abs(timestepsToReach(fit, 80)! / (1000 * 2 ** 10) - 1) < 1e-9);
});

Deno.test("only the later half counts: an early jump does not bend the line", () => {
  const curve = [
    { timesteps: 0, mean: 0 },
    { timesteps: 500, mean: -100 },
    ...[1, 2, 3, 4, 5].map(line),
  ];
  const fit = fitLogTimesteps(curve)!;
  assert.ok(Math.abs(fit.slope - 3 / Math.LN2) < 1e-9, `slope ${fit.slope}`);
});

Deno.test("a flat or falling curve gives no budget; too few trained points give no fit", () => {
  const flat = [1, 2, 3, 4].map((k) => ({ timesteps: 1000 * k, mean: 7 }));
  assert.equal(timestepsToReach(fitLogTimesteps(flat)!, 8), undefined);
  const falling = [1, 2, 3, 4].map((k) => ({ timesteps: 1000 * k, mean: 7 - k }));
  assert.equal(timestepsToReach(fitLogTimesteps(falling)!, 8), undefined);
  assert.equal(fitLogTimesteps([{ timesteps: 0, mean: 1 }, line(1), line(2)]), undefined);
});

Deno.test("least squares on noisy points: the slope of a hand-worked example", () => {
  // x = ln t = 0, 1, 2 (t = 1, e, e²), y = 1, 3, 2: slope = Σ(x−1)(y−2)/Σ(x−1)² = 1/2.
  const curve = [1, Math.E, Math.E ** 2].map((t, i) => ({ timesteps: t, mean: [1, 3, 2][i]! }));
  const fit = fitLogTimesteps(curve)!;
  assert.ok(Math.abs(fit.slope - 0.5) < 1e-12);
  assert.ok(Math.abs(fit.intercept - 1.5) < 1e-12);
});
