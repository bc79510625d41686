// The worker thread of post-clients.ts (plain JavaScript: worker threads load no TypeScript).
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

async function run(job) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.clients.length });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${job.key}` };
  const post = (body) =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: job.port, path: job.path, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const latencies = [];
  const t0 = performance.now();
  await Promise.all(
    job.clients.map(async (bodies) => {
      for (const body of bodies) {
        const s0 = performance.now();
        const answer = await post(body);
        latencies.push(performance.now() - s0);
        if (answer.status !== job.expect) throw new Error(`HTTP ${answer.status}: ${answer.text.slice(0, 300)}`);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return { seconds, latencies };
}

run(workerData).then(
  (r) => parentPort.postMessage(r),
  (err) => parentPort.postMessage({ error: err.message }),
);
