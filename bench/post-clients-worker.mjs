// The worker thread of post-clients.ts (plain JavaScript: worker threads load no TypeScript).
import http from 'node:http';
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

/** This thread's CPU time in ms (utime + stime, 100 ticks a second), so the server's share can be told from the load's. */
function threadCpuMs() {
  try {
    const fields = fs.readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0; // not Linux
  }
}

async function run(job) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.clients.length });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${job.key}` };
  const post = (body) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: job.port, path: job.path, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const latencies = [];
  const cpu0 = threadCpuMs();
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
  const cpuMs = threadCpuMs() - cpu0;
  agent.destroy();
  return { seconds, latencies, cpuMs };
}

run(workerData).then(
  (r) => parentPort.postMessage(r),
  (err) => parentPort.postMessage({ error: err.message }),
);
