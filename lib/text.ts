/**
 * Hygiene of user text, the same for every subgraph: what may be stored at all (no NUL, no broken
 * UTF-16), how long a text is to a reader (invisible characters do not count), and one folded form to
 * match patterns against (NFKC, no invisible or bidi controls, every script's digits as ASCII).
 * Nothing here knows a listing or a user: the words a rule looks for belong to that rule.
 *
 * Every pass is a single linear scan, and checkText runs the cheap bounds before any costly check, so
 * megabytes of hostile text cost milliseconds (a regex replace costs ~0.3 µs per match; avoided here
 * wherever the number of matches is up to the sender).
 */
import { z } from "zod";
import { addProblem, type InputReason, type Problem } from "./errors.ts";
import type { Localized } from "./i18n.ts";

/**
 * Characters that render as nothing: zero-width space/joiners, soft hyphen, word joiner and invisible
 * operators, the bidi marks, embeddings, overrides and isolates, variation selectors, BOM, Hangul and
 * braille blanks (used for "invisible" names). Code units, so the scans need no regex.
 */
const INVISIBLE_RANGES: readonly (readonly [number, number])[] = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x2800, 0x2800],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff9, 0xfffb],
];
const INVISIBLE = new Uint8Array(0x10000);
for (const [from, to] of INVISIBLE_RANGES) INVISIBLE.fill(1, from, to + 1);

/** The same set as a regex class, for native tests that skip the scans when there is nothing to do. */
const INVISIBLE_CLASS = `${INVISIBLE_RANGES.map(([from, to]) => `\\u{${from.toString(16)}}-\\u{${to.toString(16)}}`).join("")}\\u{e0000}-\\u{e007f}\\u{e0100}-\\u{e01ef}`;
const HAS_INVISIBLE = new RegExp(`[${INVISIBLE_CLASS}]`, "u");

/** Astral invisibles, by surrogate pair: tags U+E0000–E007F, variation selectors U+E0100–E01EF. */
function invisiblePair(high: number, low: number): boolean {
  return high === 0xdb40 && ((low >= 0xdc00 && low <= 0xdc7f) || (low >= 0xdd00 && low <= 0xddef));
}

/** Embeddings, overrides and isolates: they can make a name or a title read differently than stored. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NON_ASCII = /[\u0080-\uFFFF]/;
const DOUBLE_SPACE = /\s\s/;

const utf16 = new TextDecoder("utf-16le");

/** White space as String.prototype.trim sees it (\s), by code unit. */
const SPACE = new Uint8Array(0x10000);
for (const c of [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]) SPACE[c] = 1;
SPACE.fill(1, 0x2000, 0x200b);

/**
 * Code unit → 1 + its value, for the decimal digits of every script in the BMP (Arabic-Indic ٣,
 * Devanagari ३, Bengali ৩ …). NFKC leaves these alone; full-width and mathematical digits it folds itself.
 * Unicode lays each script's digits out as runs of ten code points, zero first.
 */
const DIGIT_VALUE = (() => {
  const table = new Uint8Array(0x10000);
  let previous = -2;
  let run = 0;
  for (const match of bmpText().matchAll(/\p{Nd}/gu)) {
    const c = match[0].charCodeAt(0);
    run = c === previous + 1 ? run + 1 : 0;
    table[c] = 1 + (run % 10);
    previous = c;
  }
  return table;
})();

/** Every non-ASCII BMP character but the surrogates, in one string: one regex pass finds a class. */
function bmpText(): string {
  const codes = new Uint16Array(0x10000 - 0x80 - 0x800);
  for (let c = 0x80, k = 0; c < 0x10000; c++) if (c < 0xd800 || c >= 0xe000) codes[k++] = c;
  return utf16.decode(codes);
}

/**
 * Code units NFKC would change: alone (full-width ０ and ＠, ligatures, superscripts, circled digits),
 * or with what precedes them (combining marks, Hangul jamo), and every surrogate (astral characters
 * are left to NFKC whole). Built on first use: 63,000 one-character normalisations, ~15 ms.
 */
let nfkcUnstable: Uint8Array | undefined;

function nfkcUnstableTable(): Uint8Array {
  if (nfkcUnstable) return nfkcUnstable;
  const table = new Uint8Array(0x10000).fill(1, 0xd800, 0xe000).fill(1, 0x1100, 0x1200).fill(1, 0xa960, 0xa980).fill(1, 0xd7b0, 0xd800);
  for (let c = 0x80; c < 0xd800; c++) if (String.fromCharCode(c).normalize("NFKC") !== String.fromCharCode(c)) table[c] = 1;
  for (let c = 0xe000; c < 0x10000; c++) if (String.fromCharCode(c).normalize("NFKC") !== String.fromCharCode(c)) table[c] = 1;
  for (const match of bmpText().matchAll(/\p{M}/gu)) table[match[0].charCodeAt(0)] = 1;
  return (nfkcUnstable = table);
}

/**
 * One buffer for every fold, grown to the longest text seen: a new megabyte-long array per call cost
 * the kernel's page faults and zeroing each time, which made the fold's time on a large text jump
 * between 6 and 14 ms and its growth look superlinear (tests/utils/linear-time.ts). Synchronous use
 * only (the decode below copies out of it before anything else can run).
 */
let foldScratch = new Uint16Array(4096);
function foldBuffer(length: number): Uint16Array {
  if (foldScratch.length < length) foldScratch = new Uint16Array(Math.max(length, foldScratch.length * 2));
  return foldScratch;
}

