/**
 * A client's SearchFilter checked and turned into SearchConditions: every part that names nothing
 * (a category, a county, an attribute the category does not define) or is out of bounds is refused in
 * one BAD_USER_INPUT, each on its "filter.…" field.
 */
import { InputProblems, type Problem } from "../../lib/errors.ts";
import { citiesWithin, cityCoordinates, type LatLon } from "../../lib/geo/cities.ts";
import { isUuid } from "../../lib/ids.ts";
import { checkCounty, checkLocation } from "../../lib/locations.ts";
import { ronBaniRange, type PriceRangeInput } from "../../lib/money.ts";
import type { AttributeFacts, CatalogFacts, CategoryFacts } from "./catalog-facts.ts";
import type { AttributeCondition, Distances, SearchConditions } from "./search-sql.ts";

export interface NearInput {
  county?: string | null;
  city?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  radiusKm?: number | null;
}

export interface AttributeFilterInput {
  key: string;
  min?: number | null;
  max?: number | null;
  anyOf?: readonly string[] | null;
  equals?: boolean | null;
}

export interface SearchFilterInput {
  categoryId?: string | null;
  categorySlug?: string | null;
  county?: string | null;
  city?: string | null;
  price?: PriceRangeInput | null;
  condition?: readonly string[] | null;
  sellerId?: string | null;
  near?: NearInput | null;
  postedWithinDays?: number | null;
  attributes?: readonly AttributeFilterInput[] | null;
}

export interface CheckedFilter {
  where: SearchConditions;
  /** The distance from the centre of every city (within the radius, when there is one). */
  distances: Distances | null;
}

export const MAX_RADIUS_KM = 1_000;
export const MAX_POSTED_WITHIN_DAYS = 365;
const MAX_ATTRIBUTE_FILTERS = 20;
const MAX_VALUES = 20;
const MAX_VALUE_LENGTH = 100;
/** Farther than any two points of Romania: every city gets its distance. */
const EVERYWHERE_KM = 20_000;

const problem = (reason: Problem["reason"], ro: string, en: string): Problem => ({ reason, message: { ro, en } });

export async function checkFilter(filter: SearchFilterInput, catalog: CatalogFacts, eurRonRate: number): Promise<CheckedFilter> {
  const problems = new InputProblems();
  const where: SearchConditions = {};
  const category = await checkCategory(filter, catalog, problems);
  if (category) {
    where.categoryId = category.id;
    if (category.subtree) where.categorySubtree = category.subtree;
    // The index is partitioned by top-level category: naming it plans and reads only its partition.
    const root = (await catalog.paths()).get(String(category.id))?.[0];
    if (root !== undefined) where.rootCategoryId = Number(root);
  }
  checkPlace(filter, where, problems);
  if (filter.price) {
    const range = ronBaniRange(filter.price, eurRonRate, problems, "filter.price");
    if (range) where.price = range;
  }
  if (filter.condition?.length) where.conditions = [...new Set(filter.condition)];
  if (filter.sellerId != null) {
    if (isUuid(filter.sellerId)) where.sellerId = filter.sellerId;
    else problems.add("filter.sellerId", problem("NOT_FOUND", "Vânzătorul nu există.", "There is no such seller."));
  }
  if (filter.postedWithinDays != null) {
    const days = filter.postedWithinDays;
    if (days >= 1 && days <= MAX_POSTED_WITHIN_DAYS) where.postedWithinDays = days;
    else problems.add("filter.postedWithinDays", problem("OUT_OF_RANGE", `Alege între 1 și ${MAX_POSTED_WITHIN_DAYS} de zile.`, `Choose between 1 and ${MAX_POSTED_WITHIN_DAYS} days.`));
  }
  if (filter.attributes?.length) where.attributes = checkAttributes(filter.attributes, category, filter, problems);
  const distances = filter.near ? checkNear(filter.near, where, problems) : null;
  problems.throwIfAny();
  return { where, distances };
}

async function checkCategory(filter: SearchFilterInput, catalog: CatalogFacts, problems: InputProblems): Promise<CategoryFacts | null> {
  if (filter.categoryId == null && filter.categorySlug == null) return null;
  const byId = filter.categoryId != null;
  const valid = byId ? /^\d{1,9}$/.test(filter.categoryId!) : filter.categorySlug!.length <= 100;
  const category = valid ? await catalog.category(byId ? { id: filter.categoryId! } : { slug: filter.categorySlug! }) : null;
  if (!category) problems.add(byId ? "filter.categoryId" : "filter.categorySlug", problem("NOT_FOUND", "Categoria nu există.", "There is no such category."));
  return category;
}

function checkPlace(filter: SearchFilterInput, where: SearchConditions, problems: InputProblems): void {
  if (filter.city != null) {
    if (filter.county == null) {
      problems.add("filter.county", problem("REQUIRED", "Alege și județul când filtrezi după oraș.", "Give the county too when filtering by city."));
      return;
    }
    const { location, problems: found } = checkLocation(filter.county, filter.city, "filter.");
    problems.addAll(found);
    if (location) Object.assign(where, { county: location.county.code, city: location.city });
  } else if (filter.county != null) {
    const { county, problem: found } = checkCounty(filter.county);
    problems.add("filter.county", found);
    if (county) where.county = county.code;
  }
}

