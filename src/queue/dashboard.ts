/**
 * `si sweep dashboard`: the queue in a browser, through bull-board (jobs by state, their data,
 * progress, results and errors; retry or remove one), served by Express on this machine.
 *
 * @example
 *   const server = await serveDashboard('redis://127.0.0.1:6379', { port: 3000 });   // http://127.0.0.1:3000/
 */
import type { Server } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import express from 'express';
import { queueConnection } from './enqueue';
import { SWEEP_QUEUE } from './jobs';

export interface DashboardOptions {
  readonly port: number;
  /** Interface to listen on; default 127.0.0.1 (the dashboard can retry and remove jobs: no login). */
  readonly host?: string;
}

export async function serveDashboard(url: string, opts: DashboardOptions): Promise<{ server: Server; url: string }> {
  const queue = new Queue(SWEEP_QUEUE, { connection: queueConnection(url) });
  const adapter = new ExpressAdapter();
  adapter.setBasePath('/');
  createBullBoard({ queues: [new BullMQAdapter(queue)], serverAdapter: adapter });
  const app = express();
  app.use('/', adapter.getRouter());
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(opts.port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  server.on('close', () => void queue.close());
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { server, url: `http://${host}:${port}/` };
}
