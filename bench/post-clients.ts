/**
 * HTTP clients for the benchmarks, in a worker thread of their own so that
 * the load they generate does not share the server's event loop (counter
 * software posts from other machines). Each client posts its list of bodies
 * in order, one request at a time over a keep-alive connection; the worker
 * answers the elapsed time and every request's latency
 * (post-clients-worker.mjs: plain JavaScript, as worker threads load no
 * TypeScript).
 */
import { Worker } from 'node:worker_threads';

export interface PostJob {
  port: number;
  path: string;
  key: string;
  /** One list of request bodies per concurrent client. */
  clients: string[][];
  /** The status every answer must have. */
  expect: number;
}

export interface PostResult {
  seconds: number;
  latencies: number[];
  /** CPU the clients' thread spent (ms; 0 where /proc is missing). */
  cpuMs: number;
}

/** Runs `job` in a worker thread. */
export function postFromWorker(job: PostJob): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./post-clients-worker.mjs', import.meta.url), { workerData: job });
    worker.once('message', (m: PostResult | { error: string }) => ('error' in m ? reject(new Error(m.error)) : resolve(m)));
    worker.once('error', reject);
  });
}
