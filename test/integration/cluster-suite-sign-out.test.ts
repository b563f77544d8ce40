// The sign-out suite (sign-out.test.ts), run as it is against a 3-master + 3-replica Redis Cluster.
import { runSuiteOn } from '../support/backend.js';

await runSuiteOn('cluster', () => import('./sign-out.test.js'));
