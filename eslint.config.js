// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".data/", "bench/.data/", "dist/", "prisma/generated/", "**/__generated__/", "bench/results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through lib/env.ts." }],
    },
  },
  {
    files: ["lib/env.ts", "lib/process.ts", "tests/**", "bench/**", "**/*.test.ts", "prisma/migrate.ts", "prisma/schema-engine.ts", "*.config.ts", "*.config.js", "codegen.ts"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // Stack tests read loosely-typed GraphQL JSON; typing every response would only restate the schema.
    files: ["tests/**", "**/*.test.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
