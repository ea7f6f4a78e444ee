/**
 * S3's browser-upload endpoint (POST Object with a policy) in front of an in-memory bucket, for the upload form's
 * tests: path-style `POST /<bucket>` with multipart/form-data. It applies the rules S3 documents for such uploads,
 * so a form that S3 would refuse is refused here too: the SigV4 signature over the policy (with the test
 * credentials), the policy's expiration, every condition (exact match, `eq`, `starts-with`, `content-length-range`,
 * the bucket), every form field named by a condition (except the signature, the policy, the file and x-ignore-*),
 * and the file as the last field. An accepted upload is stored with its `x-amz-meta-*` fields as metadata, and the
 * browser is sent to `success_action_redirect` with bucket, key and etag added, as S3 does.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { fakeS3 } from './fake-s3.ts';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface FakeS3Post {
  endpoint: string;
  /** Why each refused upload was refused. */
  refused: string[];
  close(): Promise<void>;
}

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

function signature(secret: string, date: string, region: string, policy: string): string {
  const key = ['aws4_request'].reduce(
    (signing, part) => hmac(signing, part),
    hmac(hmac(hmac(`AWS4${secret}`, date), region), 's3'),
  );
  return hmac(key, policy).toString('hex');
}

const EXEMPT = new Set(['x-amz-signature', 'policy', 'file']);

type Condition = Record<string, string> | [string, string | number, string | number];

/** The reason S3 would refuse the upload, or undefined when it would store it. */
export function policyProblem(
  fields: Map<string, string>,
  file: { size: number },
  bucket: string,
  credentials: Credentials,
  region: string,
  now: Date,
): string | undefined {
  const policy = fields.get('policy');
  if (!policy) return 'no policy';
  const credential = fields.get('x-amz-credential') ?? '';
  const [accessKeyId, date, scopeRegion, service, terminator] = credential.split('/');
  if (accessKeyId !== credentials.accessKeyId || scopeRegion !== region || service !== 's3' || !terminator)
    return `credential ${credential} is not for this bucket`;
  if (fields.get('x-amz-signature') !== signature(credentials.secretAccessKey, date ?? '', region, policy))
    return 'the signature does not match the policy';
  const document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as {
    expiration: string;
    conditions: Condition[];
  };
  if (Date.parse(document.expiration) <= now.getTime()) return 'the policy has expired';
  const named = new Set<string>();
  const value = (name: string) => (name === 'bucket' ? bucket : fields.get(name));
  for (const condition of document.conditions) {
    if (!Array.isArray(condition)) {
      const [name, expected] = Object.entries(condition)[0] ?? [];
      const field = String(name).toLowerCase();
      named.add(field);
      if (value(field) !== expected) return `condition failed: ${JSON.stringify(condition)}`;
      continue;
    }
    const [operator, left, right] = condition;
    if (operator === 'content-length-range') {
      if (file.size < Number(left) || file.size > Number(right))
        return `size ${file.size} outside ${left}..${right}`;
      continue;
    }
    const field = String(left).replace(/^\$/, '').toLowerCase();
    named.add(field);
    const actual = value(field);
    if (actual === undefined) return `condition failed (no field): ${JSON.stringify(condition)}`;
    if (operator === 'eq' && actual !== right) return `condition failed: ${JSON.stringify(condition)}`;
    if (operator === 'starts-with' && !actual.startsWith(String(right)))
      return `condition failed: ${JSON.stringify(condition)}`;
    if (operator !== 'eq' && operator !== 'starts-with') return `unknown condition ${operator}`;
  }
  for (const field of fields.keys()) {
    if (EXEMPT.has(field) || field.startsWith('x-ignore-') || named.has(field)) continue;
    return `extra input field: ${field}`;
  }
  return undefined;
}

export async function startFakeS3Post(
  bucket: ReturnType<typeof fakeS3>,
  name: string,
  credentials: Credentials,
  region: string,
  now: () => Date = () => new Date(),
): Promise<FakeS3Post> {
  const refused: string[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const refuse = (status: number, why: string) => {
      refused.push(why);
      response.writeHead(status, { 'Content-Type': 'text/plain' }).end(why);
    };
    if (request.method !== 'POST' || request.url !== `/${name}`)
      return refuse(404, `no such bucket ${request.url}`);
    const form = await new Request('http://s3.invalid/', {
      method: 'POST',
      headers: { 'content-type': request.headers['content-type'] ?? '' },
      body: Buffer.concat(chunks),
    }).formData();
    const entries = [...form.entries()];
    const last = entries.at(-1);
    if (last?.[0] !== 'file' || !(last[1] instanceof Blob))
      return refuse(400, 'the file must be the last field');
    const fields = new Map<string, string>();
    for (const [field, value] of entries.slice(0, -1)) {
      if (typeof value !== 'string') return refuse(400, `field ${field} is not text`);
      fields.set(field.toLowerCase(), value);
    }
    const bytes = new Uint8Array(await last[1].arrayBuffer());
    const problem = policyProblem(fields, { size: bytes.byteLength }, name, credentials, region, now());
    if (problem) return refuse(403, `Invalid according to Policy: ${problem}`);
    const key = fields.get('key') ?? '';
    const metadata = Object.fromEntries(
      [...fields]
        .filter(([field]) => field.startsWith('x-amz-meta-'))
        .map(([field, value]) => [field.slice('x-amz-meta-'.length), value]),
    );
    const etag = bucket.upload(key, bytes, metadata);
    const redirect = fields.get('success_action_redirect');
    if (!redirect) return response.writeHead(204).end();
    const query = new URLSearchParams({ bucket: name, key, etag }).toString();
    response.writeHead(303, { Location: `${redirect}${redirect.includes('?') ? '&' : '?'}${query}` }).end();
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refused,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}
