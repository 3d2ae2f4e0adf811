// A stand-in model worker for tests/parallel/jobs.test.ts: answers every
// job with a minimal report, except a model named "crash…", on which the
// thread dies as a worker hit by a bug would, and one named "hang…",
// which it never answers (and whose abort it ignores).
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (m) => {
  if (m.kind !== 'job') return;
  if (m.file.includes('crash')) process.exit(3);
  if (m.file.includes('hang')) return;
  parentPort.postMessage({ kind: 'done', index: m.index, report: { file: m.file, hashes: { model: '', rules: '' }, kernel: 'v7.0', verdicts: [], diagnostics: [], stats: { ms: 0, engine: [] } } });
});
