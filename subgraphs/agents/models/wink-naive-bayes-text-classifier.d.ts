/** The part of wink-naive-bayes-text-classifier (CommonJS, untyped) the categorizer uses. */
declare module "wink-naive-bayes-text-classifier" {
  interface NaiveBayesTextClassifier {
    defineConfig(config: { considerOnlyPresence?: boolean; smoothingFactor?: number }): boolean;
    /** Tokens in, when no preparation tasks are defined. */
    learn(input: string[], label: string): boolean;
    consolidate(): boolean;
    /** [label, log2 odds of the label against the rest], best first; [["unknown", 0]] when no word is known. */
    computeOdds(input: string[]): [string, number][];
    exportJSON(): string;
    importJSON(json: string): boolean;
    stats(): { labelWiseSamples: Record<string, number>; labelWiseWords: Record<string, number>; vocabulary: number };
  }
  function naiveBayesTextClassifier(): NaiveBayesTextClassifier;
  export default naiveBayesTextClassifier;
}
