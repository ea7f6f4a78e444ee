/**
 * Just enough IAM policy evaluation for the infra tests: does any Allow statement let an action through on a
 * resource for an item with a given partition key? Resources are matched by a predicate (they are CloudFormation
 * tokens in a synthesized template); the only condition understood is the one the stacks use on table writes,
 * `ForAllValues:StringLike` on `dynamodb:LeadingKeys`. Any other condition makes the statement not apply, so a
 * test using this can only under-estimate access when a policy grows conditions this helper does not know.
 */

export interface Statement {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export const actionsOf = (statement: Statement): string[] => [statement.Action].flat();
export const resourcesOf = (statement: Statement): unknown[] => [statement.Resource].flat();

/** IAM's StringLike: `*` any run of characters, `?` one character, everything else literal. */
export function stringLike(pattern: string, value: string): boolean {
  const regex = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${regex}$`, 's').test(value);
}

function conditionHolds(condition: Statement['Condition'], partitionKey: string): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, keys]) => {
    if (operator !== 'ForAllValues:StringLike') return false;
    return Object.entries(keys).every(([key, patterns]) => {
      if (key !== 'dynamodb:LeadingKeys') return false;
      return [patterns].flat().some((pattern) => stringLike(String(pattern), partitionKey));
    });
  });
}

/** Whether the statements allow `action` on a resource `onResource` accepts, for an item under `partitionKey`. */
export function allows(
  statements: readonly Statement[],
  action: string,
  onResource: (resource: unknown) => boolean,
  partitionKey: string,
): boolean {
  return statements.some(
    (statement) =>
      statement.Effect === 'Allow' &&
      actionsOf(statement).some((granted) => stringLike(granted, action)) &&
      resourcesOf(statement).some(onResource) &&
      conditionHolds(statement.Condition, partitionKey),
  );
}
