/**
 * Input rules for listing text and price, as strict as OLX's partner API. Pure functions, unit-tested.
 */
import { z } from "zod";
import { addProblem, type Problem } from "../../lib/errors.ts";
import { localizedInteger, type Localized } from "../../lib/i18n.ts";
import { formatFixed2, formatInteger } from "../../lib/ro-format.ts";
import { foldForMatching, textSchema } from "../../lib/text.ts";

const utf16 = new TextDecoder("utf-16le");

// ---- contact details -----------------------------------------------------------------------------
// Listing text must not carry a phone number or an e-mail address: buyers write through the chat.
// This lives with the listing rules, not in lib/text.ts: which numbers count (Romanian phone plans),
// the number words, and which fields refuse them are marketplace policy — chat, for one, must let a
// buyer and a seller exchange numbers. lib/text.ts gives the folded form it matches against.
//
// Phone numbers: one native search with bounded windows (PHONE_NUMBER), after one linear pass that
// reads spelled and look-alike digits as digits when the text has any. E-mail: a native search for
// "@" candidates whose every quantifier is bounded and followed by a disjoint class, then bounded
// windows around each candidate. Nothing backtracks beyond one window, so a megabyte costs
// milliseconds whatever it holds.

const LETTER = 1;
const DIGIT = 2;
const SEPARATOR = 3;
const BREAK = 4;

/** Characters allowed between the digits of one phone number: "0722 123 456", "(0722)-123.456". */
const PHONE_SEPARATORS = " \t\n\r\f\v.-()/+_*#~[]|\u00b7\u2010\u2011\u2012\u2013\u2014\u2015\u2022\u2027\u2028\u2029\u2212\u2219\u22c5";
/**
 * The kind of each code unit. Any other ASCII character (",;:!?" …) ends a number, so "an 2016,
 * 148000 km" is two numbers; non-ASCII counts as a letter. "|" separates, or stands for a 1 (readDigits).
 */
const KIND = new Uint8Array(0x10000).fill(BREAK, 0, 0x80).fill(LETTER, 0x80);
KIND.fill(DIGIT, 0x30, 0x3a).fill(LETTER, 0x41, 0x5b).fill(LETTER, 0x61, 0x7b);
for (const c of PHONE_SEPARATORS) KIND[c.charCodeAt(0)] = SEPARATOR;

/** 1 + the digit a letter imitates when it touches digits ("O722I23456"): Latin, Greek, Cyrillic. */
const LOOKALIKE = new Uint8Array(0x10000);
for (const c of "OoΟοОо") LOOKALIKE[c.charCodeAt(0)] = 1;
for (const c of "IlΙІ") LOOKALIKE[c.charCodeAt(0)] = 2;

/** Digits spelled out: Romanian with and without diacritics (ş/ţ with cedilla too), and English. */
const NUMBER_WORDS = new Map<string, number>(
  [
    "zero",
    "unu una one",
    "doi două doua two",
    "trei three",
    "patru four",
    "cinci five",
    "șase şase sase six",
    "șapte şapte sapte seven",
    "opt eight",
    "nouă noua nine",
  ].flatMap((words, digit) => words.split(" ").map((word) => [word, digit] as const)),
);
/**
 * The number words by their first letter, lower-cased (a code unit → its lower case, for the letters
 * of these words only): a word is compared in place, without a slice or a lower-cased copy.
 */
const LOWER = new Uint16Array(0x10000).map((_, c) => c);
for (const word of NUMBER_WORDS.keys()) {
  for (const ch of word) LOWER[ch.toUpperCase().charCodeAt(0)] = ch.charCodeAt(0);
}
const WORDS_BY_FIRST = new Map<number, (readonly [string, number])[]>();
for (const entry of NUMBER_WORDS) {
  const first = entry[0].charCodeAt(0);
  WORDS_BY_FIRST.set(first, [...(WORDS_BY_FIRST.get(first) ?? []), entry]);
}
const lower = (c: number) => LOWER[c] ?? c;

/** The digit text[from, to) spells, in any case: -1 if it spells none. */
function spelledDigit(text: string, from: number, to: number): number {
  next: for (const [word, digit] of WORDS_BY_FIRST.get(lower(text.charCodeAt(from))) ?? []) {
    if (word.length !== to - from) continue;
    for (let k = 1; k < word.length; k++) if (lower(text.charCodeAt(from + k)) !== word.charCodeAt(k)) continue next;
    return digit;
  }
  return -1;
}

