// The chat-live suite (chat-live.test.ts), run as it is against a 3-master + 3-replica Redis Cluster.
import { runSuiteOn } from '../support/backend.js';

await runSuiteOn('cluster', () => import('./chat-live.test.js'));
