// The channels suite (channels.test.ts), run as it is against a 3-master + 3-replica Redis Cluster.
import { runSuiteOn } from '../support/backend.js';

await runSuiteOn('cluster', () => import('./channels.test.js'));
