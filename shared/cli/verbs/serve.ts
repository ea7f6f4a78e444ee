import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '#shared/errors.ts';
import { startStaticServer } from '#shared/publishing/static-server.ts';
import { optionalString } from '../options.ts';
import type { Verb } from '../verb.ts';

const DEFAULT_PORT = 8080;

export function parsePort(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PORT;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    throw new InputError(`--port must be a whole number from 0 to 65535 (got ${JSON.stringify(raw)})`);
  }
  return port;
}

async function requireFolder(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new InputError(`--site ${path} is not a folder; run 'living-review publish' first`);
  }
}

export const serve: Verb = {
  name: 'serve',
  summary: 'Preview the published site over HTTP on 127.0.0.1',
  help: `Usage: living-review serve [--site DIR] [--port N]

Serves the published site folder on http://127.0.0.1 so you can look at it in a browser before it goes out.
Stops on Ctrl-C.

Options:
  --site DIR   the site folder (default ./site, as written by 'living-review publish')
  --port N     the port (default ${DEFAULT_PORT}; 0 picks a free one)
  -h, --help   show this help`,
  options: {
    site: { type: 'string' },
    port: { type: 'string' },
  },
  async run({ values }, io) {
    const site = resolve(io.cwd, optionalString(values, 'site') ?? 'site');
    const port = parsePort(optionalString(values, 'port'));
    await requireFolder(site);
    const server = await startStaticServer(site, port);
    io.stdout(`Serving ${site} at ${server.url} (Ctrl-C to stop)\n`);
    await new Promise<void>((stop) => {
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
