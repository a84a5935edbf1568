import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runWisp, WispProcess } from "../../support/wisp-process.js";
import { newBuild, served } from "./template-project.js";

describe("templates: static-fileserver and redirect, with no code of their own", () => {
  it("static-fileserver: content types, index.html, ETag and 304, 404, and no way out of the folder", async () => {
    const { dir } = await newBuild("static-fileserver", "site");
    mkdirSync(join(dir, "assets/docs"));
    writeFileSync(join(dir, "assets/docs/index.html"), "<p>docs</p>");
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255, 1, 254]);
    writeFileSync(join(dir, "assets/logo.png"), png);
    const wisp = await WispProcess.up([], { cwd: dir });
    try {
      const get = (path: string, headers: Record<string, string> = {}) => fetch(wisp.url + path, { headers });
      const index = await get("/");
      expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await index.text()).toContain("<h1>site</h1>");
      const css = await get("/style.css");
      expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
      const etag = css.headers.get("etag")!;
      expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
      expect((await get("/style.css", { "if-none-match": etag })).status).toBe(304);
      expect((await get("/style.css", { "if-none-match": '"other"' })).status).toBe(200);
      expect(await (await get("/docs/")).text()).toBe("<p>docs</p>");
      const logo = await get("/logo.png");
      expect(logo.headers.get("content-type")).toBe("image/png");
      expect(Buffer.from(await logo.arrayBuffer())).toEqual(png);
      // A folder without its trailing slash is redirected, so the relative links of its index.html resolve inside it.
      const moved = async (path: string) => {
        const response = await fetch(wisp.url + path, { redirect: "manual" });
        return [response.status, response.headers.get("location")];
      };
      expect(await moved("/docs")).toEqual([308, "/docs/"]);
      expect(await moved("/docs?lang=en&x=%20")).toEqual([308, "/docs/?lang=en&x=%20"]);
      expect(await moved("//docs")).toEqual([308, "/docs/"]);
      expect((await get("/docs")).url).toBe(wisp.url + "/docs/");
      expect((await get("/style.css")).status).toBe(200);
      expect((await get("/missing.txt")).status).toBe(404);
      expect((await get("/%2e%2e/%2e%2e/etc/passwd")).status).toBe(404);
      expect((await get("/..%2f..%2fetc%2fpasswd")).status).toBe(404);
    } finally {
      await wisp.stop();
    }
  });

  it("static-fileserver on a route of its own: a folder's redirect keeps the route's prefix", async () => {
    const { dir } = await newBuild("static-fileserver", "main-site");
    expect((await runWisp(["add", "static-fileserver", "files"], { cwd: dir })).code).toBe(0);
    expect((await runWisp(["build"], { cwd: dir })).code).toBe(0);
    mkdirSync(join(dir, "files/assets/docs"));
    writeFileSync(join(dir, "files/assets/docs/index.html"), "<p>docs</p>");
    const wisp = await WispProcess.up([], { cwd: dir });
    try {
      const moved = async (path: string) => {
        const response = await fetch(wisp.url + path, { redirect: "manual" });
        return [response.status, response.headers.get("location")];
      };
      expect(await moved("/files")).toEqual([308, "/files/"]);
      expect(await moved("/files/docs?v=2")).toEqual([308, "/files/docs/?v=2"]);
      expect(await (await fetch(wisp.url + "/files/docs")).text()).toBe("<p>docs</p>");
    } finally {
      await wisp.stop();
    }
  });

  it("redirect: a static response, no build", async () => {
    const { dir } = await newBuild("redirect", "go-there");
    const response = await served(dir, "/anything");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("https://spinframework.dev/");
  });
});
