import { APP_MANIFEST_EXTENSIONS } from "../../../src/app/load-app-manifest.js";
import { describe, expect, it } from "vitest";
import { WispError } from "../../../src/errors/wisp-error.js";
import { parseManifest } from "../../../src/manifest/index.js";

const manifest = (tool: string) => `spin_manifest_version = 2
[application]
name = "limits"
[[trigger.http]]
route = "/..."
component = "web"
[component.web]
source = "web.wasm"
[component.web.tool.wisp]
${tool}
`;

function limitsOf(tool: string) {
  return parseManifest(manifest(tool), "/app/spin.toml", APP_MANIFEST_EXTENSIONS).components.get("web")!.limits;
}

function refusal(tool: string): string {
  let error: unknown;
  try {
    parseManifest(manifest(tool), "/app/spin.toml", APP_MANIFEST_EXTENSIONS);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(WispError);
  expect((error as WispError).code).toBe("MANIFEST_INVALID");
  return (error as WispError).format();
}

describe("every limit in [component.ID.tool.wisp] has a maximum, and a value past it is refused naming the component and key", () => {
  it.each([
    ['timeout = "36000m"', 'timeout = "36000m"', "timeout", "2147483647ms"],
    ["timeout = 2147483648", "timeout = 2147483648", "timeout", "2147483647ms"],
    ["a 400-digit timeout", `timeout = "${"9".repeat(400)}s"`, "timeout", "2147483647ms"], // a number too large for a double: Infinity
    ['max_memory = "5GiB"', 'max_memory = "5GiB"', "max_memory", "4GiB"],
    ["max_memory = 4294967297", "max_memory = 4294967297", "max_memory", "4GiB"],
    ['max_memory = "9999999GiB"', 'max_memory = "9999999GiB"', "max_memory", "4GiB"],
    [
      "a 400-digit max_request_body",
      `max_request_body = "${"9".repeat(400)}"`,
      "max_request_body",
      "9007199254740991 bytes",
    ],
    ['max_request_body = "9000PiB"', 'max_request_body = "9000PiB"', "max_request_body", "a size"],
    [
      "max_request_body = 9007199254740993.0",
      "max_request_body = 9007199254740993.0",
      "max_request_body",
      "9007199254740991 bytes",
    ],
  ])("%s", (_label, tool, key, maximum) => {
    const text = refusal(tool);
    expect(text).toContain("/app/spin.toml:10:");
    expect(text).toContain(`\`component.web.tool.wisp.${key}\``);
    expect(text).toContain(maximum);
    expect(text).toContain("hint: ");
  });

  it.each([
    ['timeout = "0.5ms"', "timeout", "1ms"],
    ['max_memory = "1KiB"', "max_memory", "64KiB"],
  ])("%s is under the minimum", (tool, key, minimum) => {
    const text = refusal(tool);
    expect(text).toContain(`\`component.web.tool.wisp.${key}\``);
    expect(text).toContain(`less than the minimum, ${minimum}`);
  });

  it("accepts each maximum and each minimum exactly", () => {
    expect(limitsOf('timeout = 2147483647\nmax_memory = "4GiB"\nmax_request_body = 9007199254740991')).toEqual({
      timeoutMs: 2 ** 31 - 1,
      maxMemoryBytes: 4 * 1024 ** 3,
      maxRequestBodyBytes: Number.MAX_SAFE_INTEGER,
    });
    expect(limitsOf('timeout = "1ms"\nmax_memory = "64KiB"\nmax_request_body = 1')).toEqual({
      timeoutMs: 1,
      maxMemoryBytes: 65_536,
      maxRequestBodyBytes: 1,
    });
    expect(limitsOf('timeout = "35791m"').timeoutMs).toBe(35_791 * 60_000);
  });
});
