/**
 * Work that can take long (reading and planning a large upload) runs in a worker thread, so the request loop keeps
 * answering `/livez`, ingestion and everyone else meanwhile (issue 29). One thread per task, bounded in memory and
 * time: a file that would need more is refused, and the thread's memory is returned when it ends.
 */
import { Worker, type TransferListItem } from 'node:worker_threads';

export interface WorkerBounds {
  timeoutMs: number;
  maxMemoryMb: number;
}

/** The task outgrew its bounds: the caller says what to do instead (the CLI). */
export class WorkerBoundsError extends Error {
  override name = 'WorkerBoundsError';
  constructor(
    readonly bound: 'time' | 'memory',
    message: string,
  ) {
    super(message);
  }
}

// From src/threads or its compiled twin dist/threads alike: the boot file and the workers run from src/ (tsx).
const BOOT = new URL('../../src/threads/boot.mjs', import.meta.url);

/** Runs the module `entry` (which answers its `workerData.input` with one message) and resolves with that message. */
export function runInWorker<T>(entry: URL, input: unknown, bounds: WorkerBounds, transfer: TransferListItem[] = []): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(BOOT, {
      workerData: { entry: entry.href, input },
      transferList: transfer,
      resourceLimits: { maxOldGenerationSizeMb: bounds.maxMemoryMb },
      // The thread's output is its message; its own logging would bypass the service's logger.
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
      void worker.terminate();
    };
    const timer = setTimeout(
      () => settle(() => reject(new WorkerBoundsError('time', `took longer than ${Math.round(bounds.timeoutMs / 1000)} s`))),
      bounds.timeoutMs,
    );
    worker.once('message', (m: T) => settle(() => resolve(m)));
    worker.once('error', (err: Error & { code?: string }) =>
      settle(() => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new WorkerBoundsError('memory', `needed more than ${bounds.maxMemoryMb} MB`) : err)),
    );
    worker.once('exit', (code) => settle(() => reject(new Error(`worker thread exited with code ${code} before answering`))));
  });
}
