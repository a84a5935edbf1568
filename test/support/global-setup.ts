import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { killRecordedGroups } from "./child-processes.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where test workers record the process groups they start (test/support/child-processes.ts). */
    childProcessFolder: string;
  }
}

/** Runs once in vitest's own process: after the run, kills any group a worker left behind (a worker that crashed). */
export default function setup(project: TestProject): () => void {
  const folder = mkdtempSync(join(tmpdir(), "wisp-test-children-"));
  project.provide("childProcessFolder", folder);
  return () => {
    const left = killRecordedGroups(folder);
    if (left.length > 0)
      console.warn(`killed ${left.length} process group(s) a test worker left running: ${left.join(", ")}`);
  };
}
