import { runSuiteOn } from '../support/backend.js';

// The rate-limit suite (queues-rate-limit.test.ts), every one of its tests, on a 3-master +
// 3-replica Redis Cluster through servers in cluster mode (REDIS_CLUSTER_NODES): the limit's keys
// share the queue's slot, so the take scripts run there as they do on one Redis.
await runSuiteOn('cluster', () => import('./queues-rate-limit.test.js'));
