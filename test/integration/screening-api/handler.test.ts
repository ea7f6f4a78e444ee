import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '#shared/records/ingest.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { groupPeerSupportEligibility } from '#test/support/group-peer-support.ts';
import { bibRecord, dumpTable, memoryStore, steppingClock } from '#test/support/store.ts';
import { createScreeningHandler, type ScreeningApiEvent } from '../../../functions/screening-api/handler.ts';

let local: LocalStore;
let handle: ReturnType<typeof createScreeningHandler>;

beforeAll(async () => {
  local = await memoryStore();
  const clock = steppingClock();
  await ingest(
    [bibRecord({ id: 'pubmed:1', pmid: '1' })],
    { store: local.store, clock },
    { dualFraction: 0 },
  );
  handle = createScreeningHandler({ store: local.store, clock, eligibility: groupPeerSupportEligibility });
});
afterAll(async () => {
  await local.close();
});

/**
 * The claims API Gateway's JWT authorizer passes on for a Cognito ID token: strings, with the groups list
 * flattened to "[reviewer lead]".
 */
function idTokenClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sub: '7d1f3c52-1111-4222-8333-944455556666',
    'cognito:username': 'ana',
    'cognito:groups': '[reviewer]',
    email: 'ana@example.org',
    token_use: 'id',
    aud: 'client',
    ...overrides,
  };
}

function decisionEvent(body: unknown, claims: Record<string, unknown> = idTokenClaims()): ScreeningApiEvent {
  return {
    routeKey: 'POST /records/{id}/decisions',
    pathParameters: { id: 'pubmed:1' },
    body: JSON.stringify(body),
    requestContext: { authorizer: { jwt: { claims } } },
  };
}

const bodyOf = (result: unknown) => JSON.parse(String((result as { body: string }).body));

describe('the screening HTTP API handler', () => {
  it('refuses a reviewer named in the body, without writing', async () => {
    const before = await dumpTable(local);
    const result = await handle(decisionEvent({ decision: 'include', reviewer: 'mallory' }));
    expect(result).toMatchObject({ statusCode: 400 });
    expect(bodyOf(result).error).toContain('reviewer is taken from your sign-in');
    expect(await dumpTable(local)).toEqual(before);
  });

  it("records a decision under the ID token's stable user name, not its e-mail or sub", async () => {
    const result = await handle(decisionEvent({ decision: 'include' }));
    expect(result).toMatchObject({ statusCode: 201 });
    expect(bodyOf(result).decision).toMatchObject({ reviewer: 'ana', decision: 'include' });
  });

  it('answers 409 to a second decision without revise and 404 to an unknown record', async () => {
    expect(await handle(decisionEvent({ decision: 'exclude' }))).toMatchObject({ statusCode: 409 });
    const unknown = { ...decisionEvent({ decision: 'include' }), pathParameters: { id: 'pubmed:404' } };
    expect(await handle(unknown)).toMatchObject({ statusCode: 404 });
  });

  it.each([
    ['a 5 KB id', `pubmed:${'9'.repeat(5_000)}`],
    ['an id no parser makes', 'ris:../../etc'],
    ['a bare PMID', '123'],
  ])('answers 400 to %s, without writing', async (_, id) => {
    const before = await dumpTable(local);
    const event = { ...decisionEvent({ decision: 'include' }), pathParameters: { id } };
    const result = await handle(event);
    expect(result).toMatchObject({ statusCode: 400 });
    expect(bodyOf(result).error).toMatch(/is not a record id/);
    expect(bodyOf(result).error.length).toBeLessThan(300);
    expect(await dumpTable(local)).toEqual(before);
  });

  it.each([
    [
      'an IAM principal and no JWT',
      { iam: { userArn: 'arn:aws:sts::123456789012:assumed-role/Screeners/ben' } },
    ],
    ['no authorizer context', {}],
    [
      'an access token (no cognito:username)',
      { jwt: { claims: { token_use: 'access', username: 'ben', sub: 'x' } } },
    ],
    [
      'an ID token without cognito:username (an e-mail and sub only)',
      { jwt: { claims: idTokenClaims({ 'cognito:username': undefined, email: 'ben@example.org' }) } },
    ],
    ['a user in neither group', { jwt: { claims: idTokenClaims({ 'cognito:groups': '[observers]' }) } }],
    ['a user with no group claim', { jwt: { claims: idTokenClaims({ 'cognito:groups': undefined }) } }],
  ])('answers 403 to a decision from %s, without writing', async (_, authorizer) => {
    const before = await dumpTable(local);
    const event = {
      ...decisionEvent({ decision: 'include', stage: 'full-text' }),
      requestContext: { authorizer },
    } as ScreeningApiEvent;
    const result = await handle(event);
    expect(result).toMatchObject({ statusCode: 403 });
    expect(bodyOf(result).error).toMatch(/no reviewer identity|neither the reviewer nor the lead group/);
    expect(await dumpTable(local)).toEqual(before);
  });

  it('answers 403 to the queue and the status for a caller in no group', async () => {
    const outsider = { authorizer: { jwt: { claims: idTokenClaims({ 'cognito:groups': '[observers]' }) } } };
    expect(await handle({ routeKey: 'GET /queue', requestContext: outsider })).toMatchObject({
      statusCode: 403,
    });
    expect(await handle({ routeKey: 'GET /status', requestContext: outsider })).toMatchObject({
      statusCode: 403,
    });
  });

  it('takes a lead as a reviewer too (from the flattened groups claim)', async () => {
    const lead = idTokenClaims({ 'cognito:username': 'lea', 'cognito:groups': '[lead]' });
    const result = await handle(decisionEvent({ decision: 'include', stage: 'full-text' }, lead));
    expect(bodyOf(result).decision?.reviewer).toBe('lea');
  });

  it('serves the queue and the status', async () => {
    const requestContext = { authorizer: { jwt: { claims: idTokenClaims() } } };
    const queue = await handle({ routeKey: 'GET /queue', requestContext });
    expect(bodyOf(queue)).toEqual([]);
    const status = await handle({ routeKey: 'GET /status', requestContext });
    expect(bodyOf(status)).toMatchObject({ records: 1, included: 1 });
  });
});
