/**
 * What a seller is offered while writing a listing: likely categories for the text so far, and a
 * price range for the listing as it stands. Answered synchronously from the models the categorizer
 * and pricer agents use (models/): the classifier in memory, the comparables from one SQL statement.
 */
import { z } from "zod";
import type { PrismaClient } from "../../lib/db/database.ts";
import { InputProblems, type Problem } from "../../lib/errors.ts";
import { checkCounty, checkLocation } from "../../lib/locations.ts";
import { textSchema } from "../../lib/text.ts";
import { categoryTree } from "./models/categories.ts";
import type { CurrentCategorizer } from "./models/current-categorizer.ts";
import { estimatePrice, type PriceEstimate } from "./models/pricing.ts";

export interface CategorySuggestion {
  category: { id: string };
  score: number;
}

/** An estimate as the API shows it: its category as an entity reference. */
export type PriceSuggestion = Omit<PriceEstimate, "basis"> & { basis: Omit<PriceEstimate["basis"], "categoryId"> & { category: { id: string } } };

export interface PriceArgs {
  categoryId: string;
  title?: string | null;
  attributes?: unknown;
  county?: string | null;
  city?: string | null;
}

/** As many as a seller can use: the best three. */
const SUGGESTIONS = 3;
const MAX_ATTRIBUTES = 30;

// The bounds of a listing's own texts (subgraphs/listings/listing-rules.ts): a title in progress may be
// shorter than a publishable one, never longer.
const title = textSchema({
  label: { ro: "Titlul", en: "The title" },
  min: 3,
  max: 70,
  tooShort: { ro: "Scrie cel puțin 3 caractere din titlu.", en: "Write at least 3 characters of the title." },
  tooLong: { ro: "Titlul poate avea cel mult 70 de caractere.", en: "The title can have at most 70 characters." },
  collapseSpaces: true,
});
const TOO_LONG_DESCRIPTION = { ro: "Descrierea poate avea cel mult 9.000 de caractere.", en: "The description can have at most 9,000 characters." };
const description = textSchema({
  label: { ro: "Descrierea", en: "The description" },
  // Optional, so never too short: any start of one helps.
  min: 0,
  max: 9000,
  tooShort: TOO_LONG_DESCRIPTION,
  tooLong: TOO_LONG_DESCRIPTION,
});

const attributeValue = z.union([z.string().max(200), z.number().finite(), z.boolean()]);
const attributes = z
  .record(z.string().min(1).max(50), attributeValue)
  .refine((record) => Object.keys(record).length <= MAX_ATTRIBUTES, { message: `At most ${MAX_ATTRIBUTES} attributes.` });

export class SuggestionsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly categorizer: CurrentCategorizer,
  ) {}

  async suggestCategory(rawTitle: string, rawDescription?: string | null): Promise<CategorySuggestion[]> {
    const problems = new InputProblems();
    const text = problems.parse("title", title, rawTitle);
    const more = rawDescription == null ? "" : problems.parse("description", description, rawDescription);
    problems.throwIfAny();
    const classifier = await this.categorizer.classifier();
    return classifier.suggest(text!, more ?? "", SUGGESTIONS).map((s) => ({ category: { id: String(s.categoryId) }, score: s.score }));
  }

  async suggestPrice(args: PriceArgs): Promise<PriceSuggestion | null> {
    const problems = new InputProblems();
    const categoryId = await this.category(args.categoryId, problems);
    const text = args.title == null ? undefined : problems.parse("title", title, args.title);
    const values = args.attributes == null ? undefined : problems.parse("attributes", attributes, args.attributes);
    const place = this.place(args, problems);
    problems.throwIfAny();
    const estimate = await estimatePrice({ prisma: this.prisma }, { categoryId: categoryId!, title: text, attributes: values, ...place });
    if (!estimate) return null;
    const { categoryId: basisCategory, ...basis } = estimate.basis;
    return { ...estimate, basis: { ...basis, category: { id: String(basisCategory) } } };
  }

  private async category(id: string, problems: InputProblems): Promise<number | undefined> {
    const number = /^\d{1,9}$/.test(id) ? Number(id) : NaN;
    if ((await categoryTree(this.prisma)).get(number)) return number;
    problems.add("categoryId", { reason: "NOT_FOUND", message: { ro: "Categoria nu există.", en: "There is no such category." } });
    return undefined;
  }

  /** A county alone, or a county and one of its cities; a city needs its county. */
  private place({ county, city }: PriceArgs, problems: InputProblems): { county?: string; city?: string } {
    if (!county) {
      if (city) problems.add("county", COUNTY_FOR_CITY);
      return {};
    }
    if (!city) {
      const { county: found, problem } = checkCounty(county);
      problems.add("county", problem);
      return found ? { county: found.code } : {};
    }
    const { location, problems: found } = checkLocation(county, city);
    problems.addAll(found);
    return location ? { county: location.county.code, city: location.city } : {};
  }
}

const COUNTY_FOR_CITY: Problem = {
  reason: "REQUIRED",
  message: { ro: "Alege și județul orașului (codul lui, de exemplu „CJ”).", en: 'Choose the city\'s county too (its code, e.g. "CJ").' },
};
