/**
 * The review team's workbench in AWS: functions/workbench behind an HTTP API of its own (its paths /queue and
 * /records/{id}/decisions are pages, not the screening API's JSON routes), the team's Cognito sign-in, and
 * functions/workbench-authorizer as a Lambda REQUEST authorizer on every route but the few a signed-out browser
 * must reach. The workbench function gets the access of the use cases its pages run (infra/table-access.ts),
 * the site bucket (it republishes after a change) and the alert topic (a change may alert the team).
 */
import { Duration, Validations } from 'aws-cdk-lib';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpRoute,
  type HttpStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { LAMBDA_ENV } from '#shared/config/lambda-env.ts';
import { TABLE_ACCESS } from '../table-access.ts';
import { ProjectFunction } from './project-function.ts';
import { loggedStage } from './screening-api.ts';
import { TeamSignIn } from './team-sign-in.ts';

/**
 * The routes with no authorizer, and why each must be public: a browser without a session has to reach them.
 * Everything else (`ANY /` and `ANY /{proxy+}`) goes through the session-cookie authorizer.
 */
export const PUBLIC_WORKBENCH_ROUTES: readonly { method: HttpMethod; path: string; why: string }[] = [
  {
    method: HttpMethod.GET,
    path: '/signin',
    why: "Starting a sign-in happens before there is a session: it only sets a one-time state cookie and redirects to Cognito's hosted sign-in.",
  },
  {
    method: HttpMethod.GET,
    path: '/signin/callback',
    why: "Cognito's redirect back carries the code that makes the session, so it cannot require one: the state cookie, the PKCE code exchange and the ID token's verification protect it.",
  },
  {
    method: HttpMethod.GET,
    path: '/imports/uploaded',
    why: 'S3 sends the browser here after a large upload; that navigation comes from S3, so Firefox and Safari do not send the SameSite=Strict session cookie. The page shows nothing of the review and goes on to /imports by itself, with the cookie.',
  },
  {
    method: HttpMethod.GET,
    path: '/assets/{proxy+}',
    why: 'The stylesheet and keyboard script are the same fixed files for everyone, and the sign-in pages use them before a session exists.',
  },
];

export interface WorkbenchProps {
  reviewId: string;
  table: ITable;
  siteBucket: IBucket;
  siteUrl: string;
  alerts: ITopic;
}

export class Workbench extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly signIn: TeamSignIn;
  readonly fn: ProjectFunction;
  readonly authorizerFn: ProjectFunction;
  /** The workbench's address, with a trailing slash. */
  readonly url: string;
  readonly publicRoutes: HttpRoute[] = [];

  constructor(scope: Construct, id: string, props: WorkbenchProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      apiName: `living-review-${props.reviewId}-workbench`,
      description: "living-review workbench (the review team's pages, behind Cognito sign-in)",
      createDefaultStage: false,
    });
    this.url = `${this.api.apiEndpoint}/`;
    this.signIn = new TeamSignIn(this, 'SignIn', { reviewId: props.reviewId, appUrl: this.url });

    const cognito = {
      [LAMBDA_ENV.cognitoUserPoolId]: this.signIn.userPool.userPoolId,
      [LAMBDA_ENV.cognitoClientId]: this.signIn.client.userPoolClientId,
    };
    this.fn = new ProjectFunction(this, 'Function', {
      name: 'workbench',
      description: "living-review: the review team's workbench (screening, studies, extraction, imports)",
      // A change re-runs the analysis and republishes before the page answers (API Gateway waits 30 s at most).
      timeout: Duration.seconds(29),
      memorySize: 1024,
      reviewId: props.reviewId,
      environment: {
        ...cognito,
        [LAMBDA_ENV.cognitoDomainUrl]: this.signIn.domainUrl,
        [LAMBDA_ENV.cognitoCallbackUrl]: this.signIn.callbackUrl,
        [LAMBDA_ENV.siteUrl]: props.siteUrl,
      },
    })
      .useReviewTable(props.table, TABLE_ACCESS.workbench)
      .useBucket(props.siteBucket)
      .useTopic(props.alerts);

    // Reads no AWS resource: it checks the token against the pool's public keys (fetched over HTTPS).
    this.authorizerFn = new ProjectFunction(this, 'AuthorizerFunction', {
      name: 'workbench-authorizer',
      description: 'living-review: lets a request reach the workbench only with a valid sign-in cookie',
      timeout: Duration.seconds(10),
      memorySize: 256,
      reviewId: props.reviewId,
      environment: cognito,
    });

    const integration = new HttpLambdaIntegration('Workbench', this.fn);
    const authorizer = new HttpLambdaAuthorizer('SessionCookie', this.authorizerFn, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Cookie'],
      // A verdict is kept for one Cookie header for 5 minutes; the workbench checks the token on every request.
      resultsCacheTtl: Duration.minutes(5),
    });
    this.api.addRoutes({ path: '/', methods: [HttpMethod.ANY], integration, authorizer });
    this.api.addRoutes({ path: '/{proxy+}', methods: [HttpMethod.ANY], integration, authorizer });
    for (const route of PUBLIC_WORKBENCH_ROUTES) {
      const [added] = this.api.addRoutes({
        path: route.path,
        methods: [route.method],
        integration,
        authorizer: new HttpNoneAuthorizer(),
      });
      if (!added) throw new Error(`no route for ${route.path}`);
      Validations.of(added).acknowledge({ id: 'AwsSolutions-APIG4', reason: route.why });
      this.publicRoutes.push(added);
    }

    this.stage = loggedStage(this, this.api, '$context.authorizer.username');
  }
}
