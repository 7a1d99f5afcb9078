/**
 * What a user typed, as parts the SQL builds its text queries from: words, "phrases" and -excluded
 * ones. Anything else a user may type (tsquery operators `& | ! :*`, brackets, an unbalanced quote)
 * is only a separator here: the parts reach PostgreSQL as bound values of plainto_tsquery and
 * phraseto_tsquery, which take plain text, so no input has query syntax of its own.
 */
import { badInput } from "../../lib/errors.ts";

export interface TextQuery {
  /** Words every match has (or a near-spelling of). */
  words: string[];
  /** Quoted phrases (or single words) every match has as written: no near-spellings. */
  phrases: string[];
  /** Words and phrases no match has. */
  excluded: string[];
}

export const MAX_QUERY_LENGTH = 200;
/** More parts than any real search; each one is a tsquery and a vocabulary lookup. */
const MAX_PARTS = 10;

/** A letter or digit run: the words of a part. */
const WORD = /[\p{L}\p{N}]+/gu;
/** A part: an optionally negated quoted phrase (the closing quote optional) or a run without spaces. */
const PART = /(-?)"([^"]*)"?|(-?)(\S+)/g;

/** The parts of a query, or null when it names no word (empty, spaces, punctuation only). */
export function parseQuery(raw: string | null | undefined): TextQuery | null {
  if (raw == null) return null;
  const text = raw.normalize("NFC");
  if (text.length > MAX_QUERY_LENGTH) {
    throw badInput(
      { ro: `Căutarea poate avea cel mult ${MAX_QUERY_LENGTH} de caractere.`, en: `A search may have at most ${MAX_QUERY_LENGTH} characters.` },
      "query",
      "TOO_LONG",
    );
  }
  const query: TextQuery = { words: [], phrases: [], excluded: [] };
  for (const [, phraseMinus, phrase, wordMinus, word] of text.matchAll(PART)) {
    const quoted = phrase !== undefined;
    const words = (quoted ? phrase : word!).match(WORD) ?? [];
    if (words.length === 0) continue;
    const part = words.join(" ");
    if ((quoted ? phraseMinus : wordMinus) === "-") query.excluded.push(part);
    else if (quoted) query.phrases.push(part);
    else query.words.push(...words);
  }
  if (query.words.length + query.phrases.length + query.excluded.length > MAX_PARTS) {
    throw badInput({ ro: `Căutarea poate avea cel mult ${MAX_PARTS} cuvinte.`, en: `A search may have at most ${MAX_PARTS} words.` }, "query", "TOO_LONG");
  }
  return query.words.length + query.phrases.length + query.excluded.length > 0 ? query : null;
}

/**
 * The vocabulary's form of a word: lower case, no accents (the SQL's search_fold, for the prefix of a
 * completion, which must stay within [a-z0-9] to be a key range).
 */
export function foldWord(word: string): string {
  return word
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}
