import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ComponentLog, LOG_BYTES_PER_REQUEST } from "../../../src/observability/component-log.js";
import { RotatingFile } from "../../../src/observability/rotating-file.js";

const encode = (text: string) => new TextEncoder().encode(text);

function logWithTerminal() {
  const writes: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), "wisp-log-"));
  const log = new ComponentLog("chatty", dir, (text) => writes.push(text));
  return { log, writes, dir };
}

describe("ComponentLog", () => {
  it("batches a flood of short lines into few terminal writes, every line kept in order", () => {
    const { log, writes } = logWithTerminal();
    const { stderr } = log.streams();
    for (let i = 0; i < 20_000; i++) stderr.write(encode(`line ${i}\n`));
    stderr.close();
    log.close();
    // One write per line was one message to the server's thread each (from a worker).
    expect(writes.length).toBeLessThan(200);
    const lines = writes.join("").split("\n").filter(Boolean);
    expect(lines).toHaveLength(20_000);
    expect(lines[0]).toBe("[chatty] line 0");
    expect(lines[19_999]).toBe("[chatty] line 19999");
  });

  it("writes a lone first line at once", () => {
    const { log, writes } = logWithTerminal();
    const { stdout } = log.streams();
    stdout.write(encode("hello\n"));
    expect(writes).toEqual(["[chatty] hello\n"]);
    stdout.close();
    log.close();
  });

  it("keeps 1 MiB of one request's output, then one marker line, and copies out no more than it keeps", () => {
    const { log, writes, dir } = logWithTerminal();
    const { stderr } = log.streams();
    const chunk = new Uint8Array(256 << 10).fill(0x78);
    for (let i = 0; i < 20; i++) stderr.write(chunk);
    expect(stderr.keeps()).toBe(0);
    stderr.close();
    log.close();
    const file = readFileSync(join(dir, "chatty_stderr.txt"), "latin1");
    expect(file.length).toBeLessThan(LOG_BYTES_PER_REQUEST + 200);
    expect(file).toContain("wrote more than 1048576 bytes to stderr in one request");
    expect(writes.join("").match(/wrote more than/g)).toHaveLength(1);
  });
});

describe("RotatingFile", () => {
  it("rotates past its cap into NAME.1, whoever writes", () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-rotate-"));
    const path = join(dir, "x_stdout.txt");
    const a = new RotatingFile(path, 256 << 10);
    const b = new RotatingFile(path, 256 << 10);
    const block = new Uint8Array(32 << 10).fill(0x61);
    for (let i = 0; i < 64; i++) (i % 2 ? a : b).write(block);
    a.close();
    b.close();
    expect(existsSync(`${path}.1`)).toBe(true);
    // The cap plus what each writer may add between two looks at the size.
    expect(statSync(path).size).toBeLessThanOrEqual((256 << 10) + 2 * (64 << 10) + (32 << 10));
    expect(statSync(`${path}.1`).size).toBeLessThanOrEqual((256 << 10) + 2 * (64 << 10) + (32 << 10));
  });
});
