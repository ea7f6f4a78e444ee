/**
 * The deployment's settings from CDK context (cdk.json defaults, overridden with `-c key=value`), validated once.
 * A bad value fails synth with a message naming the context key.
 */
import * as z from 'zod';
import { ConfigError } from '#shared/errors.ts';

const scheduleExpression = z
  .string()
  .regex(/^(cron|rate)\(.+\)$/, 'must be an EventBridge Scheduler cron(...) or rate(...) expression');

/** `-c alertEmails=a@x.org,b@y.org` arrives as one string; cdk.json may hold a list. */
const emailList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(','))
      .map((email) => email.trim())
      .filter((email) => email !== ''),
  )
  .pipe(z.array(z.email()));

const DeployConfigSchema = z.object({
  reviewId: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and hyphens'),
  pubmedSchedule: scheduleExpression,
  ctgovSchedule: scheduleExpression,
  reanalyseSchedule: scheduleExpression,
  publishSchedule: scheduleExpression,
  scheduleTimeZone: z.string().min(1),
  alertEmails: emailList,
  /** Sent to NCBI with every E-utilities request, as NCBI asks, so they can reach the operator; may be empty. */
  ncbiEmail: z.union([z.literal(''), z.email()]),
  ncbiKeyParameter: z
    .string()
    .regex(/^\/[A-Za-z0-9_.\-/]+$/, 'must be an SSM parameter name starting with /'),
});

export type DeployConfig = z.infer<typeof DeployConfigSchema>;

export const CONTEXT_KEYS = Object.keys(DeployConfigSchema.shape) as (keyof DeployConfig)[];

export function deployConfigFrom(context: (key: string) => unknown): DeployConfig {
  const parsed = DeployConfigSchema.safeParse(
    Object.fromEntries(CONTEXT_KEYS.map((key) => [key, context(key)])),
  );
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `context ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(issues.join('; '));
  }
  return parsed.data;
}
