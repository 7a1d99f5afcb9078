/**
 * Input rules for listing text and price, as strict as OLX's partner API. Pure functions, unit-tested.
 */
import { z } from "zod";
import { formatFixed2, formatInteger } from "../../lib/ro-format.ts";
import { foldForMatching, textSchema } from "../../lib/text.ts";

// ---- contact details -----------------------------------------------------------------------------
// Listing text must not carry a phone number or an e-mail address: buyers write through the chat.
// This lives with the listing rules, not in lib/text.ts: which numbers count (Romanian phone plans),
// the number words, and which fields refuse them are marketplace policy — chat, for one, must let a
// buyer and a seller exchange numbers. lib/text.ts gives the folded form it matches against.
//
// Phone numbers: one forward scan over code units (PhoneScan), after two native searches that rule
// most texts out. E-mail: a native search for "@" candidates whose every quantifier is bounded and
// followed by a disjoint class, then bounded windows around each candidate. Nothing can backtrack
// beyond a label's length, so a megabyte costs milliseconds whatever it holds.

const LETTER = 1;
const DIGIT = 2;
const SEPARATOR = 3;
const BREAK = 4;
/** Flags beside a digit (0–15) in PhoneScan's ring. */
const START = 16;
const PLUS = 32;

/** Characters allowed between the digits of one phone number: "0722 123 456", "(0722)-123.456". */
const PHONE_SEPARATORS = " \t\n\r\f\v.-()/+_*#~[]|\u00b7\u2010\u2011\u2012\u2013\u2014\u2015\u2022\u2027\u2028\u2029\u2212\u2219\u22c5";
/**
 * The kind of each code unit. Any other ASCII character (",;:!?" …) ends a number, so "an 2016,
 * 148000 km" is two numbers; non-ASCII counts as a letter. "|" separates here, and imitates a 1 in
 * KIND_PIPE_ONE: "0722|123|456" and "0722|23456" are both read.
 */
const KIND = new Uint8Array(0x10000).fill(BREAK, 0, 0x80).fill(LETTER, 0x80);
KIND.fill(DIGIT, 0x30, 0x3a).fill(LETTER, 0x41, 0x5b).fill(LETTER, 0x61, 0x7b);
for (const c of PHONE_SEPARATORS) KIND[c.charCodeAt(0)] = SEPARATOR;
const KIND_PIPE_ONE = KIND.slice();
KIND_PIPE_ONE[0x7c] = LETTER;

/** 1 + the digit a letter imitates when it touches digits ("O722I23456"): Latin, Greek, Cyrillic. */
const LOOKALIKE = new Uint8Array(0x10000);
for (const c of "OoΟοОо") LOOKALIKE[c.charCodeAt(0)] = 1;
for (const c of "Il|ΙІ") LOOKALIKE[c.charCodeAt(0)] = 2;

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
 * Reads the text once, a code unit at a time, for phone numbers. A "run" is a stretch where only
 * separators stand between digits; its digits come in groups as written ("0722", "123", "456").
 * Each time a group closes, the last 9, 10, 11 and 13 digits are checked if they begin at a group
 * start. No number is longer than 13 digits, so rings over the last 16 positions are all the state:
 * O(1) per character, nothing allocated while scanning.
 */
class PhoneScan {
  private count = 0;
  private groups = 0;
  private words = 0;
  private open = false;
  /** A "+" since the last group: "+40 …". */
  private plus = false;
  /** A "|" touched a digit: worth reading again with "|" as a 1. */
  pipeNearDigit = false;
  /** Per position: the digit, + START if a group begins there, + PLUS if a "+" came before it. */
  private readonly digitAt = new Uint8Array(16);
  /** At a group's first position: the group's number. */
  private readonly groupAt = new Int32Array(16);

  constructor(
    private readonly text: string,
    private readonly kinds: Uint8Array,
  ) {}

