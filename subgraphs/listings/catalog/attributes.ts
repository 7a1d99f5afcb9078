/**
 * Validates listing attributes against the category's definitions: unknown keys, missing required
 * values, wrong types and out-of-range values are all refused, each on its "attributes.<key>" field.
 */
import type { InputProblem, Problem } from "../../../lib/errors.ts";
import type { Localized } from "../../../lib/i18n.ts";
import { formatQuantity } from "../../../lib/ro-format.ts";
import { checkText } from "../../../lib/text.ts";
import { contactProblem } from "../listing-rules.ts";
import type { AttributeDefinition } from "./attribute-definition.ts";

export type AttributeValue = string | number | boolean;
export type AttributeValues = Record<string, AttributeValue>;

/** A problem with one attribute, on "attributes.<key>" (or "attributes" for the whole value). */
export type AttributeIssue = InputProblem;

/** The attribute as the subject of a sentence: its Romanian label, its key in English. */
const labelOf = (def: AttributeDefinition): Localized => ({ ro: def.label, en: `The attribute "${def.key}"` });

function checkValue(def: AttributeDefinition, value: unknown): Problem | undefined {
  const label = labelOf(def);
  switch (def.type) {
    case "INT":
    case "DECIMAL": {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        return { reason: "INVALID_FORMAT", message: { ro: `${label.ro} trebuie să fie un număr.`, en: `${label.en} must be a number.` } };
      }
      if (def.type === "INT" && !Number.isInteger(value)) {
        return { reason: "INVALID_FORMAT", message: { ro: `${label.ro} trebuie să fie un număr întreg.`, en: `${label.en} must be a whole number.` } };
      }
      if (def.min !== undefined && value < def.min) {
        return { reason: "OUT_OF_RANGE", message: { ro: `${label.ro} trebuie să fie cel puțin ${def.min}.`, en: `${label.en} must be at least ${def.min}.` } };
      }
      if (def.max !== undefined && value > def.max) {
        return { reason: "OUT_OF_RANGE", message: { ro: `${label.ro} poate fi cel mult ${def.max}.`, en: `${label.en} can be at most ${def.max}.` } };
      }
      return undefined;
    }
    case "STRING":
      return typeof value === "string"
        ? textProblem(def, value)
        : { reason: "INVALID_FORMAT", message: { ro: `${label.ro} trebuie să fie un text.`, en: `${label.en} must be a text.` } };
    case "BOOLEAN":
      return typeof value === "boolean"
        ? undefined
        : { reason: "INVALID_FORMAT", message: { ro: `${label.ro} trebuie să fie da/nu (true/false).`, en: `${label.en} must be yes/no (true/false).` } };
    case "ENUM": {
      if (typeof value === "string" && def.options?.some((o) => o.value === value)) return undefined;
      const options = (def.options ?? []).map((o) => o.value).join(", ");
      return { reason: "NOT_ALLOWED", message: { ro: `${label.ro} trebuie să fie una dintre: ${options}.`, en: `${label.en} must be one of: ${options}.` } };
    }
  }
}

/**
 * A text attribute is listing text like the title: no NUL, no bidi controls, something visible, and
 * no phone number or e-mail address ("Model": "Logan, sunați la 0722…" is still a phone number).
 */
function textProblem(def: AttributeDefinition, value: string): Problem | undefined {
  const max = def.maxLength ?? 100;
  const label = labelOf(def);
  const result = checkText(value, {
    label,
    min: 1,
    max,
    tooShort: { ro: `${label.ro} trebuie să fie un text.`, en: `${label.en} must be a text.` },
    tooLong: { ro: `${label.ro} poate avea cel mult ${max} caractere.`, en: `${label.en} can have at most ${max} characters.` },
    refuseBidi: true,
    check: (text) => contactProblem(label, text),
  });
  return result.ok ? undefined : { reason: result.reason, message: result.message };
}

/**
 * Every problem of a listing's attributes at once: unknown keys, missing required values, wrong types,
 * values out of range or not among the options. `values` holds the valid ones, as they are stored.
 */
export function validateAttributes(
  definitions: AttributeDefinition[],
  input: unknown,
): { values: AttributeValues; issues: AttributeIssue[] } {
  const issues: AttributeIssue[] = [];
  const values: AttributeValues = {};
  if (input !== null && input !== undefined && (typeof input !== "object" || Array.isArray(input))) {
    const message = { ro: "Atributele trebuie să fie un obiect JSON.", en: "The attributes must be a JSON object." };
    return { values, issues: [{ field: "attributes", reason: "INVALID_FORMAT", message }] };
  }
  const given = (input ?? {}) as Record<string, unknown>;
  const known = new Map(definitions.map((d) => [d.key, d]));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) {
      issues.push({
        field: `attributes.${shown(key)}`,
        reason: "NOT_FOUND",
        message: { ro: `Atributul „${shown(key)}” nu există în această categorie.`, en: `There is no attribute "${shown(key)}" in this category.` },
      });
    }
  }
  for (const def of definitions) {
    let value = given[def.key];
    if (typeof value === "string") value = value.trim();
    if (value === undefined || value === null || value === "") {
      if (def.required) {
        const label = labelOf(def);
        issues.push({ field: `attributes.${def.key}`, reason: "REQUIRED", message: { ro: `${label.ro} este obligatoriu.`, en: `${label.en} is required.` } });
      }
      continue;
    }
    const problem = checkValue(def, value);
    if (problem) issues.push({ field: `attributes.${def.key}`, ...problem });
    else values[def.key] = value as AttributeValue;
  }
  return { values, issues };
}

/** An unknown key as echoed back: a client's megabyte-long key is not worth returning whole. */
const shown = (key: string) => (key.length > 64 ? `${key.slice(0, 64)}…` : key);

/** The human form of a value: the option label for ENUM, "Da"/"Nu" for BOOLEAN, Romanian digits. */
export function attributeValueLabel(def: AttributeDefinition, value: AttributeValue): string {
  if (def.type === "ENUM") return def.options?.find((o) => o.value === value)?.label ?? String(value);
  if (def.type === "BOOLEAN") return value ? "Da" : "Nu";
  if (typeof value === "number") return formatQuantity(value);
  return String(value);
}

/** A definition as the listing form describes it: a field is optional unless it says it is required. */
export function attributeForm(def: AttributeDefinition) {
  return {
    ...def,
    required: def.required ?? false,
    min: def.min ?? null,
    max: def.max ?? null,
    maxLength: def.maxLength ?? null,
    unit: def.unit ?? null,
    options: def.options ?? null,
  };
}

/** A listing's attribute values for display: in the category's order, each with its label and unit. */
export function describeAttributes(defs: AttributeDefinition[], stored: unknown) {
  const values = (stored ?? {}) as AttributeValues;
  return defs
    .filter((def) => values[def.key] !== undefined)
    .map((def) => ({
      key: def.key,
      label: def.label,
      value: String(values[def.key]),
      valueLabel: attributeValueLabel(def, values[def.key]!),
      unit: def.unit ?? null,
    }));
}
