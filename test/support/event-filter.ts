/**
 * Lambda event filtering as the infra tests need it: does a filter pattern (the JSON of FilterCriteria.filter)
 * match an event? Each pattern key must be present in the event; a nested object recurses, a list holds the
 * accepted values: literals, or { prefix }, { exists }, { 'anything-but' } rules. An unknown rule throws, so a
 * pattern using one this matcher does not understand fails its test instead of passing by accident.
 */

type Pattern = { [key: string]: Pattern | readonly unknown[] };

function valueMatches(rule: unknown, value: unknown, present: boolean): boolean {
  if (rule === null || typeof rule !== 'object') return present && value === rule;
  const entries = Object.entries(rule as Record<string, unknown>);
  const [name, argument] = entries[0] ?? [];
  if (entries.length !== 1) throw new Error(`one rule per object: ${JSON.stringify(rule)}`);
  switch (name) {
    case 'prefix':
      return present && typeof value === 'string' && value.startsWith(String(argument));
    case 'exists':
      return present === argument;
    case 'anything-but':
      return present && ![argument].flat().includes(value);
    default:
      throw new Error(`filter rule ${name} is not understood by this matcher`);
  }
}

export function matchesFilter(pattern: Pattern, event: unknown): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const holder = (event ?? {}) as Record<string, unknown>;
    const present = typeof event === 'object' && event !== null && key in holder;
    const value = present ? holder[key] : undefined;
    if (Array.isArray(expected)) return expected.some((rule) => valueMatches(rule, value, present));
    return present && matchesFilter(expected as Pattern, value);
  });
}
