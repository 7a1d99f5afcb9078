/**
 * The moderator's judgement: pure, deterministic, offline. Signals (prohibited goods, scam phrasing,
 * contact details or links, a price far below the category's, the same text from other sellers,
 * shouting) each carry a weight; the score combines them as independent evidence, 1 − Π(1 − w), so
 * two middling signals outweigh one. Phrase lists are Romanian and English, matched on a folded form
 * (lower case, no diacritics, ş ţ as ș ț), whole words only.
 */

export type Decision = "APPROVED" | "REJECTED" | "NEEDS_REVIEW";

export interface Reason {
  code: string;
  /** For the seller, in Romanian. */
  message: string;
  weight: number;
}

export interface Verdict {
  decision: Decision;
  reasons: Reason[];
  score: number;
}

/** What the rules read: the listing's text and price, and facts about its peers gathered by the agent. */
export interface ModerationInput {
  title: string;
  description: string;
  priceRon: number;
  /** The median RON price of the category's active listings, when there are enough of them. */
  categoryMedianRon: number | null;
  /** Other sellers whose listings carry the same title and description. */
  sameTextSellers: number;
}

/** At or above: rejected. Between: an admin decides. Below REVIEW_AT: approved. */
export const REJECT_AT = 0.8;
export const REVIEW_AT = 0.4;
/** A price under this share of the category's median is suspicious (a bait price). */
const BAIT_PRICE_SHARE = 0.25;

interface PhraseRule {
  code: string;
  weight: number;
  message: string;
  phrases: string[];
}

const RULES: PhraseRule[] = [
  {
    code: "PROHIBITED_WEAPONS",
    weight: 0.95,
    message: "Armele, muniția și explozibilii nu pot fi vândute pe piata-ai.",
    // Specific phrases only: "pistol de lipit" (a soldering gun) is a tool, not a weapon.
    phrases: ["revolver", "arma de foc", "arme de foc", "pistol cu glont", "pistol calibru", "munitie", "gloante", "cartuse pentru arma", "pusca de vanatoare", "kalashnikov", "ak47", "ak-47", "explozibil", "explozibili", "grenada de mana", "firearm", "handgun", "ammunition", "glock"],
  },
  {
    code: "PROHIBITED_DRUGS",
    weight: 0.95,
    message: "Drogurile și substanțele interzise nu pot fi vândute.",
    phrases: ["cocaina", "heroina", "marijuana", "canabis", "cannabis", "iarba de fumat", "mdma", "ecstasy", "lsd", "etnobotanice", "cocaine", "heroin", "methamphetamine"],
  },
  {
    code: "PROHIBITED_MEDICINES",
    weight: 0.9,
    message: "Medicamentele cu prescripție nu pot fi vândute.",
    phrases: ["fara reteta", "xanax", "oxycodone", "tramadol", "steroizi anabolizanti", "anabolizante", "prescription drugs", "without prescription"],
  },
  {
    code: "PROHIBITED_DOCUMENTS",
    weight: 0.95,
    message: "Actele de identitate, diplomele și documentele oficiale nu pot fi vândute.",
    phrases: ["buletine false", "buletin fals", "acte false", "permis de conducere fals", "permis fals", "diploma falsa", "pasaport fals", "fake passport", "fake id", "fake documents"],
  },
  {
    // "replica" is also an honest word for a copy: enough for an admin to look, not to reject.
    code: "PROHIBITED_COUNTERFEIT",
    weight: 0.6,
    message: "Contrafacerile și replicile nu pot fi vândute.",
    phrases: ["replica", "replici", "contrafacut", "contrafacute", "copie dupa original", "first copy", "aaa quality", "counterfeit", "fake rolex"],
  },
  {
    code: "PROHIBITED_ANIMALS",
    weight: 0.9,
    message: "Animalele sălbatice sau protejate nu pot fi vândute.",
    phrases: ["pui de urs", "pui de lup", "fildes", "ivory", "broasca testoasa protejata", "specie protejata"],
  },
  {
    code: "ADVANCE_PAYMENT",
    weight: 0.6,
    message: "Anunțul cere plata în avans sau prin canale nesigure; pe piata-ai plata se face la predare.",
    phrases: ["plata in avans", "plata integrala in avans", "avans obligatoriu", "trimiteti banii", "western union", "moneygram", "ria money", "transfer bancar inainte", "plata doar prin transfer", "payment in advance", "advance payment", "wire transfer only", "pay first", "gift card", "card cadou", "plata in bitcoin", "pay in bitcoin"],
  },
  {
    code: "COURIER_SCAM",
    weight: 0.6,
    message: "Anunțul folosește formulări tipice înșelătoriilor cu curier sau link de plată.",
    phrases: ["link de plata", "linkul de plata", "cod de verificare", "codul primit prin sms", "datele cardului", "curierul vine dupa plata", "trimit prin curier dupa plata", "sunt plecat in strainatate", "sunt in strainatate", "lucrez in strainatate", "cargus link", "fan courier link", "payment link", "verification code", "card details", "i am abroad", "shipping agent"],
  },
  {
    code: "OFF_PLATFORM_CONTACT",
    weight: 0.45,
    message: "Datele de contact nu se pun în anunț: cumpărătorii îți scriu prin chatul piata-ai.",
    phrases: ["whatsapp", "whats app", "telegram", "viber", "signal me", "scrieti pe mail", "email me", "text me"],
  },
];

