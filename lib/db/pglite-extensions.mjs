// The PostgreSQL extensions every PGlite of the app loads: search's text configuration folds accents
// with unaccent and finds typos with pg_trgm and fuzzystrmatch (prisma/migrations/*_search). PostgreSQL servers get them
// from their contrib package. Plain JavaScript: the PGlite worker thread imports it without a TS loader.
import { fuzzystrmatch } from "@electric-sql/pglite/contrib/fuzzystrmatch";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";

export const PGLITE_EXTENSIONS = { fuzzystrmatch, pg_trgm, unaccent };