/**
 * Romanian phone numbers in text whose digits are written as digits, each read from the first digit
 * of a group (no digit before it) to the last digit of a group (no digit after it), with only
 * separators between: "0722 123 456", "(0264) 123-456", "+40 722 123 456", "0040…", "40 722…", and a
 * mobile number without its 0, "722 123 456" (at most 4 groups: not a list of sizes, checked on the
 * match). Each alternative starts with a literal digit (a native first-character scan), reads at most
 * 13 digits, and its separators and digits are disjoint classes: a failed attempt gives back at most
 * its own window, so the search is linear.
 */
const SEP = `[${[...PHONE_SEPARATORS].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}]`;
const D = "[0-9]";
/**
 * `count` more digits, then no digit. Read inside a lookahead and consumed by backreference: a
 * lookahead is atomic, so when "no digit" fails the engine does not retry the separators one by one.
 * `group` is the number of this capture in the whole pattern.
 */
const digits = (count: number, group: number) => `(?=((?:${SEP}*${D}){${count}}))\\${group}(?!${D})`;
const PHONE_NUMBER = new RegExp(
  [
    `0(?<!${D}0)${digits(9, 1)}`,
    `0(?<!${D}0)${SEP}*0${SEP}*4${SEP}*0${digits(9, 2)}`,
    `\\+${SEP}*4${SEP}*0${digits(9, 3)}`,
    `4(?<!${D}4)${SEP}*0${SEP}*[237]${digits(8, 4)}`,
    `7(?<!${D}7)${SEP}*[2-9]${digits(7, 5)}`,
  ].join("|"),
  "g",
);

function phoneNumberIn(text: string): boolean {
  PHONE_NUMBER.lastIndex = 0;
  for (let match = PHONE_NUMBER.exec(text); match; match = PHONE_NUMBER.exec(text)) {
    if (match[0][0] !== "7" || digitGroups(match[0]) <= 4) return true;
    PHONE_NUMBER.lastIndex = match.index + 1;
  }
  return false;
}

function digitGroups(text: string): number {
  let groups = 0;
  for (let i = 0; i < text.length; i++) if (KIND[text.charCodeAt(i)] === DIGIT && KIND[text.charCodeAt(i - 1)] !== DIGIT) groups++;
  return groups;
}

/** What readDigits found: the digits as digits, or a number spelled out. */
const SPELLED_NUMBER = Symbol("spelled number");

/**
 * The text with the digits written otherwise as digits — spelled ("doi" → " 2 ", a group of its own),
 * look-alike letters touching digits ("O722I23456" → "0722123456"), and with `pipeIsOne`, a "|"
 * touching a digit ("0722|23456") — for PHONE_NUMBER to read. One pass, linear. A stretch with two
 * spelled digits among seven is a number to call whatever its digits: SPELLED_NUMBER.
 */
function readDigits(text: string, pipeIsOne: boolean): string | typeof SPELLED_NUMBER {
  const out = new Uint16Array(text.length);
  let n = 0;
  let runDigits = 0;
  let runWords = 0;
  const touchesDigit = (from: number, to: number) => KIND[text.charCodeAt(from - 1)] === DIGIT || KIND[text.charCodeAt(to)] === DIGIT;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const kind = KIND[c];
    if (kind === DIGIT || (c === 0x7c && pipeIsOne && touchesDigit(i, i + 1))) {
      out[n++] = kind === DIGIT ? c : 0x31;
      runDigits++;
    } else if (kind === SEPARATOR) {
      out[n++] = c;
    } else if (kind === BREAK) {
      out[n++] = c;
      runDigits = runWords = 0;
    } else {
      let j = i + 1;
      while (j < text.length && KIND[text.charCodeAt(j)] === LETTER) j++;
      const spelled = j - i >= 3 && j - i <= 5 ? spelledDigit(text, i, j) : -1;
      if (j - i <= 2 && touchesDigit(i, j) && LOOKALIKE[c] && (j - i === 1 || LOOKALIKE[text.charCodeAt(i + 1)])) {
        for (let k = i; k < j; k++) out[n++] = 0x2f + LOOKALIKE[text.charCodeAt(k)]!;
        runDigits += j - i;
      } else if (spelled >= 0) {
        out[n++] = 0x20;
        out[n++] = 0x30 + spelled;
        out[n++] = 0x20;
        runDigits++;
        runWords++;
      } else {
        out[n++] = 0x2c; // a word ends the stretch, as a comma does
        runDigits = runWords = 0;
      }
      i = j - 1;
    }
    // Nobody spells out digits among five more of them unless it is a number to call.
    if (runWords >= 2 && runDigits >= 7) return SPELLED_NUMBER;
  }
  return utf16.decode(out.subarray(0, n));
}

