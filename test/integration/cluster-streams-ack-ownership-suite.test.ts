import { runSuiteOn } from '../support/backend.js';

// The ack-ownership suite (streams-ack-ownership.test.ts), every one of its tests, on a 3-master + 3-replica
// Redis Cluster through servers in cluster mode (REDIS_CLUSTER_NODES): the owner check and XACK are one
// script on the stream's key, and the owners hash is read on its own node.
await runSuiteOn('cluster', () => import('./streams-ack-ownership.test.js'));
