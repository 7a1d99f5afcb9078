/**
 * The category classifier: multinomial naive Bayes (wink-naive-bayes-text-classifier) over the words
 * of a listing's title and description, leaf categories as labels. Pure and synchronous: training runs
 * in a worker thread (training.ts), suggestions in the API process from a model loaded as JSON.
 */
import crypto from "node:crypto";
import naiveBayes from "wink-naive-bayes-text-classifier";
import { words } from "./text.ts";

/** A listing the classifier learns from, or is measured on. */
export interface LabelledText {
  id: string;
  categoryId: number;
  title: string;
  description: string;
}

export interface CategoryScore {
  categoryId: number;
  /** The model's confidence, 0–1: the scores of all categories add up to 1. */
  score: number;
}

/** Title words weigh twice a description's: a title says what is sold, a description also how. */
const TITLE_WEIGHT = 2;
/**
 * A description's first words say what it is about; the rest is mostly how to buy it, the same in
 * every category. More words also cost time: the odds cost (categories)² per distinct word.
 * Measured on the demo data (bench/categorizer.ts): 10–12 words beat 25, 40 and 120.
 */
const DESCRIPTION_WORDS = 12;
/**
 * Words cut to their first letters: Romanian inflects at the end ("apartament", "apartamentul",
 * "apartamente" are one feature), a poor man's stemmer that needs no dictionary.
 */
const STEM_LENGTH = 7;

/** The features of a listing's text. */
export function features(title: string, description = ""): string[] {
  const stem = (w: string) => w.slice(0, STEM_LENGTH);
  const titleWords = words(title, 40).map(stem);
  const out: string[] = [];
  // Counted words (multinomial), so a title's words counted twice weigh twice.
  for (let i = 0; i < TITLE_WEIGHT; i++) out.push(...titleWords);
  // Its first words are within the first characters: folding all of a long one would be wasted.
  out.push(...words(description.slice(0, 100 * DESCRIPTION_WORDS), DESCRIPTION_WORDS).map(stem));
  return out;
}

export class CategoryClassifier {
  private readonly scorer: OddsScorer;

  private constructor(private readonly model: ReturnType<typeof naiveBayes>) {
    this.scorer = new OddsScorer(model.exportJSON());
  }

  /** Learns from the examples; at least two categories and a few words are needed. */
  static train(examples: Iterable<Pick<LabelledText, "categoryId" | "title" | "description">>): CategoryClassifier {
    const model = naiveBayes();
    model.defineConfig({ considerOnlyPresence: false, smoothingFactor: 0.5 });
    for (const example of examples) model.learn(features(example.title, example.description), String(example.categoryId));
    model.consolidate();
    return new CategoryClassifier(model);
  }

  static fromJSON(json: string): CategoryClassifier {
    const model = naiveBayes();
    model.importJSON(json);
    model.consolidate();
    return new CategoryClassifier(model);
  }

  toJSON(): string {
    return this.model.exportJSON();
  }

  get vocabulary(): number {
    return this.model.stats().vocabulary;
  }

  /** The `k` likeliest categories, best first; none when the text has no word the model knows. */
  suggest(title: string, description = "", k = 3): CategoryScore[] {
    const odds = this.scorer.computeOdds(features(title, description));
    if (odds.length === 1 && odds[0]![0] === "unknown") return [];
    // log2 odds → shares of 1 (a softmax in base 2), shifted by the best for numeric safety.
    const best = odds[0]![1];
    const weights = odds.map(([label, value]) => ({ categoryId: Number(label), weight: 2 ** (value - best) }));
    const total = weights.reduce((sum, w) => sum + w.weight, 0);
    return weights.slice(0, k).map((w) => ({ categoryId: w.categoryId, score: w.weight / total }));
  }
}

/** The parts of wink-naive-bayes-text-classifier's exportJSON the odds are computed from. */
type ExportedModel = [
  config: { smoothingFactor: number },
  samples: Record<string, number>,
  count: Record<string, Record<string, number>>,
  words: Record<string, number>,
  vocabulary: string[],
];