/**
 * Every phone number holds a digit, written or spelled; texts without words for digits or letters
 * touching digits go straight to the native search, others are read once first.
 */
const ANY_DIGIT = /[0-9]/;
const NUMBER_WORD = new RegExp([...NUMBER_WORDS.keys()].join("|"), "i");
const LETTER_TOUCHING_DIGIT = /[0-9][OoΟοОоIlΙІ|]|[OoΟοОоIlΙІ|][0-9]/;
const PIPE_TOUCHING_DIGIT = /[0-9]\||\|[0-9]/;

function phoneInFolded(folded: string): boolean {
  const spelled = NUMBER_WORD.test(folded);
  if (!spelled && !ANY_DIGIT.test(folded)) return false;
  if (!spelled && !LETTER_TOUCHING_DIGIT.test(folded)) return phoneNumberIn(folded);
  const read = readDigits(folded, false);
  if (read === SPELLED_NUMBER || phoneNumberIn(read)) return true;
  // "|" separated the groups above ("0722|123|456"); it may as well stand for a 1 ("0722|23456").
  if (!PIPE_TOUCHING_DIGIT.test(folded)) return false;
  const withPipes = readDigits(folded, true);
  return withPipes === SPELLED_NUMBER || phoneNumberIn(withPipes);
}

// E-mail: every "@" — written, or spelled "[at]", "(at)", " at ", "arond" — found natively, with a
// local part before it and a domain after it, both read within bounded windows.

const AT_WORDS = ["at", "arond", "a rond"];
const DOT_WORDS = ["dot", "punct"];
/** Top-level domains accepted after a space or a spelled dot ("gmail com", "yahoo punct ro"). */
const SPELLED_TLDS = new Set(["com", "ro", "net", "org", "eu", "info", "biz", "md"]);

const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const isOpening = (c: number) => c === 0x5b || c === 0x28 || c === 0x7b || c === 0x3c;
const isClosing = (c: number) => c === 0x5d || c === 0x29 || c === 0x7d || c === 0x3e;
/** Lower-case text: letters of any script, digits, "-"; and "." "_" "%" "+" before the "@". */
const isLabelChar = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || (c >= 0x80 && c !== 0xa0 && c !== 0x3000);
const isLocalChar = (c: number) => isLabelChar(c) || c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2b;

function skipSpaces(text: string, i: number): number {
  for (let k = 0; k < 3 && isSpace(text.charCodeAt(i)); k++) i++;
  return i;
}

function skipSpacesBack(text: string, i: number): number {
  for (let k = 0; k < 3 && isSpace(text.charCodeAt(i - 1)); k++) i--;
  return i;
}

function wordEnd(text: string, i: number, words: readonly string[]): number {
  for (const word of words) if (text.startsWith(word, i)) return i + word.length;
  return -1;
}

function labelEnd(text: string, i: number): number {
  let end = i;
  while (end - i < 63 && isLabelChar(text.charCodeAt(end))) end++;
  return end;
}

/** "[at]", "(dot)", "{ punct }" at i: the index after it, or -1. */
function bracketedEnd(text: string, i: number, words: readonly string[]): number {
  if (!isOpening(text.charCodeAt(i))) return -1;
  const end = wordEnd(text, skipSpaces(text, i + 1), words);
  if (end < 0) return -1;
  const close = skipSpaces(text, end);
  return isClosing(text.charCodeAt(close)) ? close + 1 : -1;
}

/**
 * A domain at i: labels joined by "." or a bracketed "(dot)", ending in a top-level domain of letters;
 * or ending in a common TLD after " . ", " dot ", " punct " — or after a bare space, unless the "@"
 * was a bare " at " (English text). At most 8 labels of 63 characters: a bounded window.
 */
