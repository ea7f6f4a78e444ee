/**
 * Recorded HTTP answers ("cassettes") for the replay server. A cassette file is JSON:
 * `{ "description": "...", "interactions": [{ "request": { "method", "path", "params" }, "responses": [...] }] }`
 * where each response is `{ "status", "headers"?, "body" | "bodyFile" }` (bodyFile relative to the cassette) and
 * the n-th matching request gets the n-th response (the last one repeats). A param value "*" matches any value.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as z from 'zod';
import { InputError } from '#shared/errors.ts';

/** Identity parameters E-utilities wants on every call; they never change what is answered. */
export const IGNORED_PARAMS = new Set(['tool', 'email', 'api_key']);

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Interaction {
  request: { method: string; path: string; params: Record<string, string> };
  responses: RecordedResponse[];
}

const ResponseSchema = z
  .object({
    status: z.number().int().min(100).max(599),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.string().optional(),
    bodyFile: z.string().optional(),
  })
  .refine((response) => (response.body === undefined) !== (response.bodyFile === undefined), {
    message: 'a response needs exactly one of body or bodyFile',
  });

const CassetteSchema = z.object({
  description: z.string().optional(),
  interactions: z.array(
    z.object({
      request: z.object({
        method: z.enum(['GET', 'POST']),
        path: z.string().startsWith('/'),
        params: z.record(z.string(), z.string()).default({}),
      }),
      responses: z.array(ResponseSchema).min(1),
    }),
  ),
});

export function loadCassette(path: string): Interaction[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`cassette ${path}: ${(error as Error).message}`);
  }
  const parsed = CassetteSchema.safeParse(json);
  if (!parsed.success) {
    throw new InputError(
      `cassette ${path}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  const folder = dirname(path);
  return parsed.data.interactions.map(({ request, responses }) => ({
    request,
    responses: responses.map((response) => ({
      status: response.status,
      headers: response.headers,
      body: response.body ?? readFileSync(resolve(folder, response.bodyFile ?? ''), 'utf8'),
    })),
  }));
}

/** method + path + sorted params (without the identity params): what a request is looked up by. */
export function requestKey(method: string, path: string, params: Record<string, string>): string {
  const query = Object.entries(params)
    .filter(([name]) => !IGNORED_PARAMS.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  return `${method.toUpperCase()} ${path}?${query}`;
}

/** Whether a recorded request (whose "*" values match anything) answers this one. */
export function matches(
  recorded: Interaction['request'],
  method: string,
  path: string,
  params: Record<string, string>,
): boolean {
  if (recorded.method !== method.toUpperCase() || recorded.path !== path) return false;
  const wanted = Object.keys(recorded.params).filter((name) => !IGNORED_PARAMS.has(name));
  const given = Object.keys(params).filter((name) => !IGNORED_PARAMS.has(name));
  if (wanted.length !== given.length) return false;
  return wanted.every((name) => {
    const value = recorded.params[name];
    return params[name] !== undefined && (value === '*' || value === params[name]);
  });
}
