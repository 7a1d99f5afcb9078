// Prisma 7 configuration. The CLI is used for `generate` only (see prisma/migrate.ts for migrations,
// which run on the WASM schema engine because the native one cannot be downloaded here).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/",
  migrations: { path: "prisma/migrations" },
});
