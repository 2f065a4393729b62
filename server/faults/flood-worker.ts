// Runs a flood's clients on their own thread, so the test thread that times the desk board's round trips
// is not also the one busy opening 2,000 connections (that delay used to be part of every figure).
import { parentPort, workerData } from 'node:worker_threads';
import { connectionFlood, reconnectStorm, type FloodPlan, type StormPlan } from './flood-clients.ts';

const job = workerData as { kind: 'flood'; plan: FloodPlan } | { kind: 'storm'; plan: StormPlan };
const result = job.kind === 'flood'
  ? await connectionFlood(job.plan, () => parentPort!.postMessage({ halfway: true }))
  : await reconnectStorm(job.plan);
parentPort!.postMessage({ result });
