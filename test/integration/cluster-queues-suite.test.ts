import { runSuiteOn } from '../support/backend.js';

// The queues suite (queues.test.ts), every one of its tests, on a 3-master + 3-replica Redis
// Cluster through servers in cluster mode (REDIS_CLUSTER_NODES).
await runSuiteOn('cluster', () => import('./queues.test.js'));
