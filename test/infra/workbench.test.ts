/**
 * The workbench in AWS as synthesized: the team's Cognito user pool and app client, the authorizer on every route
 * of both HTTP APIs but the named sign-in and asset routes, and the workbench function's grants exactly as
 * infra/table-access.ts derives them.
 */
import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '#shared/errors.ts';
import { KIND_INDEX } from '#shared/store/table.ts';
import { actionsOf, resourcesOf, type Statement } from '#test/support/iam.ts';
import {
  deployContext,
  type SynthesizedReview,
  synthesizeReview,
  WITHOUT_BUNDLING,
} from '#test/support/infra.ts';
import { hostedSignInPrefix, SESSION_HOURS } from '../../infra/constructs/team-sign-in.ts';
import { PUBLIC_WORKBENCH_ROUTES } from '../../infra/constructs/workbench.ts';
import { TABLE_ACCESS } from '../../infra/table-access.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

let review: SynthesizedReview;
// The construct tree is the subject here, not the bundles (test/infra/bundles.test.ts builds those).
const context = deployContext(WITHOUT_BUNDLING);

beforeAll(() => {
  review = synthesizeReview(context);
}, 120_000);

const id = (construct: IConstruct) =>
  review.stateless.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
const resources = (type: string) => review.statelessTemplate.findResources(type) as Record<string, Resource>;
const workbench = () => review.stateless.workbench;
const ref = (construct: IConstruct) => ({ Ref: id(construct) });
const workbenchEndpoint = () => ({ 'Fn::GetAtt': [id(workbench().api), 'ApiEndpoint'] });

