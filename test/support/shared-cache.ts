import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * One `.wisp/cache` for the apps a test file makes (call once per file, then on each app folder):
 * a component is translated once per file instead of once per test, as a user's second start
 * would find it. Only the cache is shared; stores and staged files stay each app's own. Safe
 * because a file's tests run one after another (the cache writes its entries whole, by rename).
 */
export function sharedComponentCache(): (appDir: string) => void {
  const shared = mkdtempSync(join(tmpdir(), "wisp-test-cache-"));
  return (appDir) => {
    mkdirSync(join(appDir, ".wisp"), { recursive: true });
    symlinkSync(shared, join(appDir, ".wisp", "cache"));
  };
}
