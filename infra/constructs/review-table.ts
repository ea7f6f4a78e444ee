/**
 * The review's single table, built from the same definition the local store creates on dynalite
 * (shared/store/table.ts), so the deployed key schema and indexes cannot drift from what the adapter queries.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { tableDefinition } from '#shared/store/table.ts';

type KeySchema = { AttributeName?: string; KeyType?: string }[] | undefined;

const ATTRIBUTE_TYPES: Record<string, AttributeType> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
  B: AttributeType.BINARY,
};

function keyNamed(schema: KeySchema, keyType: 'HASH' | 'RANGE'): { name: string; type: AttributeType } {
  const definition = tableDefinition('unused');
  const name = schema?.find((key) => key.KeyType === keyType)?.AttributeName;
  const declared = definition.AttributeDefinitions?.find((attribute) => attribute.AttributeName === name);
  const type = ATTRIBUTE_TYPES[declared?.AttributeType ?? ''];
  if (!name || !type)
    throw new Error(`table definition: no typed ${keyType} key in ${JSON.stringify(schema)}`);
  return { name, type };
}

export class ReviewTable extends Table {
  constructor(scope: Construct, id: string) {
    const definition = tableDefinition('unused');
    super(scope, id, {
      partitionKey: keyNamed(definition.KeySchema, 'HASH'),
      sortKey: keyNamed(definition.KeySchema, 'RANGE'),
      billingMode: BillingMode.PAY_PER_REQUEST,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of definition.GlobalSecondaryIndexes ?? []) {
      if (!index.IndexName) throw new Error('table definition: an index without a name');
      this.addGlobalSecondaryIndex({
        indexName: index.IndexName,
        partitionKey: keyNamed(index.KeySchema, 'HASH'),
        sortKey: keyNamed(index.KeySchema, 'RANGE'),
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
