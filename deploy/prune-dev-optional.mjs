// Removes from a production install (`npm ci --omit=dev`) the packages npm keeps only because a
// production dependency names them as optional peers: @prisma/client lists `prisma` and `typescript`
// as optional peer dependencies, so `--omit=dev` keeps the Prisma CLI, TypeScript and their trees
// (about 220 MB) although both are devDependencies here and the server never loads them. The lockfile
// marks exactly these packages `devOptional` (reachable from devDependencies, and from production only
// through optional edges), so that flag decides; platform binaries of production packages are plain
// `optional` and stay.
//
// Usage: node deploy/prune-dev-optional.mjs [dir]   (dir holds package-lock.json and node_modules)
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import process from "node:process";

const dir = path.resolve(process.argv[2] ?? ".");
const lock = JSON.parse(readFileSync(path.join(dir, "package-lock.json"), "utf8"));
let removed = 0;
for (const [location, meta] of Object.entries(lock.packages ?? {})) {
  if (!location || !meta.devOptional) continue;
  const target = path.join(dir, location);
  if (!existsSync(target)) continue;
  rmSync(target, { recursive: true, force: true });
  removed++;
}
// Links in node_modules/.bin that now point nowhere (prisma, tsc, …).
const bin = path.join(dir, "node_modules", ".bin");
if (existsSync(bin)) {
  for (const name of readdirSync(bin)) {
    const link = path.join(bin, name);
    if (lstatSync(link).isSymbolicLink() && !existsSync(link)) rmSync(link);
  }
}
// npm's own record of the tree no longer matches it; nothing at run time reads it.
rmSync(path.join(dir, "node_modules", ".package-lock.json"), { force: true });
process.stdout.write(`prune-dev-optional: removed ${removed} packages kept only as optional peers of production dependencies\n`);
