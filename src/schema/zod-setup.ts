import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

// Imported for its effect by every module with Wisp schemas (the manifest's, the runtime config's),
// which import zod/mini themselves: a module that re-exported zod's namespace would make the
// bundler keep all of it, every locale included (~650 KB more on each start).
//
// zod/mini, not zod's classic API: the same checks and issues, but classic zod gives every schema
// dozens of bound methods as it is built, and loading it and building the manifest's schemas took
// ~50 ms of each `wisp up` with a manifest (~30 ms this way). mini loads no locale of its own: the
// English one gives the messages Wisp's errors quote or rewrite. And zod compiles a parser for each
// object schema (new Function) on its first parse; a manifest is parsed once per start, so that
// cost more than it saved.
config({ jitless: true, ...en() });
