/**
 * A per-category attribute, declared once in the catalog and used both to validate listing input
 * and to describe the form to clients (Category.attributes in the schema).
 * A subcategory inherits its ancestors' attributes and may add its own.
 */
export type AttributeType = "INT" | "DECIMAL" | "STRING" | "BOOLEAN" | "ENUM";

export interface AttributeDefinition {
  /** Stable key used in Listing.attributes, camelCase ASCII: "make", "year", "km", "rooms". */
  key: string;
  /** Romanian label shown to users: "Marcă", "An fabricație", "Rulaj (km)". */
  label: string;
  type: AttributeType;
  required?: boolean;
  /** INT / DECIMAL bounds (inclusive). */
  min?: number;
  max?: number;
  /** STRING maximum length (default 100). */
  maxLength?: number;
  /** ENUM allowed values (stable keys, lower-case ASCII, e.g. "benzina", "diesel"). */
  options?: { value: string; label: string }[];
  /** Unit shown after the value: "km", "m²", "cm³", "CP". */
  unit?: string;
}

export interface CategoryDefinition {
  id: number;
  slug: string;
  /** Romanian name with diacritics (ș, ț with comma below). */
  name: string;
  attributes?: AttributeDefinition[];
  children?: CategoryDefinition[];
}
