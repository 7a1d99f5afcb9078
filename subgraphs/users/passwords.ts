/**
 * Which passwords are refused, NIST SP 800-63B style: no composition rules (they make passwords harder
 * to remember, not to guess), but no password an attacker tries first — a commonly used one, or one
 * made from what they already know about the account (its e-mail, its display name).
 * Length (8–128) is checked by the input schema before this.
 */
import { createRequire } from "node:module";
import type { Problem } from "../../lib/errors.ts";

const require = createRequire(import.meta.url);
let common: Set<string> | undefined;

/**
 * The 49k most common passwords of leaked sets (lowercase), loaded at the first password checked, not
 * at import: decompressing the list costs the server ~4 MB of heap that stays and ~15 MB of RSS while
 * it starts, and most processes (a restart, a worker) check no password for a long while or never.
 * Loaded synchronously (the package's CommonJS build), once per process; about 0.1 s.
 */
function commonPasswords(): Set<string> {
  common ??= new Set((require("@zxcvbn-ts/language-common") as typeof import("@zxcvbn-ts/language-common")).dictionary["passwords-common"]);
  return common;
}

/**
 * Below this length an identifier is only refused as the whole password, not inside it: a 3-letter
 * name ("Ion") inside a long passphrase makes it no easier to guess.
 */
const MIN_CONTAINED = 4;

export interface PasswordContext {
  email?: string;
  displayName?: string;
}

/** Lowercase, without diacritics and separators, so "Ion.Popescu-2026" still reads as "ionpopescu2026". */
const normalise = (value: string) =>
  value
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, "");

function derivedFrom(password: string, identifier: string | undefined): boolean {
  if (!identifier) return false;
  const id = normalise(identifier);
  if (!id) return false;
  return password === id || (id.length >= MIN_CONTAINED && password.includes(id));
}

/** Why this password is refused (a problem for the user), or undefined when it is acceptable. */
export function passwordProblem(password: string, context: PasswordContext = {}): Problem | undefined {
  if (commonPasswords().has(password.toLowerCase())) {
    return weak(
      "Parola aceasta este printre cele mai folosite și se ghicește ușor; alege alta (de exemplu, câteva cuvinte fără legătură între ele).",
      "This password is among the most commonly used and easy to guess; choose another (a few unrelated words, for example).",
    );
  }
  const plain = normalise(password);
  const email = context.email?.trim();
  if (email && (derivedFrom(plain, email) || derivedFrom(plain, email.split("@")[0]))) {
    return weak("Parola nu poate conține adresa de e-mail sau partea ei dinainte de „@”.", 'The password cannot contain the e-mail address or its part before "@".');
  }
  if (derivedFrom(plain, context.displayName)) return weak("Parola nu poate conține numele afișat.", "The password cannot contain the display name.");
  return undefined;
}

const weak = (ro: string, en: string): Problem => ({ reason: "WEAK_PASSWORD", message: { ro, en } });
