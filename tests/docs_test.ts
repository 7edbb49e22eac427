import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";
import { PROJECT_ROOT } from "../src/project.ts";

/** The README and every page under docs/. */
function pages(): string[] {
  const docs = [...Deno.readDirSync(join(PROJECT_ROOT, "docs"))]
    .filter((e) => e.isFile && e.name.endsWith(".md"))
    .map((e) => join(PROJECT_ROOT, "docs", e.name));
  return [join(PROJECT_ROOT, "README.md"), ...docs.sort()];
}

/** GitHub's anchor of a heading: lower case, letters, digits, spaces as hyphens. */
export function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{Nd}\s_-]/gu, "").replace(/\s/g, "-");
}

/** The anchors of a markdown text's headings (outside code blocks). */
function anchors(text: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const heading = /^#{1,6} (.+)$/.exec(line);
    if (!fenced && heading) out.add(anchorOf(heading[1]!));
  }
  return out;
}

Deno.test("anchorOf() follows GitHub's headings", () => {
  assert.equal(anchorOf("The paper's budget on ONNX Runtime"), "the-papers-budget-on-onnx-runtime");
  assert.equal(anchorOf("RL² on random MDPs"), "rl-on-random-mdps");
  assert.equal(anchorOf("Fast protocol (n = 10 rows)"), "fast-protocol-n--10-rows");
});

Deno.test("every relative link and anchor of the README and docs/ resolves", async () => {
  const broken: string[] = [];
  for (const page of pages()) {
    const text = await Deno.readTextFile(page);
    const withoutCode = text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
    for (const [, target] of withoutCode.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const [path, anchor] = target!.split("#") as [string, string | undefined];
      const file = path === "" ? page : normalize(join(dirname(page), path));
      const where = `${relative(PROJECT_ROOT, page)}: ${target}`;
      const stat = await Deno.stat(file).catch(() => undefined);
      if (stat === undefined) {
        broken.push(`${where} (no such file)`);
        continue;
      }
      if (anchor !== undefined && !anchors(await Deno.readTextFile(file)).has(anchor)) {
        broken.push(`${where} (no such heading)`);
      }
    }
  }
  assert.deepEqual(broken, [], broken.join("\n"));
});
