/**
 * The review team's accounts: an Amazon Cognito user pool that only an administrator adds people to (no self
 * sign-up), signing in by user name or e-mail with a strong password and optional TOTP MFA, behind Cognito's
 * hosted sign-in. The groups `reviewer` and `lead` are the workbench's roles. One public app client (no secret:
 * the workbench runs the authorization-code flow with PKCE) is the audience of every ID token the workbench and the
 * screening API accept.
 *
 * The pool holds the team's accounts, so it is retained when the stack is deleted, like the review's table.
 */
import { Aws, Duration, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  CfnUserPoolRiskConfigurationAttachment,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ConfigError } from '#shared/errors.ts';
import { ROLE_GROUPS } from '#shared/web/cognito-claims.ts';

/**
 * How long a sign-in lasts: the ID token kept in the workbench's cookie, and so the session. A working day, so a
 * reviewer is not sent back to the sign-in (and API Gateway's authorizer does not refuse a form) mid-session.
 */
export const SESSION_HOURS = 8;

/** Cognito refuses a domain prefix over 63 characters or with these words in it. */
const PREFIX_FORBIDDEN = /aws|amazon|cognito/;

/**
 * The hosted sign-in's domain prefix: unique per region across AWS accounts, so it names the review and the
 * account (`lr-<review id>-<account id>`). A review id that cannot make a valid prefix fails synth.
 */
export function hostedSignInPrefix(reviewId: string): string {
  const prefix = `lr-${reviewId}-`;
  if (prefix.length + 12 > 63) {
    throw new ConfigError(`reviewId ${reviewId}: at most 47 characters, for the sign-in's domain prefix`);
  }
  if (PREFIX_FORBIDDEN.test(prefix)) {
    throw new ConfigError(
      `reviewId ${reviewId}: Cognito refuses a sign-in domain containing aws, amazon or cognito`,
    );
  }
  return `${prefix}${Aws.ACCOUNT_ID}`;
}

export interface TeamSignInProps {
  reviewId: string;
  /** The workbench's address with a trailing slash (a token): the sign-in returns to <appUrl>signin/callback. */
  appUrl: string;
}

export class TeamSignIn extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  /** https://<prefix>.auth.<region>.amazoncognito.com */
  readonly domainUrl: string;
  readonly callbackUrl: string;
  readonly signedOutUrl: string;

  constructor(scope: Construct, id: string, props: TeamSignInProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.appUrl) && !props.appUrl.endsWith('/')) {
      throw new Error(`appUrl ${props.appUrl} must end with /`);
    }
    this.callbackUrl = `${props.appUrl}signin/callback`;
    this.signedOutUrl = `${props.appUrl}signin`;

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `living-review-${props.reviewId}`,
      // The lead adds people (README, Deploy); nobody makes their own account.
      selfSignUpEnabled: false,
      // The user name is the id recorded with every decision: chosen by the administrator, never changed.
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Threat protection (Plus): sign-ins with leaked passwords are blocked, risky ones challenged (below).
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      userInvitation: {
        emailSubject: `Your account for the ${props.reviewId} review workbench`,
        emailBody: `You have an account on the living-review workbench of the ${props.reviewId} review. User name: {username}. Temporary password: {####} (valid for 3 days). Sign in at ${this.signedOutUrl} and choose your own password.`,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        "MFA is optional (TOTP) by the project's choice (issue 11): accounts are made by an administrator only, passwords are 12+ characters with every class, and threat protection blocks sign-ins with leaked passwords and high-risk ones, and asks medium-risk ones for the TOTP code when the user has one; setting mfa to REQUIRED makes every user enrol.",
    });

    new CfnUserPoolRiskConfigurationAttachment(this, 'ThreatProtection', {
      userPoolId: this.userPool.userPoolId,
      clientId: 'ALL',
      compromisedCredentialsRiskConfiguration: { actions: { eventAction: 'BLOCK' } },
      accountTakeoverRiskConfiguration: {
        actions: {
          lowAction: { eventAction: 'NO_ACTION', notify: false },
          mediumAction: { eventAction: 'MFA_IF_CONFIGURED', notify: false },
          highAction: { eventAction: 'BLOCK', notify: false },
        },
      },
    });

    for (const group of ROLE_GROUPS) {
      this.userPool.addGroup(`${group[0]?.toUpperCase()}${group.slice(1)}Group`, {
        groupName: group,
        description:
          group === 'lead'
            ? 'Leads: screen, and settle conflicts between reviewers'
            : 'Reviewers: screen, enter outcome data, import files',
      });
    }

    this.domain = this.userPool.addDomain('HostedSignIn', {
      cognitoDomain: { domainPrefix: hostedSignInPrefix(props.reviewId) },
    });
    this.domainUrl = this.domain.baseUrl();

    this.client = this.userPool.addClient('WorkbenchClient', {
      userPoolClientName: 'workbench',
      // A public client: the browser's code is traded with PKCE, so there is no secret to keep.
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: [this.callbackUrl],
        logoutUrls: [this.signedOutUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      // SRP for Cognito's own sign-in; password auth so a script can get an ID token for the screening API
      // (`aws cognito-idp initiate-auth`, README); both go through the same threat protection and MFA.
      authFlows: { userSrp: true, userPassword: true },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(SESSION_HOURS),
      accessTokenValidity: Duration.hours(SESSION_HOURS),
      refreshTokenValidity: Duration.days(1),
      enableTokenRevocation: true,
    });
  }

  /** API Gateway's JWT authorizer for this pool's ID tokens issued to the workbench's client. */
  apiAuthorizer(id: string): HttpUserPoolAuthorizer {
    return new HttpUserPoolAuthorizer(id, this.userPool, {
      userPoolClients: [this.client],
      identitySource: ['$request.header.Authorization'],
    });
  }
}
