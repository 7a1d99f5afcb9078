import { describe, expect, it } from "vitest";
import naiveBayes from "wink-naive-bayes-text-classifier";
import { accuracy, CategoryClassifier, features, isHeldOut, OddsScorer, type LabelledText } from "./classifier.ts";
import { trainAndMeasure, trainInThread } from "./training.ts";

const CARS = 101;
const PHONES = 401;
const FLATS = 201;
const BIKES = 801;

/** A small known data set: four categories, a few listings each, with their usual words. */
const KNOWN: Omit<LabelledText, "id">[] = [
  ...["Dacia Logan 2016 diesel", "Volkswagen Golf 7 benzina", "BMW Seria 3 2015 automata", "Ford Focus break diesel", "Opel Astra 2012, 180.000 km"].map((title) => ({
    categoryId: CARS,
    title,
    description: "Mașina are ITP valabil, revizii la zi, anvelope de iarnă.",
  })),
  ...["iPhone 13 128 GB", "Samsung Galaxy S21 telefon", "Telefon Xiaomi Redmi Note", "Huawei P30 telefon decodat", "Telefon iPhone 11 baterie bună"].map((title) => ({
    categoryId: PHONES,
    title,
    description: "Telefonul este decodat, are încărcător și husă.",
  })),
  ...["Apartament 2 camere Cluj", "Apartament 3 camere decomandat", "Garsonieră centrală", "Apartament 2 camere metrou", "Apartament 4 camere parc"].map((title) => ({
    categoryId: FLATS,
    title,
    description: "Apartament luminos, etaj intermediar, centrală proprie, acte în regulă.",
  })),
  ...["Bicicletă MTB Scott", "Bicicletă de oraș Btwin", "Bicicletă copii 20 inch", "Bicicletă electrică Cube", "Bicicletă cursieră Giant"].map((title) => ({
    categoryId: BIKES,
    title,
    description: "Bicicleta are frâne noi, roți în stare bună, schimbător funcțional.",
  })),
];

describe("the category classifier", () => {
  const classifier = CategoryClassifier.train(KNOWN);

  it("puts an obvious title's category first, with scores of 0–1 best first", () => {
    expect(classifier.suggest("Dacia Logan 2015 1.5 dCi")[0]!.categoryId).toBe(CARS);
    expect(classifier.suggest("Vând telefon Samsung")[0]!.categoryId).toBe(PHONES);
    expect(classifier.suggest("Apartament 2 camere de vânzare")[0]!.categoryId).toBe(FLATS);
    const bikes = classifier.suggest("bicicleta mtb", "frane noi");
    expect(bikes[0]!.categoryId).toBe(BIKES);
    expect(bikes).toHaveLength(3);
    expect(bikes[0]!.score).toBeGreaterThan(0.5);
    expect(bikes.map((b) => b.score)).toEqual([...bikes.map((b) => b.score)].sort((a, b) => b - a));
  });

  it("reads Romanian with or without diacritics, in any case", () => {
    expect(features("BICICLETĂ Electrică")).toEqual(features("bicicleta electrica"));
    expect(classifier.suggest("GARSONIERA CENTRALA")[0]!.categoryId).toBe(FLATS);
  });

  it("suggests nothing for a text with no known word", () => {
    expect(classifier.suggest("zzz qqq")).toEqual([]);
  });

  it("answers the same from its exported JSON", () => {
    const copy = CategoryClassifier.fromJSON(classifier.toJSON());
    expect(copy.suggest("Golf 7 diesel")).toEqual(classifier.suggest("Golf 7 diesel"));
  });

  it("measures top-1 and top-3 accuracy", () => {
    const measured = accuracy(classifier, [
      { id: "a", categoryId: CARS, title: "Ford Focus diesel", description: "" },
      { id: "b", categoryId: PHONES, title: "Bicicletă electrică", description: "" },
    ]);
    expect(measured).toEqual({ examples: 2, top1: 0.5, top3: 1 });
  });

  it("holds out a fixed fifth of listings by their id", () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const held = ids.filter(isHeldOut);
    expect(held.length / ids.length).toBeGreaterThan(0.15);
    expect(held.length / ids.length).toBeLessThan(0.25);
    expect(ids.filter(isHeldOut)).toEqual(held);
  });
});

