// The sign-out suite (sign-out.test.ts), run as it is against a 3-master + 3-replica Redis Cluster:
// its useServers() bed takes the backend from SWITCHBOARD_TEST_BACKEND when it names none.
process.env.SWITCHBOARD_TEST_BACKEND = 'cluster';
await import('./sign-out.test.js');
delete process.env.SWITCHBOARD_TEST_BACKEND;