/**
 * wink-naive-bayes-text-classifier's computeOdds, the same numbers in another order of work. Its odds
 * of a label are the log2 likelihood of the words under the label minus under every other label,
 * and it sums the other labels' counts for every word and label: (labels)² per word — 3.0 ms of CPU
 * per suggestion at 57 categories, most of a moderator run's CPU (bench/results/agents-2026-12-03-summary.md).
 * Here the other labels' counts are the word's total minus the label's, from totals summed once per
 * model. Counts are whole numbers, so every sum and difference is exact and each Math.log2 gets the
 * value the library gives it: the odds are the library's to the last bit (classifier.test.ts compares
 * them), in the library's label order, sorted by its comparator.
 */
export class OddsScorer {
  private readonly smoothing: number;
  private readonly vocabulary: Set<string>;
  private readonly labels: string[];
  private readonly samples: Record<string, number>;
  private readonly count: Record<string, Record<string, number>>;
  private readonly words: Record<string, number>;
  private readonly totalSamples: number;
  private readonly totalWords: number;
  private readonly totalCount = new Map<string, number>();

  constructor(json: string) {
    const [config, samples, count, words, vocabulary] = JSON.parse(json) as ExportedModel;
    this.smoothing = config.smoothingFactor;
    this.vocabulary = new Set(vocabulary);
    // The library's labels: the keys of its samples (consolidate()).
    this.labels = Object.keys(samples);
    this.samples = samples;
    this.count = count;
    this.words = words;
    let totalSamples = 0;
    let totalWords = 0;
    for (const label of this.labels) {
      totalSamples += samples[label]!;
      totalWords += words[label]!;
      for (const [word, n] of Object.entries(count[label] ?? {})) this.totalCount.set(word, (this.totalCount.get(word) ?? 0) + n);
    }
    this.totalSamples = totalSamples;
    this.totalWords = totalWords;
  }

  /** `[label, log2 odds]` for every label, best first; `[["unknown", 0]]` when no word is known. */
  computeOdds(tokens: readonly string[]): [string, number][] {
    const known = tokens.filter((token) => this.vocabulary.has(token));
    const all: [string, number][] = this.labels.map((label) => [label, known.length ? this.odds(known, label) : 0]);
    all.sort((a, b) => (b[1] > a[1] ? 1 : b[1] === a[1] ? 0 : -1));
    return all[0]![1] ? all : [["unknown", 0]];
  }

  private odds(known: readonly string[], label: string): number {
    const s = this.smoothing;
    const size = this.vocabulary.size;
    const inLabel = this.count[label] ?? {};
    const wordsInLabel = this.words[label]!;
    const wordsNotInLabel = this.totalWords - wordsInLabel;
    let lh = 0;
    let ilh = 0;
    for (const word of known) {
      const clw = inLabel[word] || 0;
      lh += s > 0 ? Math.log2(clw + s) - Math.log2(wordsInLabel + size * s) : clw ? Math.log2(clw) - Math.log2(wordsInLabel + size) : 0;
      if (lh === 0) continue;
      const others = (this.totalCount.get(word) ?? 0) - clw;
      ilh += s > 0 ? Math.log2(others + s) - Math.log2(wordsNotInLabel + size * s) : others ? Math.log2(others) - Math.log2(wordsNotInLabel + size) : 0;
    }
    if (lh !== 0) {
      lh += Math.log2(this.samples[label]!) - Math.log2(this.totalSamples);
      ilh += Math.log2(this.totalSamples - this.samples[label]!) - Math.log2(this.totalSamples);
    }
    return lh - ilh;
  }
}

/** Held out of training to measure the model: a fixed ~20 % of listings, by a hash of their id. */
export function isHeldOut(id: string): boolean {
  return crypto.createHash("sha1").update(id).digest()[0]! < 52;
}

export interface Accuracy {
  /** Listings measured on. */
  examples: number;
  /** Share whose category was the first suggestion. */
  top1: number;
  /** Share whose category was among the first three. */
  top3: number;
}

export function accuracy(classifier: CategoryClassifier, examples: readonly LabelledText[]): Accuracy {
  let top1 = 0;
  let top3 = 0;
  for (const example of examples) {
    const ranked = classifier.suggest(example.title, example.description, 3).map((s) => s.categoryId);
    if (ranked[0] === example.categoryId) top1++;
    if (ranked.includes(example.categoryId)) top3++;
  }
  const share = (n: number) => (examples.length ? Math.round((n / examples.length) * 10_000) / 10_000 : 0);
  return { examples: examples.length, top1: share(top1), top3: share(top3) };
}
