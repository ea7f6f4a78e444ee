import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticServer, startStaticServer } from '#shared/publishing/static-server.ts';
import { runCli } from '#test/support/cli.ts';

/** A raw request, so paths like /../ reach the server unnormalised. */
function get(server: StaticServer, path: string, method = 'GET') {
  return new Promise<{ status: number; type: string | undefined; body: string }>((done, fail) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () =>
        done({ status: response.statusCode ?? 0, type: response.headers['content-type'], body }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

describe('the preview server', () => {
  let folder: string;
  let server: StaticServer;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'living-review-serve-'));
    await mkdir(join(folder, 'site'));
    await writeFile(join(folder, 'site', 'index.html'), '<!DOCTYPE html><title>t</title>');
    await writeFile(join(folder, 'site', 'style.0123abcd.css'), 'body{}');
    await writeFile(join(folder, 'site', 'feed.xml'), '<feed/>');
    await writeFile(join(folder, 'secret.txt'), 'outside');
    await symlink(join(folder, 'secret.txt'), join(folder, 'site', 'link.txt'));
    server = await startStaticServer(join(folder, 'site'), 0);
  });

  afterAll(async () => {
    await server.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves index.html for the folder with an HTML content type', async () => {
    const response = await get(server, '/');
    expect(response.status).toBe(200);
    expect(response.type).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<title>t</title>');
  });

  it('serves the stylesheet and the feed with their content types', async () => {
    expect((await get(server, '/style.0123abcd.css')).type).toBe('text/css; charset=utf-8');
    expect((await get(server, '/feed.xml')).type).toBe('application/atom+xml; charset=utf-8');
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/index.html%00.css',
    '/link.txt',
    '/%E0%A4%A',
  ])('refuses %s', async (path) => {
    const response = await get(server, path);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('outside');
  });

  it('answers 404 for a missing file and 405 for a POST', async () => {
    expect((await get(server, '/missing.html')).status).toBe(404);
    expect((await get(server, '/', 'POST')).status).toBe(405);
  });
});

describe('the serve verb', () => {
  it('refuses a port that is not a number with exit code 2', async () => {
    const run = await runCli(['serve', '--port', 'eighty']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--port must be a whole number');
  });

  it('refuses a site folder that does not exist with exit code 2', async () => {
    const run = await runCli(['serve', '--site', '/nonexistent/living-review-site', '--port', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("run 'living-review publish' first");
  });

  it('explains itself with --help', async () => {
    const run = await runCli(['serve', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--site DIR');
  });
});
