// Entry point of the engine worker thread (bundled to out/engine/engine-worker.js).

import { workerData } from 'node:worker_threads';
import { EngineService, type EngineServiceOptions } from './engine-service';
import { hostService } from './worker-host';

hostService(new EngineService((workerData ?? {}) as EngineServiceOptions));
