import assert from "node:assert/strict";
import { join } from "node:path";
import {
  readSection,
  referenceSections,
  sectionMarkers,
  writeSection,
} from "../../../src/harness/paper/reference.ts";
import { PROJECT_ROOT } from "../../../src/project.ts";

Deno.test("writeSection() replaces only the text between a section's markers", () => {
  const { begin, end } = sectionMarkers("t");
  const readme = `# Title\n\n${begin}\nold\n${end}\n\ntail\n`;
  const updated = writeSection(readme, "t", "| a |\n| b |\n");
  assert.equal(updated, `# Title\n\n${begin}\n| a |\n| b |\n${end}\n\ntail\n`);
  assert.equal(readSection(updated, "t"), "| a |\n| b |");
  assert.equal(writeSection(updated, "t", "| a |\n| b |"), updated, "idempotent");
  assert.equal(readSection(readme, "other"), undefined);
  assert.throws(() => writeSection(readme, "other", "x"), /no section markers/);
});

Deno.test("the README shows exactly the committed reference tables (deno task reference regenerates them)", async () => {
  const readme = await Deno.readTextFile(join(PROJECT_ROOT, "README.md"));
  const sections = await referenceSections();
  assert.equal(sections.size, 3);
  for (const [name, content] of sections) {
    assert.equal(
      readSection(readme, name),
      content.trimEnd(),
      `README section "${name}" differs from results/reference; run deno task reference`,
    );
  }
  const plot = /\]\((.+\.svg)\)/.exec(sections.get("curves")!)![1]!;
  assert.match(await Deno.readTextFile(join(PROJECT_ROOT, plot)), /^<svg/);
});