describe("the odds (OddsScorer) against wink-naive-bayes-text-classifier's computeOdds", () => {
  /** A deterministic pseudo-random sequence (no Math.random: the same cases every run). */
  function sequence(seed: number): () => number {
    let x = seed;
    return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  }

  /** Many categories sharing words unevenly, as listings' do; texts with known and unknown words. */
  function generated(smoothingFactor: number, seed: number) {
    const next = sequence(seed);
    const vocabulary = Array.from({ length: 300 }, (_, i) => `w${i}`);
    const pick = () => vocabulary[Math.floor(next() ** 2 * vocabulary.length)]!;
    const model = naiveBayes();
    model.defineConfig({ considerOnlyPresence: false, smoothingFactor });
    for (let i = 0; i < 800; i++) model.learn(Array.from({ length: 3 + Math.floor(next() * 20) }, pick), String(100 + Math.floor(next() ** 1.5 * 57)));
    model.consolidate();
    const texts = Array.from({ length: 300 }, () => Array.from({ length: 1 + Math.floor(next() * 30) }, () => (next() < 0.1 ? `unknown${Math.floor(next() * 5)}` : pick())));
    return { model, texts: [...texts, [], ["zzz"], ["w0", "w0", "w0"]] };
  }

  it("gives the library's odds to the last bit, in its order, for both smoothing branches", () => {
    for (const [smoothing, seed] of [
      [0.5, 1],
      [1, 2],
      [0, 3],
    ] as const) {
      const { model, texts } = generated(smoothing, seed);
      const scorer = new OddsScorer(model.exportJSON());
      for (const tokens of texts) expect(scorer.computeOdds(tokens)).toEqual(model.computeOdds(tokens));
    }
  });

  it("gives the library's odds for the classifier's own features, so its suggestions are the library's", () => {
    const model = naiveBayes();
    model.importJSON(CategoryClassifier.train(KNOWN).toJSON());
    model.consolidate();
    const scorer = new OddsScorer(model.exportJSON());
    for (const text of [...KNOWN.map((k) => [k.title, k.description] as const), ["Golf 7 diesel", ""] as const, ["zzz qqq", ""] as const, ["telefon apartament bicicleta", "mașina"] as const]) {
      const tokens = features(text[0], text[1]);
      expect(scorer.computeOdds(tokens)).toEqual(model.computeOdds(tokens));
    }
  });
});

describe("training", () => {
  const listings = Array.from({ length: 60 }, (_, i) => ({ id: `listing-${i}`, ...KNOWN[i % KNOWN.length]! }));
  const categories = [
    { id: CARS, names: "Autoturisme Auto, moto și ambarcațiuni" },
    { id: PHONES, names: "Telefoane Electronice și electrocasnice" },
    { id: FLATS, names: "Apartamente de vânzare Imobiliare" },
    { id: BIKES, names: "Biciclete Sport, timp liber" },
  ];

  it("learns from the listings and the categories' names, and measures on the held-out ones", () => {
    const { classifier: model, metrics } = trainAndMeasure(listings, categories);
    const heldOut = listings.filter((l) => isHeldOut(l.id)).length;
    expect(metrics).toMatchObject({ trainedOn: 60 - heldOut, categories: 4, heldOut: { examples: heldOut, top1: 1, top3: 1 } });
    expect(model.suggest("autoturisme")[0]!.categoryId).toBe(CARS);
  });

  it("trains from category names alone when there is no listing yet", () => {
    const { classifier: model, metrics } = trainAndMeasure([], categories);
    expect(metrics.heldOut).toEqual({ examples: 0, top1: 0, top3: 0 });
    expect(model.suggest("Telefoane")[0]!.categoryId).toBe(PHONES);
  });

  it("trains in a worker thread, the same model as in process", async () => {
    const threaded = await trainInThread(listings, categories);
    expect(threaded.model).toBe(trainAndMeasure(listings, categories).classifier.toJSON());
  });

  it("stops the thread when the signal aborts", async () => {
    const controller = new AbortController();
    const training = trainInThread(listings, categories, controller.signal);
    controller.abort(new Error("cancelled"));
    await expect(training).rejects.toThrow("cancelled");
  });
});
