import assert from "node:assert/strict";
import { explainedVariance, maskedMeanStd } from "../../src/algos/diagnostics.ts";

Deno.test("explainedVariance() matches hand-worked values", () => {
  // Residuals [0, 0, 1, −1]: variance 0.5; targets' variance 1.25; 1 − 0.5/1.25 = 0.6.
  assert.ok(Math.abs(explainedVariance([1, 2, 3, 4], [1, 2, 2, 5], [1, 1, 1, 1]) - 0.6) < 1e-12);
  // Masked entry ignored: residuals [1, 0, −1] have the targets' variance 2/3, so 0.
  assert.ok(Math.abs(explainedVariance([1, 2, 3, 100], [0, 2, 4, 0], [1, 1, 1, 0])) < 1e-12);
  // Predicting the negated centred targets: residual variance 4 × 2/3, so 1 − 4 = −3.
  assert.ok(Math.abs(explainedVariance([1, 2, 3], [3, 2, 1], [1, 1, 1]) + 3) < 1e-12);
  assert.equal(explainedVariance([2, 2, 7], [0, 1, 0], [1, 1, 0]), 0);
});

Deno.test("maskedMeanStd() is the population mean and deviation of the masked entries", () => {
  const { mean, std } = maskedMeanStd([1, 3, 50, 5], [1, 1, 0, 1]);
  assert.equal(mean, 3);
  assert.ok(Math.abs(std - Math.sqrt(8 / 3)) < 1e-12);
  assert.ok(Number.isNaN(maskedMeanStd([1], [0]).mean));
});
