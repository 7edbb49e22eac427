/**
 * docs/how-rl2-trains.md points at code by `file:line`: each such line declares the function,
 * class or constant the text names beside the reference.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../src/project.ts";

const DECLARATION = /^(?:export )?(?:async )?(?:function\*?|class|const|interface|type) (\w+)/;

Deno.test("how-rl2-trains.md's file:line references are the lines of the declarations it names", async () => {
  const doc = await Deno.readTextFile(join(PROJECT_ROOT, "docs/how-rl2-trains.md"));
  const references = [...doc.matchAll(/`(src\/[^`:]+\.ts):(\d+)`/g)];
  assert.ok(references.length >= 10, `${references.length} references`);
  // The code spans that are not file references.
  const spans = [...doc.matchAll(/`([^`\n]+)`/g)].filter((m) => !/\.ts(:\d+)?$/.test(m[1]!));
  for (const match of references) {
    const [reference, path, line] = match as unknown as [string, string, string];
    const lines = (await Deno.readTextFile(join(PROJECT_ROOT, path))).split("\n");
    const name = DECLARATION.exec(lines[Number(line) - 1] ?? "")?.[1];
    assert.ok(name !== undefined, `${reference} declares nothing: ${lines[Number(line) - 1]}`);
    // The code span nearest the reference names it (`Trainer`, or `new Trainer(…)`).
    const distance = (span: RegExpExecArray) =>
      span.index < match.index!
        ? match.index! - span.index - span[0].length
        : span.index - match.index! - reference.length;
    const nearest = spans.toSorted((a, b) => distance(a) - distance(b))[0]!;
    assert.match(nearest[1]!, new RegExp(`^(new )?${name}\\b`), `${reference} declares ${name}`);
  }
});