function statementsOfRole(role: IConstruct | undefined): Statement[] {
  if (!role) throw new Error('no role');
  return Object.values(resources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([ref(role)]))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

function acknowledged(construct: IConstruct): Record<string, string> {
  const found: Record<string, string> = {};
  for (let scope: IConstruct | undefined = construct; scope; scope = scope.node.scope) {
    for (const entry of scope.node.metadata) {
      if (entry.type === 'aws:cdk:acknowledged-rules') Object.assign(found, entry.data);
    }
  }
  return found;
}

describe("the team's user pool", () => {
  const pool = () => resources('AWS::Cognito::UserPool')[id(workbench().signIn.userPool)];

  it('lets only an administrator add people, who sign in by user name or e-mail', () => {
    expect(Object.keys(resources('AWS::Cognito::UserPool'))).toHaveLength(1);
    expect(pool()?.Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      AliasAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
  });

  it('asks for a strong password, offers TOTP MFA (no SMS) and runs threat protection', () => {
    expect(pool()?.Properties).toMatchObject({
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
    review.statelessTemplate.hasResourceProperties('AWS::Cognito::UserPoolRiskConfigurationAttachment', {
      UserPoolId: ref(workbench().signIn.userPool),
      ClientId: 'ALL',
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } },
    });
  });

  it('keeps the accounts when the stack is deleted', () => {
    expect(pool()?.DeletionPolicy).toBe('Retain');
  });

  it('has exactly the groups reviewer and lead', () => {
    const groups = Object.values(resources('AWS::Cognito::UserPoolGroup'));
    expect(groups.map((group) => group.Properties.GroupName).sort()).toEqual(['lead', 'reviewer']);
    for (const group of groups) expect(group.Properties.UserPoolId).toEqual(ref(workbench().signIn.userPool));
  });

  it('has a hosted sign-in domain named after the review and the account', () => {
    const domains = Object.values(resources('AWS::Cognito::UserPoolDomain'));
    expect(domains.map((domain) => domain.Properties)).toEqual([
      {
        Domain: { 'Fn::Join': ['', [`lr-${context.reviewId}-`, { Ref: 'AWS::AccountId' }]] },
        UserPoolId: ref(workbench().signIn.userPool),
      },
    ]);
  });

  it.each([
    ['too long for a domain prefix', 'a'.repeat(48)],
    ['containing a word Cognito refuses', 'laws-of-peer-support'],
  ])('refuses a review id %s at synth', (_, reviewId) => {
    expect(() => hostedSignInPrefix(reviewId)).toThrow(ConfigError);
  });
});

describe("the workbench's app client", () => {
  const client = () => resources('AWS::Cognito::UserPoolClient')[id(workbench().signIn.client)];

  it('is the only client: public (no secret), authorization-code grant only, Cognito users only', () => {
    expect(Object.keys(resources('AWS::Cognito::UserPoolClient'))).toEqual([id(workbench().signIn.client)]);
    expect(client()?.Properties).toMatchObject({
      UserPoolId: ref(workbench().signIn.userPool),
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email'],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it("returns only to the workbench's own callback, and signs out to its sign-in", () => {
    expect(client()?.Properties.CallbackURLs).toEqual([
      { 'Fn::Join': ['', [workbenchEndpoint(), '/signin/callback']] },
    ]);
    expect(client()?.Properties.LogoutURLs).toEqual([{ 'Fn::Join': ['', [workbenchEndpoint(), '/signin']] }]);
  });

  it('issues ID tokens for a working day, the session the workbench keeps', () => {
    expect(client()?.Properties).toMatchObject({
      IdTokenValidity: SESSION_HOURS * 60,
      TokenValidityUnits: { IdToken: 'minutes' },
    });
  });
});

describe('the authorizer on every route', () => {
  const routes = () => Object.values(resources('AWS::ApiGatewayV2::Route'));
  const authorizers = () => resources('AWS::ApiGatewayV2::Authorizer');
  const onApi = (apiId: string) =>
    routes().filter((route) => JSON.stringify(route.Properties.ApiId) === JSON.stringify({ Ref: apiId }));
  const publicKeys = PUBLIC_WORKBENCH_ROUTES.map((route) => `${route.method} ${route.path}`);

  it('leaves only the named sign-in, asset and upload landing routes of the workbench without one', () => {
    const open = routes().filter((route) => route.Properties.AuthorizationType === 'NONE');
    const named = ['GET /assets/{proxy+}', 'GET /signin', 'GET /signin/callback', 'GET /imports/uploaded'];
    expect(open.map((route) => route.Properties.RouteKey).sort()).toEqual(named.sort());
    expect(publicKeys.sort()).toEqual(named.sort());
    for (const route of open) {
      expect(route.Properties.ApiId).toEqual(ref(workbench().api));
      expect(route.Properties.AuthorizerId).toBeUndefined();
    }
    for (const route of routes().filter((candidate) => candidate.Properties.AuthorizationType !== 'NONE')) {
      expect(['JWT', 'CUSTOM']).toContain(route.Properties.AuthorizationType);
      expect(authorizers()[(route.Properties.AuthorizerId as { Ref: string }).Ref]).toBeDefined();
    }
  });

  it('says why each public route is public, where cdk-nag would flag it', () => {
    expect(workbench().publicRoutes).toHaveLength(PUBLIC_WORKBENCH_ROUTES.length);
    for (const route of workbench().publicRoutes) {
      const reasons = Object.entries(acknowledged(route))
        .filter(([rule]) => rule.includes('AwsSolutions-APIG4'))
        .map(([, reason]) => reason);
      expect(reasons).toHaveLength(1);
      expect(reasons[0]?.length).toBeGreaterThan(60);
    }
  });

  it("checks the session cookie with the workbench authorizer function on the workbench's other routes", () => {
    const workbenchRoutes = onApi(id(workbench().api));
    expect(workbenchRoutes.map((route) => route.Properties.RouteKey).sort()).toEqual(
      ['ANY /', 'ANY /{proxy+}', ...publicKeys].sort(),
    );
    const guarded = workbenchRoutes.filter((route) => route.Properties.AuthorizationType !== 'NONE');
    expect(guarded.map((route) => route.Properties.RouteKey).sort()).toEqual(['ANY /', 'ANY /{proxy+}']);
    for (const route of guarded) {
      expect(route.Properties.AuthorizationType).toBe('CUSTOM');
      const authorizer = authorizers()[(route.Properties.AuthorizerId as { Ref: string }).Ref];
      expect(authorizer?.Properties).toMatchObject({
        ApiId: ref(workbench().api),
        AuthorizerType: 'REQUEST',
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        IdentitySource: ['$request.header.Cookie'],
      });
      expect(JSON.stringify(authorizer?.Properties.AuthorizerUri)).toContain(
        JSON.stringify({ 'Fn::GetAtt': [id(workbench().authorizerFn), 'Arn'] }),
      );
    }
  });

  it('sends every workbench route, public or not, to the workbench function', () => {
    const integrations = resources('AWS::ApiGatewayV2::Integration');
    for (const route of onApi(id(workbench().api))) {
      const target = JSON.stringify(route.Properties.Target);
      const integration = Object.entries(integrations).find(([integrationId]) =>
        target.includes(integrationId),
      );
      expect(JSON.stringify(integration?.[1].Properties.IntegrationUri)).toContain(id(workbench().fn));
    }
  });

  it("lets API Gateway invoke the authorizer function, on the workbench's API only", () => {
    const permissions = Object.values(resources('AWS::Lambda::Permission')).filter(
      (permission) =>
        JSON.stringify(permission.Properties.FunctionName) ===
        JSON.stringify({ 'Fn::GetAtt': [id(workbench().authorizerFn), 'Arn'] }),
    );
    expect(permissions.length).toBeGreaterThan(0);
    for (const permission of permissions) {
      expect(permission.Properties.Principal).toBe('apigateway.amazonaws.com');
      expect(JSON.stringify(permission.Properties.SourceArn)).toContain(id(workbench().api));
    }
  });
});

describe("the workbench functions' access", () => {
  const tableArn = () => ({ 'Fn::ImportValue': `${review.stateful.stackName}-TableArn` });
  const onTable = (statement: Statement) =>
    resourcesOf(statement).some((resource) =>
      JSON.stringify(resource).includes(`"${review.stateful.stackName}-TableArn"`),
    );

  it('grants the workbench on the review table exactly what infra/table-access.ts says, statement by statement', () => {
    const access = TABLE_ACCESS.workbench;
    const table = statementsOfRole(workbench().fn.role).filter(onTable);
    const expected = [
      { Action: [...access.read], Resource: tableArn() },
      {
        Action: 'dynamodb:Query',
        Resource: { 'Fn::Join': ['', [tableArn(), `/index/${KIND_INDEX}`]] },
      },
      ...Object.entries(access.write).map(([action, partitions]) => ({
        Action: action,
        Resource: tableArn(),
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...partitions] } },
      })),
    ];
    expect(
      table.map(({ Action, Resource, Condition }) => ({
        Action,
        Resource,
        ...(Condition ? { Condition } : {}),
      })),
    ).toEqual(expected);
    expect(table.every((statement) => statement.Effect === 'Allow')).toBe(true);
  });

  it('gives the workbench nothing else but its logs, the site bucket, the alert topic and putting uploads', () => {
    const others = statementsOfRole(workbench().fn.role)
      .filter((statement) => !onTable(statement))
      .flatMap(actionsOf)
      .sort();
    expect(others).toEqual(
      [
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:DeleteObject',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
        // Upload forms are signed with the workbench's role: on uploads/* only (test/infra/contract.test.ts).
        's3:PutObject',
        'sns:Publish',
      ].sort(),
    );
  });

  it('gives the authorizer function nothing but its own logs', () => {
    const actions = statementsOfRole(workbench().authorizerFn.role).flatMap(actionsOf).sort();
    expect(actions).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
  });

  it('binds the Cognito settings the handlers read to this pool, client, domain and callback', () => {
    const variables = (fn: IConstruct) => {
      const environment = resources('AWS::Lambda::Function')[id(fn)]?.Properties.Environment as
        | { Variables: Record<string, unknown> }
        | undefined;
      return environment?.Variables ?? {};
    };
    const signIn = workbench().signIn;
    expect(variables(workbench().fn)).toMatchObject({
      LIVING_REVIEW_COGNITO_USER_POOL_ID: ref(signIn.userPool),
      LIVING_REVIEW_COGNITO_CLIENT_ID: ref(signIn.client),
      LIVING_REVIEW_COGNITO_CALLBACK_URL: { 'Fn::Join': ['', [workbenchEndpoint(), '/signin/callback']] },
      LIVING_REVIEW_SITE_URL: { 'Fn::ImportValue': `${review.stateful.stackName}-SiteUrl` },
    });
    expect(JSON.stringify(variables(workbench().fn).LIVING_REVIEW_COGNITO_DOMAIN_URL)).toContain(
      JSON.stringify(ref(signIn.domain)),
    );
    expect(variables(workbench().authorizerFn)).toMatchObject({
      LIVING_REVIEW_COGNITO_USER_POOL_ID: ref(signIn.userPool),
      LIVING_REVIEW_COGNITO_CLIENT_ID: ref(signIn.client),
    });
  });
});

describe('the outputs', () => {
  it("name the user pool and the workbench's address", () => {
    const outputs = review.statelessTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.UserPoolId?.Value).toEqual(ref(workbench().signIn.userPool));
    // The sign-in, the one page a browser without a session cookie can open.
    expect(outputs.WorkbenchUrl?.Value).toEqual({ 'Fn::Join': ['', [workbenchEndpoint(), '/signin']] });
    expect(outputs.ScreeningApiInvokeArn).toBeUndefined();
  });
});