function domainAt(text: string, i: number, spaceAsDot: boolean): boolean {
  for (let labels = 1; labels <= 8; labels++) {
    const end = labelEnd(text, i);
    if (end === i) return false;
    if (text.charCodeAt(end) === 0x2e && isLabelChar(text.charCodeAt(end + 1))) {
      i = end + 1;
      continue;
    }
    const bracket = bracketedEnd(text, skipSpaces(text, end), DOT_WORDS);
    if (bracket > 0) {
      i = skipSpaces(text, bracket);
      continue;
    }
    if (labels > 1 && isTld(text, i, end)) return true;
    return spelledTld(text, end, spaceAsDot);
  }
  return false;
}

function isTld(text: string, from: number, to: number): boolean {
  if (to - from < 2) return false;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (!((c >= 0x61 && c <= 0x7a) || c >= 0x80)) return false;
  }
  return true;
}

function spelledTld(text: string, i: number, spaceAsDot: boolean): boolean {
  let j = skipSpaces(text, i);
  if (text.charCodeAt(j) === 0x2e) j = skipSpaces(text, j + 1);
  else if (j === i) return false;
  else {
    const word = wordEnd(text, j, DOT_WORDS);
    if (word > 0 && isSpace(text.charCodeAt(word))) j = skipSpaces(text, word);
    else if (!spaceAsDot) return false;
  }
  const end = labelEnd(text, j);
  return end > j && !isLabelChar(text.charCodeAt(end)) && SPELLED_TLDS.has(text.slice(j, end));
}

/**
 * An "@" — written, or spelled in brackets or between spaces — then a first domain label and what can
 * continue a domain: a dot, a bracketed "(dot)", or after spaces a dot, "dot", "punct" or a common TLD.
 * Found natively; each quantifier is bounded and its class disjoint from what follows, so a failed
 * attempt costs at most a label's length. Only these candidates are read in full (emailAround).
 */
const SP = "[ \\t\\n\\r\\f\\v]"; // isSpace
const LABEL = "[a-z0-9\\-\\u0080-\\uffff]"; // isLabelChar, near enough for a first pass
const SPELLED_DOT = `[[({<]${SP}{0,3}(?:dot|punct)`;
const EMAIL_CANDIDATE = new RegExp(
  `(?:@|[[({<]${SP}{0,3}(?:at|arond|a rond)${SP}{0,3}[\\])}>]|${SP}(?:at|arond|a rond)(?=${SP}))${SP}{0,3}${LABEL}{1,63}` +
    `(?:\\.|${SPELLED_DOT}|${SP}{1,3}(?:\\.|dot${SP}|punct${SP}|${SPELLED_DOT}|(?:${[...SPELLED_TLDS].join("|")})(?!${LABEL})))`,
  "g",
);

const MAYBE_EMAIL = new RegExp(EMAIL_CANDIDATE.source, "i");

function emailIn(folded: string): boolean {
  // Lower-casing a megabyte costs more than one native search that usually finds nothing.
  if (!MAYBE_EMAIL.test(folded)) return false;
  const text = folded.toLowerCase();
  EMAIL_CANDIDATE.lastIndex = 0;
  for (let match = EMAIL_CANDIDATE.exec(text); match; match = EMAIL_CANDIDATE.exec(text)) {
    const start = match.index;
    if (emailAround(text, start, atEnd(text, start), !isSpace(text.charCodeAt(start)))) return true;
    EMAIL_CANDIDATE.lastIndex = start + 1;
  }
  return false;
}

/**
 * The end of the "@", written or spelled, that starts at i. After a bare " at " (English prose),
 * "gmail com" is not an address: emailIn asks that domain for a dot.
 */
function atEnd(text: string, i: number): number {
  if (text.charCodeAt(i) === 0x40) return i + 1;
  if (!isSpace(text.charCodeAt(i))) return bracketedEnd(text, i, AT_WORDS);
  return wordEnd(text, i + 1, AT_WORDS);
}

/** A local part right before the marker [start, end), a domain right after it. */
function emailAround(text: string, start: number, end: number, spaceAsDot: boolean): boolean {
  const domain = skipSpaces(text, end);
  if (!isLabelChar(text.charCodeAt(domain)) || !isLocalChar(text.charCodeAt(skipSpacesBack(text, start) - 1))) return false;
  // A domain goes on after its first label with a dot, a space or a bracket; most "@"s stop here.
  const next = text.charCodeAt(labelEnd(text, domain));
  return (next === 0x2e || isSpace(next) || isOpening(next)) && domainAt(text, domain, spaceAsDot);
}

