/**
 * A stand-in for a deployed review's AWS account: dynalite as a standalone DynamoDB endpoint on 127.0.0.1 (tables
 * made with the project's own table definition), and a small SNS endpoint that records what is published, for the
 * CLI's --table mode run as a child process through AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SNS.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createDynamoClient, documentClientFor } from '#shared/store/config.ts';
import { DynamoStore } from '#shared/store/dynamo.ts';
import { ensureTable } from '#shared/store/table.ts';

export const REGION = 'eu-west-1';

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

export interface RemoteEndpoint {
  endpoint: string;
  client: DynamoDBClient;
  /** Creates a table as the infrastructure does (shared/store/table.ts) and returns the adapter on it. */
  createReviewTable(name: string): Promise<DynamoStore>;
  /** Creates a table with another key schema: somebody else's table. */
  createOtherTable(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startRemoteEndpoint(): Promise<RemoteEndpoint> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const endpoint = await listen(server);
  const client = createDynamoClient(
    { tableName: 'unused', region: REGION, endpoint },
    { accessKeyId: 'test', secretAccessKey: 'test' },
  );
  return {
    endpoint,
    client,
    async createReviewTable(name) {
      await ensureTable(client, name);
      return new DynamoStore(documentClientFor(client), name);
    },
    async createOtherTable(name) {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        }),
      );
    },
    async close() {
      client.destroy();
      await close(server);
    },
  };
}

export interface Published {
  topicArn: string;
  subject: string;
  message: string;
}

export interface FakeSns {
  endpoint: string;
  published: Published[];
  close(): Promise<void>;
}

/** An SNS endpoint answering Publish (the query protocol the SDK speaks) and keeping each message. */
export async function startFakeSns(): Promise<FakeSns> {
  const published: Published[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      const form = new URLSearchParams(body);
      if (form.get('Action') !== 'Publish') {
        response.writeHead(400, { 'content-type': 'text/xml' });
        response.end('<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>');
        return;
      }
      published.push({
        topicArn: form.get('TopicArn') ?? '',
        subject: form.get('Subject') ?? '',
        message: form.get('Message') ?? '',
      });
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-${published.length}</MessageId></PublishResult><ResponseMetadata><RequestId>r-${published.length}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  const endpoint = await listen(server);
  return { endpoint, published, close: () => close(server) };
}

/** A DynamoDB endpoint answering every request with one error, as AWS does (`__type` names the exception). */
export async function startRefusingEndpoint(
  type: string,
  message: string,
): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }));
    });
  });
  const endpoint = await listen(server);
  return { endpoint, close: () => close(server) };
}
