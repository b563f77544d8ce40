// The chat suite (chat.test.ts), run as it is against a 3-master + 3-replica Redis Cluster.
import { runSuiteOn } from '../support/backend.js';

await runSuiteOn('cluster', () => import('./chat.test.js'));
