import { describe, expect, it } from "vitest";
import { runWisp, WispProcess } from "../../support/wisp-process.js";
import { newBuild, served } from "./template-project.js";

describe("templates: http-js, and wisp add", () => {
  it("http-js: builds and serves, streaming a POST body back", async () => {
    const { dir } = await newBuild("http-js", "hello-js");
    expect(await (await served(dir, "/x")).json()).toMatchObject({ message: "Hello from hello-js!" });
    expect(await (await served(dir, "/echo", { method: "POST", body: "ping" })).text()).toBe("ping");
  });

  it("wisp add puts a second component, from another template, on its own route", async () => {
    const { dir } = await newBuild("http-c", "site");
    const added = await runWisp(["add", "http-js", "api"], { cwd: dir });
    expect(added.code, added.stderr).toBe(0);
    expect((await runWisp(["build"], { cwd: dir })).code).toBe(0);
    const wisp = await WispProcess.up([], { cwd: dir });
    try {
      expect(await (await fetch(`${wisp.url}/api/users`)).json()).toMatchObject({ message: "Hello from api!", route: "/api/..." });
      expect(await (await fetch(`${wisp.url}/other`)).text()).toContain("Hello from site!");
    } finally {
      await wisp.stop();
    }
  });
});
