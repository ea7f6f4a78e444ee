/**
 * Study characteristics a review declares in its file (e.g. "structured: yes/no", "population: SMI, depression,
 * other"): what subgroup analyses split by, what the CSV carries and what a data source's columns are read into.
 * The code knows no characteristic by name; a review's file names them.
 */

export interface CharacteristicValue {
  /** As stored and written to CSV, e.g. "yes" or "mutual support". */
  value: string;
  /** As the page and subgroup analyses show it, e.g. "structured". */
  label: string;
}

/** How a Metapsy-format column fills a characteristic: source value (any case) to declared value; "*" for the rest. */
export interface MetapsyColumnMapping {
  column: string;
  map: Record<string, string>;
}

export interface CharacteristicSpec {
  id: string;
  label: string;
  values: CharacteristicValue[];
  /** The column of the project's extraction CSV that carries it. */
  csvColumn: string;
  metapsy?: MetapsyColumnMapping;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The declared value a text names (case-insensitive), or undefined when it names none. */
export function declaredValue(spec: CharacteristicSpec, text: string): string | undefined {
  return spec.values.find((option) => same(option.value, text))?.value;
}

/** The label of a stored value, e.g. "yes" -> "structured"; the value itself when the review declares no such value. */
export function valueLabel(spec: CharacteristicSpec, value: string): string {
  return spec.values.find((option) => option.value === value)?.label ?? value;
}

/** A Metapsy cell read through the review's mapping: null for an empty cell or a value the mapping leaves out. */
export function fromMetapsyCell(mapping: MetapsyColumnMapping, text: string | null): string | null {
  if (text === null) return null;
  const entry = Object.entries(mapping.map).find(([source]) => source !== '*' && same(source, text));
  return entry?.[1] ?? mapping.map['*'] ?? null;
}

/** Every declared characteristic, unknown (null): what a study no source has coded carries. */
export function uncoded(specs: readonly CharacteristicSpec[]): Record<string, string | null> {
  return Object.fromEntries(specs.map((spec) => [spec.id, null]));
}