  found(): boolean {
    const { text, kinds } = this;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      const kind = kinds[c];
      if (kind === DIGIT) {
        let j = i + 1;
        while (j < n && kinds[text.charCodeAt(j)] === DIGIT) j++;
        this.digits(i, j);
        i = j - 1;
      } else if (kind === LETTER) {
        let j = i + 1;
        while (j < n && kinds[text.charCodeAt(j)] === LETTER) j++;
        // Between numbers (the common case), only a spelled digit or a look-alike before a digit counts.
        const matters = this.count > 0 || this.plus || kinds[text.charCodeAt(j)] === DIGIT || (j - i >= 3 && j - i <= 5 && WORDS_BY_FIRST.has(lower(c)));
        if (matters && this.letters(i, j)) return true;
        i = j - 1;
      } else if (kind === SEPARATOR) {
        if (this.open && this.closeGroup()) return true;
        if (c === 0x2b) this.plus = true;
        else if (c === 0x7c && (kinds[text.charCodeAt(i - 1)] === DIGIT || kinds[text.charCodeAt(i + 1)] === DIGIT)) this.pipeNearDigit = true;
      } else if (this.count > 0 || this.plus) {
        if (this.endRun()) return true;
      }
    }
    return this.endRun();
  }

  /** text[from, to) are ASCII digits: a number starts at most 13 digits before its end, so 16 are kept. */
  private digits(from: number, to: number): void {
    const skip = Math.max(0, to - from - 16);
    if (skip) {
      this.push(this.text.charCodeAt(from) - 0x30);
      this.count += skip - 1;
    }
    for (let i = from + skip; i < to; i++) this.push(this.text.charCodeAt(i) - 0x30);
  }

  /** A word: look-alike letters touching digits ("O722"), a spelled digit, or the end of the run. */
  private letters(from: number, to: number): boolean {
    const { text, kinds } = this;
    const length = to - from;
    if (length <= 2 && (kinds[text.charCodeAt(from - 1)] === DIGIT || kinds[text.charCodeAt(to)] === DIGIT)) {
      const first = LOOKALIKE[text.charCodeAt(from)]!;
      const second = length === 2 ? LOOKALIKE[text.charCodeAt(from + 1)]! : 1;
      if (first && second) {
        this.push(first - 1);
        if (length === 2) this.push(second - 1);
        return false;
      }
    }
    if (length >= 3 && length <= 5) {
      const digit = spelledDigit(text, from, to);
      if (digit >= 0) {
        if (this.closeGroup()) return true;
        this.words++;
        this.push(digit);
        return this.closeGroup();
      }
    }
    return this.endRun();
  }

  private push(digit: number): void {
    const slot = this.count++ & 15;
    if (this.open) {
      this.digitAt[slot] = digit;
      return;
    }
    this.open = true;
    this.digitAt[slot] = digit | START | (this.plus ? PLUS : 0);
    this.groupAt[slot] = ++this.groups;
    this.plus = false;
  }

  private endRun(): boolean {
    const found = this.closeGroup();
    this.count = this.groups = this.words = 0;
    this.plus = false;
    return found;
  }

  private closeGroup(): boolean {
    if (!this.open) return false;
    this.open = false;
    const count = this.count;
    if (count < 7) return false;
    // Nobody spells out digits between five more of them unless it is a number to call.
    if (this.words >= 2) return true;
    // A number begins a group with 7, 0 or 4 ("722…", "0722…", "40…", "0040…"): look closer only then.
    const at = this.digitAt;
    return (
      ((at[(count - 9) & 15]! & 31) === (START | 7) && this.endsPhone(9)) ||
      ((at[(count - 10) & 15]! & 31) === START && this.endsPhone(10)) ||
      ((at[(count - 11) & 15]! & 31) === (START | 4) && this.endsPhone(11)) ||
      ((at[(count - 13) & 15]! & 31) === START && this.endsPhone(13))
    );
  }

  /** The last `length` digits, which begin a group with the right first digit, are a phone number. */
  private endsPhone(length: number): boolean {
    const at = this.count - length;
    if (at < 0) return false;
    const d1 = this.digitAt[(at + 1) & 15]! & 15;
    const d2 = this.digitAt[(at + 2) & 15]! & 15;
    switch (length) {
      case 10: // 0722 123 456, 0264 123 456
        return true;
      case 11: // +40 722 123 456; without the "+" only before a mobile or landline prefix
        return d1 === 0 && ((this.digitAt[at & 15]! & PLUS) !== 0 || d2 === 2 || d2 === 3 || d2 === 7);
      case 13: // 0040 722 123 456
        return d1 === 0 && d2 === 4 && (this.digitAt[(at + 3) & 15]! & 15) === 0;
      default: // 722 123 456: a mobile number without its 0, in at most 4 groups (not a list of sizes)
        return d1 >= 2 && this.groups - this.groupAt[at & 15]! < 4;
    }
  }
}

