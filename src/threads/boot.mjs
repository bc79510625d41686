// A worker thread's entry: the worker's own module is TypeScript, run through tsx as the main thread's modules
// are (bin/dunghan.js registers it there; a thread needs its own registration).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
