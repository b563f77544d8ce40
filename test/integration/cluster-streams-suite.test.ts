import { runSuiteOn } from '../support/backend.js';

// The streams suite (streams.test.ts), every one of its tests, on a 3-master + 3-replica Redis
// Cluster through a server in cluster mode (REDIS_CLUSTER_NODES).
await runSuiteOn('cluster', () => import('./streams.test.js'));
