/**
 * Who a verified Cognito ID token says the caller is, for the workbench (its cookie), the workbench's API Gateway
 * authorizer and the screening API (the claims API Gateway's JWT authorizer passes on). One mapping, so the same
 * person is the same reviewer whichever way they come in. No dependencies beyond the types: the screening API's
 * bundle imports it.
 */
import { type Identity, ROLES, type Role } from './identity.ts';

/** The Cognito groups that give the workbench's roles. */
export const ROLE_GROUPS: readonly Role[] = ROLES;

/**
 * The roles of `cognito:groups`. Cognito puts an array in the token; API Gateway's JWT authorizer hands a list
 * claim to the function flattened to one string, "[reviewer lead]". A lead screens too, so lead implies reviewer
 * (as the local sign-in does). Groups that are not roles are ignored.
 */
export function rolesFromGroups(groups: unknown): Role[] {
  const names = Array.isArray(groups)
    ? groups.filter((group): group is string => typeof group === 'string')
    : typeof groups === 'string'
      ? groups.replace(/^\[|\]$/g, '').split(/[\s,]+/)
      : [];
  if (names.includes('lead')) return ['reviewer', 'lead'];
  if (names.includes('reviewer')) return ['reviewer'];
  return [];
}

/**
 * The identity of a verified ID token's claims, or null when the token names nobody (not an ID token, no user
 * name). The id recorded with decisions is `cognito:username`: Cognito's user name, fixed when the administrator
 * creates the account and never editable by its owner (unlike the e-mail address). Not `sub`: an ID token always
 * carries both, and one person must be one reviewer everywhere (the screening API takes the same claim), or they
 * could fill both places of a dual-screened record. `roles` is empty for a user in no role group: the caller
 * refuses them.
 */
export function identityFromClaims(claims: Record<string, unknown>): Identity | null {
  if (claims.token_use !== 'id') return null;
  const username = claims['cognito:username'];
  if (typeof username !== 'string' || username === '') return null;
  const email = claims.email;
  return {
    id: username,
    name: typeof email === 'string' && email !== '' ? email : username,
    roles: rolesFromGroups(claims['cognito:groups']),
  };
}
