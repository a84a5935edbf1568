import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stageFiles } from "../../../src/app/stage-files.js";
import type { FileMount } from "../../../src/manifest/app-manifest.js";
import { WispError } from "../../../src/errors/wisp-error.js";

function appDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "wisp-stage-"));
  mkdirSync(join(dir, "static"));
  writeFileSync(join(dir, "static", "index.html"), "<p>hi</p>");
  writeFileSync(join(dir, "notes.txt"), "notes");
  return dir;
}

async function refusal(dir: string, files: FileMount[]): Promise<string> {
  const error = await stageFiles("web", dir, files, [], join(dir, ".wisp", "files")).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WispError);
  expect((error as WispError).code).toBe("FILES_INVALID");
  return (error as WispError).message;
}

describe("stageFiles: a files mapping it cannot grant is refused with the true reason", () => {
  it("an absolute source outside the app folder is outside it, not missing", async () => {
    const dir = appDir();
    const message = await refusal(dir, [{ kind: "map", source: "/etc", destination: "/etc" }]);
    expect(message).toBe(
      `component web: \`files\` source "/etc" is /etc, outside the app folder ${dir}: Wisp grants only files inside it`,
    );
  });

  it("a relative source that climbs out of the app folder", async () => {
    const dir = appDir();
    expect(await refusal(dir, [{ kind: "map", source: "../", destination: "/up" }])).toContain(
      "outside the app folder",
    );
  });

  it("a missing source, and one below a file", async () => {
    const dir = appDir();
    expect(await refusal(dir, [{ kind: "map", source: "assets", destination: "/assets" }])).toBe(
      `component web: \`files\` source "assets" (${join(dir, "assets")}) does not exist`,
    );
    expect(await refusal(dir, [{ kind: "map", source: "notes.txt/inner", destination: "/x" }])).toContain(
      "a part of its path is a file, not a folder",
    );
  });

  it("a named pipe", async () => {
    const dir = appDir();
    execFileSync("mkfifo", [join(dir, "pipe")]);
    expect(await refusal(dir, [{ kind: "map", source: "pipe", destination: "/pipe" }])).toContain(
      "is a named pipe (FIFO), not a file or a folder",
    );
  });

  it("still stages files and folders inside the app folder, an absolute path to one included", async () => {
    const dir = appDir();
    const staged = await stageFiles(
      "web",
      dir,
      [
        { kind: "map", source: "static", destination: "/www" },
        { kind: "map", source: join(dir, "notes.txt"), destination: "/notes.txt" },
      ],
      [],
      join(dir, ".wisp", "files"),
    );
    expect(readFileSync(join(staged!, "www", "index.html"), "utf8")).toBe("<p>hi</p>");
    expect(readFileSync(join(staged!, "notes.txt"), "utf8")).toBe("notes");
  });
});
