/**
 * The single-table DynamoDB adapter for every port in ./ports.ts. Key layout and access patterns: docs/store.md.
 * Only single-item writes (conditional where uniqueness matters) so dynalite runs the same code. A body too large
 * for one item is written as chunks before the item that names it (./large-body.ts).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DamagedStoreError } from '#shared/errors.ts';
import { boundedKeyValue } from '#shared/text/bounded-key.ts';
import { bodyLayout, chunkSortKey, joinChunks } from './large-body.ts';
import type {
  AnalysisVersion,
  BatchAlert,
  BatchEntry,
  BatchHead,
  Decision,
  DedupKey,
  PublishEntry,
  Store,
  StoredCopy,
  StoredDocument,
  TrialLink,
} from './ports.ts';
import { keyString } from './ports.ts';
import { CANONICAL_INDEX, KIND_INDEX } from './table.ts';

type Item = Record<string, unknown>;

const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
/** Unfinished ingest batches: the partition of the kind index a run queries to find work left half done. */
const OPEN_BATCHES = 'KIND#batch-open';

export const itemKeys = {
  copy: (id: string) => ({ pk: `REC#${id}`, sk: 'COPY' }),
  claim: (key: DedupKey) => ({ pk: `KEY#${keyString(key)}`, sk: 'CLAIM' }),
  decision: (d: Pick<Decision, 'recordId' | 'stage' | 'reviewer' | 'revision'>) => ({
    pk: `REC#${d.recordId}`,
    sk: `DEC#${d.stage}#${d.reviewer}#${String(d.revision).padStart(4, '0')}`,
  }),
  trialLink: (link: Pick<TrialLink, 'nctId' | 'member'>) => ({
    pk: `TRIAL#${link.nctId}`,
    sk: `LINK#${link.member}`,
  }),
  pmidReference: (pmid: string, nctId: string) => ({ pk: `PMIDREF#${pmid}`, sk: `TRIAL#${nctId}` }),
  watermark: (source: string) => ({ pk: `SOURCE#${source}`, sk: 'WATERMARK' }),
  alert: (key: string) => ({ pk: `ALERT#${key}`, sk: 'SENT' }),
  // A document's id comes from input (a study label, say): bounded like a claim's value. Readers take the id
  // from the item's `id` attribute, never from the key.
  document: (kind: string, id: string) => ({ pk: `DOC#${kind}#${boundedKeyValue(id)}`, sk: 'DOC' }),
  analysis: (version: number) => ({ pk: 'ANALYSIS', sk: `V#${String(version).padStart(8, '0')}` }),
  publish: (entry: PublishEntry) => ({ pk: 'PUBLISH', sk: `${entry.publishedAt}#${entry.analysisVersion}` }),
  marker: () => ({ pk: 'MARKER#included-data', sk: 'MARKER' }),
  // One chunk of a body too large for its item, under the SHA-256 of the body's JSON (./large-body.ts).
  bodyChunk: (sha256: string, index: number) => ({ pk: `BODY#${sha256}`, sk: chunkSortKey(index) }),
  batchHead: (id: string) => ({ pk: `BATCH#${id}`, sk: 'HEAD' }),
  batchEntry: (id: string, position: number) => ({
    pk: `BATCH#${id}`,
    sk: `ENTRY#${String(position).padStart(7, '0')}`,
  }),
};

/** How many chunk puts are in flight at once while a large body is written. */
const CHUNK_WRITES_AT_ONCE = 4;

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