/** The centre (a city or a point) and the radius; the cities within it become a condition. */
function checkNear(near: NearInput, where: SearchConditions, problems: InputProblems): Distances | null {
  const centre = checkCentre(near, problems);
  if (near.radiusKm != null && !(near.radiusKm >= 1 && near.radiusKm <= MAX_RADIUS_KM)) {
    problems.add("filter.near.radiusKm", problem("OUT_OF_RANGE", `Raza e între 1 și ${MAX_RADIUS_KM} km.`, `The radius is between 1 and ${MAX_RADIUS_KM} km.`));
  }
  if (!centre || problems.has("filter.near")) return null;
  // With a radius every match is in one of its cities: their distances are all the SQL needs.
  const distances = citiesWithin(centre, near.radiusKm ?? EVERYWHERE_KM);
  if (near.radiusKm != null) where.withinCities = distances;
  return distances;
}

function checkCentre(near: NearInput, problems: InputProblems): LatLon | null {
  const byCity = near.county != null || near.city != null;
  const byPoint = near.latitude != null || near.longitude != null;
  if (byCity === byPoint) {
    problems.add("filter.near", problem("REQUIRED", "Dă centrul: un oraș (county și city) sau un punct (latitude și longitude).", "Give the centre: a city (county and city) or a point (latitude and longitude)."));
    return null;
  }
  if (byCity) {
    const { location, problems: found } = checkLocation(near.county ?? "", near.city ?? "", "filter.near.");
    problems.addAll(found);
    return location ? (cityCoordinates(location.county.code, location.city) ?? null) : null;
  }
  const { latitude: lat, longitude: lon } = near;
  if (lat == null || lon == null || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    problems.add("filter.near", problem("OUT_OF_RANGE", "Latitudinea e între -90 și 90, longitudinea între -180 și 180; dă-le pe amândouă.", "Latitude is between -90 and 90, longitude between -180 and 180; give both."));
    return null;
  }
  return { lat, lon };
}

function checkAttributes(
  filters: readonly AttributeFilterInput[],
  category: CategoryFacts | null,
  filter: SearchFilterInput,
  problems: InputProblems,
): AttributeCondition[] {
  if (filters.length > MAX_ATTRIBUTE_FILTERS) {
    problems.add("filter.attributes", problem("OUT_OF_RANGE", `Cel mult ${MAX_ATTRIBUTE_FILTERS} atribute.`, `At most ${MAX_ATTRIBUTE_FILTERS} attributes.`));
    return [];
  }
  if (!category) {
    if (filter.categoryId == null && filter.categorySlug == null) {
      problems.add("filter.categoryId", problem("REQUIRED", "Alege o categorie ca să filtrezi după atributele ei.", "Choose a category to filter by its attributes."));
    }
    return [];
  }
  const definitions = new Map(category.attributes.map((a) => [a.key, a]));
  return filters.flatMap((f) => {
    const field = `filter.attributes.${f.key.slice(0, 64)}`;
    const definition = definitions.get(f.key);
    if (!definition) {
      problems.add(field, problem("NOT_FOUND", "Categoria nu are acest atribut (vezi Category.attributes).", "The category has no such attribute (see Category.attributes)."));
      return [];
    }
    const condition = attributeCondition(f, definition, field, problems);
    return condition ? [condition] : [];
  });
}

function attributeCondition(f: AttributeFilterInput, definition: AttributeFacts, field: string, problems: InputProblems): AttributeCondition | null {
  const given = { range: f.min != null || f.max != null, anyOf: f.anyOf != null, equals: f.equals != null };
  const expected = definition.type === "INT" || definition.type === "DECIMAL" ? "range" : definition.type === "BOOLEAN" ? "equals" : "anyOf";
  const others = Object.entries(given).filter(([kind, set]) => set && kind !== expected);
  if (!given[expected] || others.length > 0) {
    const how = { range: "min și/sau max", anyOf: "anyOf", equals: "equals" }[expected];
    problems.add(field, problem("INVALID", `Pentru acest atribut (${definition.type}) dă doar ${how}.`, `For this attribute (${definition.type}) give ${how} only.`));
    return null;
  }
  if (expected === "range") return rangeCondition(f, field, problems);
  if (expected === "equals") return { key: f.key, kind: "equals", value: f.equals! };
  return anyOfCondition(f, definition, field, problems);
}

function rangeCondition(f: AttributeFilterInput, field: string, problems: InputProblems): AttributeCondition | null {
  if (f.min != null && f.max != null && f.min > f.max) {
    problems.add(field, problem("OUT_OF_RANGE", "Minimul e mai mare decât maximul.", "The minimum is above the maximum."));
    return null;
  }
  return { key: f.key, kind: "range", ...(f.min != null ? { min: f.min } : {}), ...(f.max != null ? { max: f.max } : {}) };
}

function anyOfCondition(f: AttributeFilterInput, definition: AttributeFacts, field: string, problems: InputProblems): AttributeCondition | null {
  const values = [...new Set(f.anyOf!)];
  if (values.length === 0 || values.length > MAX_VALUES || values.some((v) => v.length > MAX_VALUE_LENGTH)) {
    problems.add(field, problem("OUT_OF_RANGE", `Dă între 1 și ${MAX_VALUES} valori, fiecare de cel mult ${MAX_VALUE_LENGTH} de caractere.`, `Give 1 to ${MAX_VALUES} values of at most ${MAX_VALUE_LENGTH} characters each.`));
    return null;
  }
  const offered = new Set(definition.options?.map((o) => o.value));
  if (definition.type === "ENUM" && values.some((v) => !offered.has(v))) {
    problems.add(field, problem("NOT_ALLOWED", `Valori posibile: ${[...offered].join(", ")}.`, `Possible values: ${[...offered].join(", ")}.`));
    return null;
  }
  return { key: f.key, kind: "anyOf", values };
}
