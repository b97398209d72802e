import { parentPort, workerData } from 'node:worker_threads';
import { parse } from 'yaml';

parentPort.postMessage(parse(workerData));
