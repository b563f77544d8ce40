import { runSuiteOn } from '../support/backend.js';

// The streams-live suite (streams-live.test.ts), every one of its tests, on a 3-master + 3-replica Redis
// Cluster through servers in cluster mode (REDIS_CLUSTER_NODES).
await runSuiteOn('cluster', () => import('./streams-live.test.js'));
