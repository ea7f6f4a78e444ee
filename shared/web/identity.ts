/**
 * Who is using the workbench, as the sign-in vouched for them: a stable id recorded with every decision (never a
 * name the request chose), a display name and the roles that authorise actions.
 */
import type { Context, Hono } from 'hono';

export const ROLES = ['reviewer', 'lead'] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  /** Recorded as the reviewer of decisions and study changes: a Cognito user's username, or the local name. */
  id: string;
  name: string;
  roles: Role[];
}

/** How one deployment signs people in: locally by picking a name, in AWS through Cognito's hosted sign-in. */
export interface Authenticator {
  /** The signed-in user of a request, verified on every request; null when nobody is signed in. */
  identify(c: Context): Promise<Identity | null>;
  /** Adds the sign-in, callback and sign-out routes; a page that needs a user redirects to `signInPath`. */
  mount(app: Hono): void;
  signInPath: string;
}

export const isLead = (identity: Identity) => identity.roles.includes('lead');
