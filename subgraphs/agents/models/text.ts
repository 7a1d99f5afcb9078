/**
 * Listing text as the models read it: Romanian folded to plain ASCII (ă â î ș ț, cedilla forms too),
 * lower case, cut into words of letters and digits, function words dropped. The classifier and the
 * pricer share it, so "Mașină" in a title and "masina" in a query are one word to both.
 */

/** Function words that say nothing about what is sold (folded). */
const STOP_WORDS = new Set(
  (
    "si sau de la in din cu pe pentru prin un o unui unei ale al a ai ca care ce cum este sunt e fi " +
    "nu se sa mai foarte mult doar tot toate si-a am are au iar dar la-n ori deci dupa pana fara " +
    "the and of for with to in on"
  ).split(" "),
);

/** At most this many words of a text count: the first words of a description say what it is about. */
const MAX_WORDS = 400;

/** Lower case, no diacritics: "Mașină Ştefăneşti" → "masina stefanesti". */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
}

/** The words of a text that carry meaning, in order: folded, 2–30 characters, no stop words. */
export function words(text: string, limit = MAX_WORDS): string[] {
  const out: string[] = [];
  for (const match of fold(text).matchAll(/[a-z0-9]+/g)) {
    const word = match[0];
    if (word.length < 2 || word.length > 30 || STOP_WORDS.has(word)) continue;
    // Long numbers (prices, kilometres, phone-like runs) are noise to a word model; years stay.
    if (/^\d{5,}$/.test(word)) continue;
    out.push(word);
    if (out.length >= limit) break;
  }
  return out;
}

/** Words that name the thing: no bare numbers (a title's "2015" or "148" says little on its own). */
export function contentWords(text: string, limit = MAX_WORDS): string[] {
  return words(text, limit).filter((w) => !/^\d+$/.test(w));
}
