/**
 * Validates listing attributes against the category's definitions: unknown keys, missing required
 * values, wrong types and out-of-range values are all refused with the attribute's key in the message.
 */
import { formatQuantity } from "../../../lib/ro-format.ts";
import { checkText } from "../../../lib/text.ts";
import { contactProblem } from "../listing-rules.ts";
import type { AttributeDefinition } from "./attribute-definition.ts";

export type AttributeValue = string | number | boolean;
export type AttributeValues = Record<string, AttributeValue>;

export interface AttributeIssue {
  field: string;
  message: string;
}

function checkValue(def: AttributeDefinition, value: unknown): string | undefined {
  switch (def.type) {
    case "INT":
    case "DECIMAL": {
      if (typeof value !== "number" || !Number.isFinite(value)) return `${def.label} trebuie să fie un număr.`;
      if (def.type === "INT" && !Number.isInteger(value)) return `${def.label} trebuie să fie un număr întreg.`;
      if (def.min !== undefined && value < def.min) return `${def.label} trebuie să fie cel puțin ${def.min}.`;
      if (def.max !== undefined && value > def.max) return `${def.label} poate fi cel mult ${def.max}.`;
      return undefined;
    }
    case "STRING":
      return typeof value === "string" ? textProblem(def, value) : `${def.label} trebuie să fie un text.`;
    case "BOOLEAN":
      return typeof value === "boolean" ? undefined : `${def.label} trebuie să fie da/nu (true/false).`;
    case "ENUM":
      return typeof value === "string" && def.options?.some((o) => o.value === value)
        ? undefined
        : `${def.label} trebuie să fie una dintre: ${(def.options ?? []).map((o) => o.value).join(", ")}.`;
  }
}

/**
 * A text attribute is listing text like the title: no NUL, no bidi controls, something visible, and
 * no phone number or e-mail address ("Model": "Logan, sunați la 0722…" is still a phone number).
 */
function textProblem(def: AttributeDefinition, value: string): string | undefined {
  const max = def.maxLength ?? 100;
  const result = checkText(value, {
    label: def.label,
    min: 1,
    max,
    tooShort: `${def.label} trebuie să fie un text.`,
    tooLong: `${def.label} poate avea cel mult ${max} caractere.`,
    refuseBidi: true,
    check: (text) => contactProblem(def.label, text),
  });
  return result.ok ? undefined : result.message;
}

export function validateAttributes(
  definitions: AttributeDefinition[],
  input: unknown,
): { values: AttributeValues; issues: AttributeIssue[] } {
  const issues: AttributeIssue[] = [];
  const values: AttributeValues = {};
  if (input !== null && input !== undefined && (typeof input !== "object" || Array.isArray(input))) {
    return { values, issues: [{ field: "attributes", message: "Atributele trebuie să fie un obiect JSON." }] };
  }
  const given = (input ?? {}) as Record<string, unknown>;
  const known = new Map(definitions.map((d) => [d.key, d]));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) issues.push({ field: `attributes.${shown(key)}`, message: `Atributul „${shown(key)}” nu există în această categorie.` });
  }
  for (const def of definitions) {
    let value = given[def.key];
    if (typeof value === "string") value = value.trim();
    if (value === undefined || value === null || value === "") {
      if (def.required) issues.push({ field: `attributes.${def.key}`, message: `${def.label} este obligatoriu.` });
      continue;
    }
    const problem = checkValue(def, value);
    if (problem) issues.push({ field: `attributes.${def.key}`, message: problem });
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
