import { describe, expect, it } from "vitest";
import { checkTriggerTypes } from "../../../src/app/trigger-types.js";
import { WispError } from "../../../src/errors/wisp-error.js";

describe("a manifest's trigger types are checked against the trigger registry", () => {
  it("warns of a type Wisp knows but does not run", () => {
    const warnings: string[] = [];
    checkTriggerTypes({ file: "/app/spin.toml", otherTriggers: ["redis"] }, (line) => warnings.push(line));
    expect(warnings).toEqual([
      "warning: /app/spin.toml has [[trigger.redis]], which this version of Wisp does not run; only the HTTP trigger is served",
    ]);
  });

  it("refuses a type it does not know, naming it and listing the known ones", () => {
    const check = () => checkTriggerTypes({ file: "/app/spin.toml", otherTriggers: ["htpp"] }, () => undefined);
    expect(check).toThrow(WispError);
    expect(check).toThrow(
      '[[trigger.htpp]] is a trigger of type "htpp", which Wisp does not know (the types it knows are "http", "command", "redis", "mqtt", "cron", "sqs")',
    );
    try {
      check();
    } catch (error) {
      expect((error as WispError).code).toBe("MANIFEST_INVALID");
      expect((error as WispError).hint).toBe("did you mean [[trigger.http]]?");
    }
  });
});
