/**
 * Source configuration, read once from the environment and validated with zod: E-utilities identity (tool, email,
 * optional API key) and the two base URLs (overridden for offline runs and tests).
 */
import * as z from 'zod';
import { ConfigError } from '#shared/errors.ts';

const SourceConfigSchema = z.object({
  ncbiEmail: z.email('NCBI_EMAIL must be an email address NCBI can contact').optional(),
  ncbiApiKey: z
    .string()
    .regex(/^[A-Za-z0-9]+$/, 'NCBI_API_KEY must be the key NCBI issued (letters and digits)')
    .optional(),
  ncbiTool: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'NCBI_TOOL must be a name without spaces')
    .default('living-review'),
  pubmedBaseUrl: z
    .url('PUBMED_BASE_URL must be a URL')
    .default('https://eutils.ncbi.nlm.nih.gov/entrez/eutils'),
  ctgovBaseUrl: z.url('CTGOV_BASE_URL must be a URL').default('https://clinicaltrials.gov/api/v2'),
});

export type SourceConfig = z.infer<typeof SourceConfigSchema>;

export function sourceConfigFromEnv(env: Record<string, string | undefined>): SourceConfig {
  const parsed = SourceConfigSchema.safeParse({
    ncbiEmail: env.NCBI_EMAIL || undefined,
    ncbiApiKey: env.NCBI_API_KEY || undefined,
    ncbiTool: env.NCBI_TOOL || undefined,
    pubmedBaseUrl: env.PUBMED_BASE_URL || undefined,
    ctgovBaseUrl: env.CTGOV_BASE_URL || undefined,
  });
  if (!parsed.success) {
    throw new ConfigError(
      `source configuration: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`,
    );
  }
  return {
    ...parsed.data,
    pubmedBaseUrl: trimSlash(parsed.data.pubmedBaseUrl),
    ctgovBaseUrl: trimSlash(parsed.data.ctgovBaseUrl),
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
