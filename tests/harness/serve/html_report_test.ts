import assert from "node:assert/strict";
import { join } from "node:path";
import { htmlReport } from "../../../src/harness/serve/html_report.ts";
import { writeLiveResults } from "../serve/_live.ts";

Deno.test("report: one self-contained HTML file with the scripts, the table and the curves inlined", async () => {
  const parent = await Deno.makeTempDir({ prefix: "rl2lab-report-" });
  try {
    const dir = await writeLiveResults(parent, 4);
    const html = await htmlReport(dir);
    assert.ok(!/<script[^>]+src=/i.test(html), "a script is loaded from elsewhere");
    assert.ok(!/<link[^>]+href=/i.test(html), "a style sheet is loaded from elsewhere");
    assert.ok(html.includes("vegaEmbed") && html.includes("vegaLite"), "chart scripts missing");
    const boot = html.match(/<script type="application\/json" id="rl2lab-boot">(.*?)<\/script>/s);
    const data = JSON.parse(boot![1]!).data;
    assert.equal(data.name, "live");
    assert.equal(data.table.source, "computed");
    // Band, line and points of the curves; the baseline's rule and its label.
    assert.ok(data.curves.length > 0 && data.specs.curves.layer.length === 5);
    assert.equal(
      data.columns.find((c: { key: string }) => c.key === "final_mean").label,
      "final [95% CI]",
    );
    assert.equal(JSON.parse(boot![1]!).api, undefined, "a report must not poll");
    await assert.rejects(htmlReport(join(dir, "rl2")), /not an experiment's results folder/);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