/** Runs a conditional write; resolves false instead of throwing when the condition does not hold. */
async function conditionally(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The item of one source copy (exported for seeding large stores in the benchmark). */
export function copyItem(copy: StoredCopy): Item {
  return {
    ...itemKeys.copy(copy.id),
    gsi1pk: 'KIND#copy',
    gsi1sk: `${copy.importedAt}#${copy.id}`,
    gsi2pk: `CAN#${copy.canonicalId}`,
    gsi2sk: copy.id,
    canonicalId: copy.canonicalId,
    contentHash: copy.contentHash,
    dual: copy.dual,
    data: JSON.stringify(copy),
  };
}

export function claimItem(key: DedupKey, canonicalId: string): Item {
  return { ...itemKeys.claim(key), key: keyString(key), canonicalId };
}

function copyFrom(item: Item): StoredCopy {
  const copy = JSON.parse(String(item.data)) as StoredCopy;
  // canonicalId and dual change after the first write; the top-level attributes are authoritative.
  return { ...copy, canonicalId: String(item.canonicalId), dual: item.dual === true };
}

const HEAD_FIELDS = [
  'label',
  'cycle',
  'createdAt',
  'session',
  'heartbeatAt',
  'stagedAt',
  'settledAt',
  'sendingBy',
  'sendingAt',
  'sentAt',
  'doneAt',
] as const;

function headFrom(item: Item): BatchHead {
  const head: BatchHead = {
    id: String(item.id),
    label: String(item.label),
    cycle: String(item.cycle),
    dualFraction: Number(item.dualFraction),
    createdAt: String(item.createdAt),
  };
  for (const field of HEAD_FIELDS) {
    if (typeof item[field] === 'string') head[field] = item[field];
  }
  if (typeof item.alert === 'string') head.alert = JSON.parse(item.alert) as NonNullable<BatchHead['alert']>;
  if (typeof item.digest === 'string') head.digest = JSON.parse(item.digest) as BatchAlert;
  return head;
}

function entryFrom(item: Item): BatchEntry {
  return JSON.parse(String(item.data)) as BatchEntry;
}

function decisionFrom(item: Item): Decision {
  return {
    recordId: String(item.recordId),
    stage: item.stage as Decision['stage'],
    reviewer: String(item.reviewer),
    decision: item.decision as Decision['decision'],
    ...(typeof item.reason === 'string' ? { reason: item.reason } : {}),
    ...(typeof item.note === 'string' ? { note: item.note } : {}),
    decidedAt: String(item.decidedAt),
    revision: Number(item.revision),
  };
}

export class DynamoStore implements Store {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey }),
      );
      items.push(...((page.Items ?? []) as Item[]));
      ExclusiveStartKey = page.LastEvaluatedKey as Item | undefined;
    } while (ExclusiveStartKey);
    return items;
  }

  private byKind(kind: string): Promise<Item[]> {
    return this.queryAll({
      IndexName: KIND_INDEX,
      KeyConditionExpression: 'gsi1pk = :kind',
      ExpressionAttributeValues: { ':kind': `KIND#${kind}` },
    });
  }

  private async batchGet(keys: { pk: string; sk: string }[]): Promise<Item[]> {
    const found: Item[] = [];
    for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
      let request: Record<string, { Keys: Item[] }> | undefined = {
        [this.tableName]: { Keys: keys.slice(start, start + BATCH_GET_LIMIT) },
      };
      while (request && Object.keys(request).length > 0) {
        const page = await this.client.send(new BatchGetCommand({ RequestItems: request }));
        found.push(...((page.Responses?.[this.tableName] ?? []) as Item[]));
        request = page.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  private async get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return result.Item as Item | undefined;
  }

  private putIfAbsent(item: Item): Promise<boolean> {
    return conditionally(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  /**
   * The attributes that hold a body in its (head) item. A small body is `data`, as always. A large one is written
   * first as content-addressed chunks (plain puts: a retry or another writer of the same body writes the same
   * items), and only then does the caller write the head, which holds `bodySha256` and `bodyChunks` instead: the
   * head is the commit point, so a run killed before it leaves only unreferenced chunks.
   */
  private async storeBody(body: unknown): Promise<Item> {
    const layout = bodyLayout(JSON.stringify(body));
    if ('inline' in layout) return { data: layout.inline };
    const { sha256, chunks } = layout;
    for (let start = 0; start < chunks.length; start += CHUNK_WRITES_AT_ONCE) {
      await Promise.all(
        chunks.slice(start, start + CHUNK_WRITES_AT_ONCE).map((data, offset) =>
          this.client.send(
            new PutCommand({
              TableName: this.tableName,
              Item: { ...itemKeys.bodyChunk(sha256, start + offset), data },
            }),
          ),
        ),
      );
    }
    return { bodySha256: sha256, bodyChunks: chunks.length };
  }

  /** The body a head item holds or names; a chunked body is read whole and checked, or the read fails. */
  private async loadBody(item: Item, what: string): Promise<unknown> {
    if (typeof item.data === 'string') return JSON.parse(item.data) as unknown;
    const sha256 = item.bodySha256;
    const count = Number(item.bodyChunks);
    if (typeof sha256 !== 'string' || !Number.isInteger(count) || count < 1) {
      throw new DamagedStoreError(
        `${what}: its item holds neither a body nor a chunked body's hash and count`,
      );
    }
    const chunks = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
      ExpressionAttributeValues: {
        ':pk': itemKeys.bodyChunk(sha256, 0).pk,
        ':first': chunkSortKey(0),
        ':last': chunkSortKey(count - 1),
      },
      ConsistentRead: true,
    });
    return JSON.parse(joinChunks(what, sha256, count, chunks as { sk: unknown; data: unknown }[])) as unknown;
  }

  private documentFrom(item: Item): Promise<StoredDocument> {
    return this.loadBody(item, `document ${String(item.kind)} "${String(item.id)}"`).then((body) => ({
      kind: String(item.kind),
      id: String(item.id),
      updatedAt: String(item.updatedAt),
      body,
    }));
  }

  private analysisFrom(item: Item): Promise<AnalysisVersion> {
    return this.loadBody(item, `analysis version ${Number(item.version)}`).then((body) => ({
      version: Number(item.version),
      hash: String(item.hash),
      createdAt: String(item.createdAt),
      body,
    }));
  }

  // Records, claims and trial links

  async getCopies(ids: readonly string[]): Promise<Map<string, StoredCopy>> {
    const items = await this.batchGet(ids.map((id) => itemKeys.copy(id)));
    return new Map(items.map((item) => copyFrom(item)).map((copy) => [copy.id, copy]));
  }

  async getClaims(keys: readonly DedupKey[]): Promise<Map<string, string>> {
    const items = await this.batchGet(keys.map((key) => itemKeys.claim(key)));
    return new Map(items.map((item) => [String(item.key), String(item.canonicalId)]));
  }

  async claimKey(key: DedupKey, canonicalId: string): Promise<string> {
    const won = await this.putIfAbsent(claimItem(key, canonicalId));
    if (won) return canonicalId;
    const holder = await this.get(itemKeys.claim(key));
    return String(holder?.canonicalId);
  }

  async repointClaim(key: DedupKey, from: string, to: string): Promise<void> {
    await conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.claim(key),
          UpdateExpression: 'SET canonicalId = :to',
          ConditionExpression: 'canonicalId = :from',
          ExpressionAttributeValues: { ':from': from, ':to': to },
        }),
      ),
    );
  }

  putCopy(copy: StoredCopy): Promise<boolean> {
    return this.putIfAbsent(copyItem(copy));
  }

  replaceCopy(copy: StoredCopy, expectedHash: string): Promise<boolean> {
    return conditionally(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: copyItem(copy),
          ConditionExpression: 'contentHash = :expected',
          ExpressionAttributeValues: { ':expected': expectedHash },
        }),
      ),
    );
  }

  async setDual(id: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: itemKeys.copy(id),
        UpdateExpression: 'SET dual = :true',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':true': true },
      }),
    );
  }

  async copiesOf(canonicalId: string): Promise<StoredCopy[]> {
    const items = await this.queryAll({
      IndexName: CANONICAL_INDEX,
      KeyConditionExpression: 'gsi2pk = :canonical',
      ExpressionAttributeValues: { ':canonical': `CAN#${canonicalId}` },
    });
    return items.map(copyFrom);
  }

  async listCopies(): Promise<StoredCopy[]> {
    return (await this.byKind('copy')).map(copyFrom);
  }

  async addTrialLink(link: TrialLink): Promise<boolean> {
    const added = await this.putIfAbsent({
      ...itemKeys.trialLink(link),
      gsi1pk: 'KIND#trial-link',
      gsi1sk: `${link.nctId}#${link.member}`,
      ...link,
    });
    if (link.member.startsWith('pmid:')) {
      await this.putIfAbsent({ ...itemKeys.pmidReference(link.member.slice('pmid:'.length), link.nctId) });
    }
    return added;
  }

  async trialsCitingPmid(pmid: string): Promise<string[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `PMIDREF#${pmid}` },
    });
    return items.map((item) => String(item.sk).slice('TRIAL#'.length));
  }

  async listTrialLinks(): Promise<TrialLink[]> {
    return (await this.byKind('trial-link')).map((item) => ({
      nctId: String(item.nctId),
      member: String(item.member),
      via: item.via as TrialLink['via'],
      linkedAt: String(item.linkedAt),
    }));
  }

  // Ingest batches: the journal that lets a run killed half-way be completed by the next one

  async openBatch(head: BatchHead): Promise<BatchHead> {
    const { alert, digest, id, ...fields } = head;
    await this.putIfAbsent({
      ...itemKeys.batchHead(id),
      gsi1pk: OPEN_BATCHES,
      gsi1sk: `${head.createdAt}#${id}`,
      id,
      ...fields,
      ...(alert ? { alert: JSON.stringify(alert) } : {}),
      ...(digest ? { digest: JSON.stringify(digest) } : {}),
    });
    return (await this.getBatch(id)) ?? head;
  }

  async getBatch(id: string): Promise<BatchHead | undefined> {
    const item = await this.get(itemKeys.batchHead(id));
    return item ? headFrom(item) : undefined;
  }

  async openBatches(): Promise<BatchHead[]> {
    return (await this.byKind('batch-open')).map(headFrom);
  }

  touchBatch(id: string, session: string, at: string, readSession: string | undefined): Promise<boolean> {
    return conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.batchHead(id),
          UpdateExpression: 'SET #session = :session, heartbeatAt = :at',
          ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(doneAt) AND ${
            readSession === undefined ? 'attribute_not_exists(#session)' : '#session = :read'
          }`,
          ExpressionAttributeNames: { '#session': 'session' },
          ExpressionAttributeValues: {
            ':session': session,
            ':at': at,
            ...(readSession === undefined ? {} : { ':read': readSession }),
          },
        }),
      ),
    );
  }

  async putBatchEntry(entry: BatchEntry): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...itemKeys.batchEntry(entry.batch, entry.position), data: JSON.stringify(entry) },
      }),
    );
  }

  async batchEntries(id: string): Promise<BatchEntry[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
      ExpressionAttributeValues: { ':pk': `BATCH#${id}`, ':entry': 'ENTRY#' },
      ConsistentRead: true,
    });
    return items.map(entryFrom);
  }

  async markBatchStaged(id: string, at: string): Promise<void> {
    await this.update(id, 'SET stagedAt = if_not_exists(stagedAt, :at)', { ':at': at });
  }

  async markBatchSettled(id: string, at: string): Promise<void> {
    await this.update(id, 'SET settledAt = if_not_exists(settledAt, :at)', { ':at': at });
  }

  async setBatchDigest(id: string, digest: BatchAlert): Promise<BatchAlert> {
    await conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.batchHead(id),
          UpdateExpression: 'SET digest = :digest',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(digest)',
          ExpressionAttributeValues: { ':digest': JSON.stringify(digest) },
        }),
      ),
    );
    return (await this.getBatch(id))?.digest ?? digest;
  }

  claimBatchSend(id: string, session: string, at: string, staleBefore: string): Promise<boolean> {
    return conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.batchHead(id),
          UpdateExpression: 'SET sendingBy = :session, sendingAt = :at',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(sentAt) AND ' +
            '(attribute_not_exists(sendingBy) OR (sendingBy <> :session AND sendingAt < :stale))',
          ExpressionAttributeValues: { ':session': session, ':at': at, ':stale': staleBefore },
        }),
      ),
    );
  }

  async releaseBatchSend(id: string, session: string): Promise<void> {
    await conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.batchHead(id),
          UpdateExpression: 'REMOVE sendingBy, sendingAt',
          ConditionExpression: 'sendingBy = :session',
          ExpressionAttributeValues: { ':session': session },
        }),
      ),
    );
  }

  async markBatchSent(id: string, at: string): Promise<void> {
    await this.update(id, 'SET sentAt = if_not_exists(sentAt, :at) REMOVE sendingBy, sendingAt', {
      ':at': at,
    });
  }

  async closeBatch(id: string, at: string): Promise<boolean> {
    const entries = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
      ExpressionAttributeValues: { ':pk': `BATCH#${id}`, ':entry': 'ENTRY#' },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    for (let start = 0; start < entries.length; start += BATCH_WRITE_LIMIT) {
      let request: Record<string, Item[]> | undefined = {
        [this.tableName]: entries
          .slice(start, start + BATCH_WRITE_LIMIT)
          .map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } })),
      };
      while (request && Object.keys(request).length > 0) {
        const page = await this.client.send(new BatchWriteCommand({ RequestItems: request as never }));
        request = page.UnprocessedItems as typeof request;
      }
    }
    // Run-specific attributes go: a finished batch reads the same whichever runs took part in it.
    return conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.batchHead(id),
          UpdateExpression:
            'SET doneAt = :at REMOVE gsi1pk, gsi1sk, #session, heartbeatAt, sendingBy, sendingAt',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(doneAt)',
          ExpressionAttributeNames: { '#session': 'session' },
          ExpressionAttributeValues: { ':at': at },
        }),
      ),
    );
  }

  /** Records a stage on an open batch's head; a batch done meanwhile (by another run) is left as it is. */
  private async update(id: string, expression: string, values: Item): Promise<void> {
    await conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.batchHead(id),
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(doneAt)',
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  // Screening decisions (append-only)

  async decisionsFor(recordId: string): Promise<Decision[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :dec)',
      ExpressionAttributeValues: { ':pk': `REC#${recordId}`, ':dec': 'DEC#' },
      ConsistentRead: true,
    });
    return items.map(decisionFrom);
  }

  appendDecision(decision: Decision): Promise<boolean> {
    return this.putIfAbsent({
      ...itemKeys.decision(decision),
      gsi1pk: 'KIND#decision',
      gsi1sk: `${decision.decidedAt}#${decision.recordId}#${decision.stage}#${decision.reviewer}#${decision.revision}`,
      ...decision,
    });
  }

  async listDecisions(): Promise<Decision[]> {
    return (await this.byKind('decision')).map(decisionFrom);
  }

  // Source watermarks

  async getWatermark(source: string): Promise<string | undefined> {
    const item = await this.get(itemKeys.watermark(source));
    return typeof item?.lastSuccess === 'string' ? item.lastSuccess : undefined;
  }

  async setWatermark(source: string, lastSuccess: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...itemKeys.watermark(source), source, lastSuccess },
      }),
    );
  }

  // Alerts already sent

  claimAlert(key: string, sentAt: string, owner?: string): Promise<boolean> {
    const item = { ...itemKeys.alert(key), gsi1pk: 'KIND#alert', gsi1sk: `${sentAt}#${key}`, sentAt };
    if (owner === undefined) return this.putIfAbsent(item);
    // The owner claiming again (a resumed batch) keeps the first claim as it was.
    return conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.alert(key),
          UpdateExpression:
            'SET gsi1pk = if_not_exists(gsi1pk, :kind), gsi1sk = if_not_exists(gsi1sk, :order), ' +
            'sentAt = if_not_exists(sentAt, :sentAt), #owner = :owner',
          ConditionExpression: 'attribute_not_exists(pk) OR #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':kind': item.gsi1pk,
            ':order': item.gsi1sk,
            ':sentAt': sentAt,
            ':owner': owner,
          },
        }),
      ),
    );
  }

  async alertSent(key: string): Promise<boolean> {
    return (await this.get(itemKeys.alert(key))) !== undefined;
  }

  async releaseAlert(key: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: itemKeys.alert(key) }));
  }

  // Typed JSON documents (studies, outcome rows)

  async putDocument(document: StoredDocument): Promise<void> {
    const body = await this.storeBody(document.body);
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...itemKeys.document(document.kind, document.id),
          gsi1pk: `KIND#doc#${document.kind}`,
          gsi1sk: boundedKeyValue(document.id),
          kind: document.kind,
          id: document.id,
          updatedAt: document.updatedAt,
          ...body,
        },
      }),
    );
  }

  async getDocument(kind: string, id: string): Promise<StoredDocument | undefined> {
    const item = await this.get(itemKeys.document(kind, id));
    return item ? this.documentFrom(item) : undefined;
  }

  async listDocuments(kind: string): Promise<StoredDocument[]> {
    return Promise.all((await this.byKind(`doc#${kind}`)).map((item) => this.documentFrom(item)));
  }

  // Analysis versions and publish log

  /** The body's chunks (if it needs any) first, then the version's conditional put: the race and the commit. */
  async putAnalysisVersion(version: AnalysisVersion): Promise<boolean> {
    const body = await this.storeBody(version.body);
    return this.putIfAbsent({
      ...itemKeys.analysis(version.version),
      version: version.version,
      hash: version.hash,
      createdAt: version.createdAt,
      ...body,
    });
  }

  async latestAnalysisVersion(): Promise<AnalysisVersion | undefined> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'ANALYSIS' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = page.Items?.[0];
    return item ? this.analysisFrom(item) : undefined;
  }

  async listAnalysisVersions(): Promise<AnalysisVersion[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'ANALYSIS' },
    });
    return Promise.all(items.map((item) => this.analysisFrom(item)));
  }

  async appendPublish(entry: PublishEntry): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...itemKeys.publish(entry), data: JSON.stringify(entry) },
      }),
    );
  }

  async listPublishes(): Promise<PublishEntry[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'PUBLISH' },
    });
    return items.map((item) => JSON.parse(String(item.data)) as PublishEntry);
  }

  // "Included data changed" marker

  async markIncludedDataChanged(at: string, reason: string): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...itemKeys.marker(), changedAt: at, reason } }),
    );
  }

  async includedDataChangedAt(): Promise<string | undefined> {
    const item = await this.get(itemKeys.marker());
    return typeof item?.changedAt === 'string' ? item.changedAt : undefined;
  }
}
