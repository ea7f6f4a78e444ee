/**
 * The screening HTTP API: API Gateway HTTP API in front of functions/screening-api, with a JWT authorizer on
 * every route (a Cognito ID token of the review team's user pool and app client, `Authorization: Bearer`; the
 * handler takes the reviewer from its claims). There is no $default route, so nothing is reachable anonymously.
 * Access logs are JSON.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The routes functions/screening-api/handler.ts serves. */
export const SCREENING_ROUTES: readonly { method: HttpMethod; path: string }[] = [
  { method: HttpMethod.GET, path: '/queue' },
  { method: HttpMethod.GET, path: '/status' },
  { method: HttpMethod.POST, path: '/records/{id}/decisions' },
];

/**
 * HTTP API access-log variables (REST API ones such as $context.resourcePath are rejected by HTTP APIs). `caller`
 * names who the authorizer let through: a JWT claim, or a key of a Lambda authorizer's context.
 */
export function accessLogFields(caller: string): Record<string, string> {
  return {
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    caller,
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    authorizerError: '$context.authorizer.error',
    integrationError: '$context.integrationErrorMessage',
  };
}

export class ScreeningApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: { fn: IFunction; authorizer: IHttpRouteAuthorizer }) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: "living-review screening API (the review team's Cognito ID tokens only)",
      defaultAuthorizer: props.authorizer,
      createDefaultStage: false,
    });
    const integration = new HttpLambdaIntegration('Screening', props.fn);
    for (const route of SCREENING_ROUTES) {
      this.api.addRoutes({ path: route.path, methods: [route.method], integration });
    }
    this.stage = loggedStage(this, this.api, '$context.authorizer.claims.sub');
  }
}

/** An API's one stage: throttled, auto-deployed, its access log (who called, from `principal`) kept 3 months. */
export function loggedStage(scope: Construct, api: HttpApi, principal: string): HttpStage {
  const accessLogs = new LogGroup(scope, 'AccessLogs', {
    retention: RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return new HttpStage(scope, 'DefaultStage', {
    httpApi: api,
    autoDeploy: true,
    throttle: { rateLimit: 20, burstLimit: 40 },
    accessLogSettings: {
      destination: new LogGroupLogDestination(accessLogs),
      format: AccessLogFormat.custom(JSON.stringify(accessLogFields(principal))),
    },
  });
}