/**
 * Every phone number begins with 0, 4 or 7 ("0…", "40…", "0040…", "7…") — written, as a look-alike O,
 * or spelled ("zero", "patru", "șapte"); the other rule needs spelled digits. So two native searches
 * rule out most texts before the scan: a megabyte of other digits or of letters costs a few ms.
 */
const PHONE_FIRST_DIGIT = /[047OoΟοОо]/;
const NUMBER_WORD = new RegExp([...NUMBER_WORDS.keys()].join("|"), "i");

function phoneInFolded(folded: string): boolean {
  if (!PHONE_FIRST_DIGIT.test(folded) && !NUMBER_WORD.test(folded)) return false;
  const scan = new PhoneScan(folded, KIND);
  if (scan.found()) return true;
  // "|" separated the groups above ("0722|123|456"); it may as well stand for a 1 ("0722|23456").
  return scan.pipeNearDigit && new PhoneScan(folded, KIND_PIPE_ONE).found();
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

/** The contact detail a text carries, as a message about the field; undefined when it has none. */
export function contactProblem(label: string, text: string): string | undefined {
  const folded = foldForMatching(text);
  if (emailIn(folded)) return `${label} nu poate conține adrese de e-mail.`;
  if (phoneInFolded(folded)) return `${label} nu poate conține numere de telefon.`;
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

function listingText(label: string, min: number, max: number, refuseBidi: boolean) {
  return textSchema({
    label,
    min,
    max,
    tooShort: `${label} trebuie să aibă cel puțin ${min} caractere.`,
    tooLong: `${label} poate avea cel mult ${formatInteger(max)} caractere.`,
    collapseSpaces: true,
    refuseBidi,
    check: (text) =>
      contactProblem(label, text) ??
      (capitalsRatio(text) > 0.5 ? `${label} poate avea cel mult jumătate din litere majuscule.` : undefined),
  });
}

export const title = listingText("Titlul", 16, 70, true);
export const description = listingText("Descrierea", 80, 9000, false);

export const money = z.object({
  amount: z
    .number()
    .int("Prețul se dă în subunități (bani / cenți), ca număr întreg.")
    .min(0, "Prețul nu poate fi negativ."),
  currency: z.enum(["RON", "EUR"]),
});

/** Romanian display: "12.500 lei", "8.900 €", "12,50 lei". */
export function formatMoney(amount: number, currency: "RON" | "EUR"): string {
  const text = amount % 100 === 0 ? formatInteger(amount / 100) : formatFixed2(amount / 100);
  return currency === "RON" ? `${text} lei` : `${text} €`;
}

/** One number to filter and sort mixed currencies by: RON bani at a fixed EUR rate. */
export function toRonBani(amount: number, currency: "RON" | "EUR", eurRonRate: number): bigint {
  return BigInt(currency === "RON" ? amount : Math.round(amount * eurRonRate));
}
