// Lint: typescript-eslint's type-checked recommendations over the TypeScript we ship and test.
// typescript-eslint needs TypeScript's classic API, which TypeScript 7 dropped: `typescript` is
// therefore TypeScript 6 (@typescript/typescript6) for the linter, and `tsc` comes from
// @typescript/native (TypeScript 7), as TypeScript 7's release notes advise for running both.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "src/generated/",
      "bundle/",
      "node_modules/",
      "test/fixtures/",
      "templates/",
      "examples/",
      "sdk/",
      "bench/",
      "scripts/",
      "**/*.js",
      "**/*.mjs",
      "**/*.cjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A parameter a signature requires but this implementation does not use is named `_x`.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  {
    // Host calls answer a WIT `result` error by throwing the error value (an async one, by
    // rejecting with it): jco's glue turns it into the result's `err` (wasi:io stream errors too),
    // so these values are not Errors.
    files: [
      "src/capabilities/**/*.ts",
      "src/engine/wasi-p2/**/*.ts",
      "src/engine/wasi-p3/**/*.ts",
      "src/triggers/http/executors/wasi-http/spin1/unversioned-spin.ts",
    ],
    rules: {
      "@typescript-eslint/only-throw-error": "off",
      "@typescript-eslint/prefer-promise-reject-errors": "off",
    },
  },
  {
    // Tests read guests' JSON answers as `any` on purpose: a wrong shape fails the assertion anyway.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
);