export function containsEmail(text: string): boolean {
  return emailIn(foldForMatching(text));
}

export function containsPhone(text: string): boolean {
  return phoneInFolded(foldForMatching(text));
}

/** The contact detail a text carries, as a problem of the field; undefined when it has none. */
export function contactProblem(label: Localized, text: string): Problem | undefined {
  const folded = foldForMatching(text);
  if (emailIn(folded)) {
    return { reason: "CONTAINS_CONTACT", message: { ro: `${label.ro} nu poate conține adrese de e-mail.`, en: `${label.en} cannot contain e-mail addresses.` } };
  }
  if (phoneInFolded(folded)) {
    return { reason: "CONTAINS_CONTACT", message: { ro: `${label.ro} nu poate conține numere de telefon.`, en: `${label.en} cannot contain phone numbers.` } };
  }
  return undefined;
}

/**
 * Share of letters that are capitals; texts with no letters count as 0. Compares the text with its
 * lower- and upper-case forms code unit by code unit: no per-character strings or regexes.
 */
export function capitalsRatio(text: string): number {
  const lower = text.toLowerCase();
  const upper = text.toUpperCase();
  if (lower.length !== text.length || upper.length !== text.length) return capitalsRatioByChar(text);
  let letters = 0;
  let capitals = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== lower.charCodeAt(i)) capitals++;
    if (c !== lower.charCodeAt(i) || c !== upper.charCodeAt(i) || (c >= 0x80 && CASELESS_LETTER.test(text[i]!))) letters++;
  }
  return letters === 0 ? 0 : capitals / letters;
}

const CASELESS_LETTER = /\p{Lo}/u;

/** For the rare text whose case mapping changes its length ("ß" → "SS"). */
function capitalsRatioByChar(text: string): number {
  let letters = 0;
  let capitals = 0;
  for (const ch of text) {
    if (/\p{L}/u.test(ch)) letters++;
    if (/\p{Lu}/u.test(ch)) capitals++;
  }
  return letters === 0 ? 0 : capitals / letters;
}

// ---- fields ---------------------------------------------------------------------------------------

function listingText(label: Localized, min: number, max: number, refuseBidi: boolean) {
  const maxText = localizedInteger(max);
  return textSchema({
    label,
    min,
    max,
    tooShort: { ro: `${label.ro} trebuie să aibă cel puțin ${min} caractere.`, en: `${label.en} must have at least ${min} characters.` },
    tooLong: { ro: `${label.ro} poate avea cel mult ${maxText.ro} caractere.`, en: `${label.en} can have at most ${maxText.en} characters.` },
    collapseSpaces: true,
    refuseBidi,
    check: (text) =>
      contactProblem(label, text) ??
      (capitalsRatio(text) > 0.5
        ? {
            reason: "TOO_MANY_CAPITALS",
            message: { ro: `${label.ro} poate avea cel mult jumătate din litere majuscule.`, en: `${label.en} can have at most half of its letters in capitals.` },
          }
        : undefined),
  });
}

export const title = listingText({ ro: "Titlul", en: "The title" }, 16, 70, true);
export const description = listingText({ ro: "Descrierea", en: "The description" }, 80, 9000, false);

export const money = z.object({
  amount: z.number().superRefine((amount, ctx) => {
    if (!Number.isInteger(amount)) {
      addProblem(ctx, {
        reason: "INVALID_FORMAT",
        message: {
          ro: "Prețul se dă în subunități (bani / cenți), ca număr întreg.",
          en: "The price is given in minor units (bani / cents), as a whole number.",
        },
      });
    } else if (amount < 0) {
      addProblem(ctx, { reason: "OUT_OF_RANGE", message: { ro: "Prețul nu poate fi negativ.", en: "The price cannot be negative." } });
    }
  }),
  currency: z.enum(["RON", "EUR"]),
});

/** Romanian display: "12.500 lei", "8.900 €", "12,50 lei". */
export function formatMoney(amount: number, currency: "RON" | "EUR"): string {
  const text = amount % 100 === 0 ? formatInteger(amount / 100) : formatFixed2(amount / 100);
  return currency === "RON" ? `${text} lei` : `${text} €`;
}