/** A link or a bare domain: buyers should not be sent away from the platform. */
const LINK = /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]{2,}\.(?:ro|com|net|org|info|biz|eu|shop|xyz|ru)\b(?:\/\S*)?/i;
const EMAIL = /\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b/i;

/** Lower case, no diacritics (ş ţ folded with ș ț), one space between words. */
export function foldText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

const phrasePattern = (phrases: string[]) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${phrases.map(escape).join("|")})(?![\\p{L}\\p{N}])`, "gu");
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const COMPILED = RULES.map((rule) => ({ ...rule, pattern: phrasePattern(rule.phrases) }));

export function judge(input: ModerationInput): Verdict {
  const text = foldText(`${input.title}\n${input.description}`);
  const reasons = phraseReasons(text, COMPILED);
  if (LINK.test(text) || EMAIL.test(text)) {
    reasons.push({ code: "LINK_OR_EMAIL", weight: 0.5, message: "Anunțul conține un link sau o adresă de e-mail; scoate-le și publică din nou." });
  }
  if (input.categoryMedianRon && input.priceRon > 0 && input.priceRon < input.categoryMedianRon * BAIT_PRICE_SHARE) {
    reasons.push({ code: "PRICE_FAR_BELOW_MEDIAN", weight: 0.45, message: `Prețul e mult sub cel obișnuit în categorie (mediana: ${Math.round(input.categoryMedianRon)} lei).` });
  }
  if (input.sameTextSellers > 0) {
    reasons.push({ code: "DUPLICATE_TEXT", weight: input.sameTextSellers > 1 ? 0.7 : 0.5, message: "Același text apare în anunțurile altor vânzători." });
  }
  if (isShouting(input.title) || isShouting(input.description)) {
    reasons.push({ code: "SHOUTING", weight: 0.25, message: "Scrie fără majuscule peste tot și fără șiruri de semne de exclamare." });
  }
  const score = combine(reasons);
  return { decision: score >= REJECT_AT ? "REJECTED" : score >= REVIEW_AT ? "NEEDS_REVIEW" : "APPROVED", reasons, score };
}

/** The phrase kinds that make a chat message suspicious (a buyer may well talk about a pistol de lipit). */
const CHAT_RULES = COMPILED.filter((rule) => ["ADVANCE_PAYMENT", "COURIER_SCAM", "OFF_PLATFORM_CONTACT"].includes(rule.code));

/**
 * A chat message: scam phrasing, off-platform contact and links, with the listing's weights. At most
 * NEEDS_REVIEW: a message is flagged for admins, never withheld.
 */
export function judgeMessage(body: string): Verdict {
  const text = foldText(body);
  const reasons = phraseReasons(text, CHAT_RULES);
  if (LINK.test(text)) reasons.push({ code: "LINK_OR_EMAIL", weight: 0.3, message: "Mesajul trimite la un link din afara piata-ai." });
  const score = combine(reasons);
  return { decision: score >= REVIEW_AT ? "NEEDS_REVIEW" : "APPROVED", reasons, score };
}

function phraseReasons(text: string, rules: typeof COMPILED): Reason[] {
  const reasons: Reason[] = [];
  for (const rule of rules) {
    // Each further phrase of the same kind is more evidence (up to three): "în străinătate" alone is
    // a story; with "link de plată" it is the courier scam.
    const found = [...new Set(Array.from(text.matchAll(rule.pattern), (m) => m[0]))].slice(0, 3);
    if (found.length) reasons.push({ code: rule.code, weight: round(1 - (1 - rule.weight) ** found.length), message: `${rule.message} (${found.map((f) => `„${f}”`).join(", ")})` });
  }
  return reasons;
}

/** Mostly capitals over enough letters, or runs of exclamation marks. */
function isShouting(text: string): boolean {
  if (/!{3,}/.test(text)) return true;
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length < 12) return false;
  const upper = letters.filter((c) => c !== c.toLowerCase()).length;
  return upper / letters.length > 0.7;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const combine = (reasons: Reason[]) => round(1 - reasons.reduce((kept, r) => kept * (1 - r.weight), 1));
