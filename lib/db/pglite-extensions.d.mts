import type { Extension } from "@electric-sql/pglite";

export declare const PGLITE_EXTENSIONS: Record<"fuzzystrmatch" | "pg_trgm" | "unaccent", Extension>;