/**
 * The form of a text that patterns are matched against, never the form stored: invisible and bidi
 * characters removed (they hide a "0722…" from a regex but not from a reader), other scripts' digits
 * as ASCII, then NFKC (full-width ０７２２ and ＠, ligatures, superscripts, circled digits) — only
 * when a character needs it, as normalising a megabyte costs several times this one pass.
 * Case and diacritics are kept: the rule that matches decides about them.
 */
export function foldForMatching(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  const unstable = nfkcUnstableTable();
  const out = foldBuffer(text.length);
  let n = 0;
  let changed = false;
  let needsNfkc = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const digit = DIGIT_VALUE[c]!;
    if (INVISIBLE[c] || (c === 0xdb40 && invisiblePair(c, text.charCodeAt(i + 1)))) {
      if (c === 0xdb40) i++;
      changed = true;
    } else if (digit) {
      out[n++] = 0x2f + digit;
      changed = true;
    } else {
      needsNfkc ||= unstable[c] === 1;
      out[n++] = c;
    }
  }
  const folded = changed ? utf16.decode(out.subarray(0, n)) : text;
  return needsNfkc ? folded.normalize("NFKC") : folded;
}

/**
 * What a reader sees, in UTF-16 units like String.length: invisibles do not count, a run of white
 * space counts as one, leading and trailing space not at all: twenty zero-width spaces are 0.
 */
export function visibleLength(raw: string): number {
  const text = raw.trim();
  if (!HAS_INVISIBLE.test(text) && !DOUBLE_SPACE.test(text)) return text.length;
  let count = 0;
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (INVISIBLE[c]) continue;
    if (c === 0xdb40 && invisiblePair(c, text.charCodeAt(i + 1))) {
      i++;
      continue;
    }
    if (SPACE[c]) {
      pendingSpace = count > 0;
      continue;
    }
    count += pendingSpace ? 2 : 1;
    pendingSpace = false;
  }
  return count;
}

export function hasBidiControl(text: string): boolean {
  return BIDI_CONTROL.test(text);
}

export interface TextRule {
  /** The field as the subject of a sentence: { ro: "Titlul", en: "The title" }. */
  label: Localized;
  /** Bounds: max on the stored text, min on what a reader sees (visibleLength). */
  min: number;
  max: number;
  tooShort: Localized;
  tooLong: Localized;
  /** Runs of spaces and tabs become one space, as listing texts are stored. */
  collapseSpaces?: boolean;
  /** Refuse bidi embeddings, overrides and isolates (names, titles: short texts shown out of context). */
  refuseBidi?: boolean;
  /** The costly checks (pattern matching): they only ever see text within max. */
  check?(text: string): Problem | undefined;
}

export type TextResult = { ok: true; text: string } | ({ ok: false } & Problem);

const fail = (reason: InputReason, message: Localized): TextResult => ({ ok: false, reason, message });

/**
 * Checks a text and returns it as it is stored: as the user wrote it, trimmed (and with collapsed
 * spaces where the rule says). Invisible characters are kept — stripping would break emoji sequences
 * (ZWJ) and change what the user wrote — but they count for nothing in the length, and bidi controls
 * are refused where they could mislead. Cheapest first, so a megabyte stops at a length check.
 */
export function checkText(raw: string, rule: TextRule): TextResult {
  const { label } = rule;
  // PostgreSQL text cannot hold NUL: let through, it fails as an internal error at the database.
  if (raw.includes("\u0000")) {
    return fail("INVALID_CHARACTERS", {
      ro: `${label.ro} conține caracterul NUL (\\u0000), care nu este permis.`,
      en: `${label.en} contains the NUL character (\\u0000), which is not allowed.`,
    });
  }
  let text = raw.trim();
  // Collapsing spaces only shortens a text by its inner padding; more than half padding is not text,
  // and refusing it here keeps the collapse (one replace per run of spaces) off megabytes.
  if (text.length > rule.max * 2) return fail("TOO_LONG", rule.tooLong);
  // A lone surrogate would be stored as U+FFFD: what the user sent would silently change.
  if (LONE_SURROGATE.test(text)) {
    return fail("INVALID_CHARACTERS", { ro: `${label.ro} conține caractere Unicode invalide.`, en: `${label.en} contains invalid Unicode characters.` });
  }
  if (rule.collapseSpaces) text = text.replace(/[ \t]+/g, " ");
  if (text.length > rule.max) return fail("TOO_LONG", rule.tooLong);
  if (rule.refuseBidi && hasBidiControl(text)) {
    return fail("INVALID_CHARACTERS", {
      ro: `${label.ro} nu poate conține caractere care schimbă direcția textului (U+202A–U+202E, U+2066–U+2069).`,
      en: `${label.en} cannot contain characters that change the direction of text (U+202A–U+202E, U+2066–U+2069).`,
    });
  }
  if (visibleLength(text) < rule.min) return fail("TOO_SHORT", rule.tooShort);
  const problem = rule.check?.(text);
  return problem ? { ok: false, ...problem } : { ok: true, text };
}

/** checkText as a zod schema: one issue (the first problem) on the field, the stored text as output. */
export function textSchema(rule: TextRule) {
  return z.string().transform((raw, ctx) => {
    const result = checkText(raw, rule);
    if (result.ok) return result.text;
    addProblem(ctx, result, raw);
    return z.NEVER;
  });
}

/** What a user writes when reporting something to the admins (a listing, a conversation). */
export const REPORT_TEXT = textSchema({
  label: { ro: "Textul", en: "The text" },
  min: 10,
  max: 2000,
  tooShort: { ro: "Descrie problema în cel puțin 10 caractere.", en: "Describe the problem in at least 10 characters." },
  tooLong: { ro: "Textul poate avea cel mult 2.000 de caractere.", en: "The text can have at most 2,000 characters." },
});
