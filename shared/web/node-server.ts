/** The workbench on Node: Hono's Node adapter on 127.0.0.1 only (one machine, no passwords). */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface RunningWorkbench {
  url: string;
  close(): Promise<void>;
}

export function listenLocally(app: Hono, port: number): Promise<RunningWorkbench> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
