// The live chat and presence suite (chat-live.test.ts), run as it is against a 3-master + 3-replica
// Redis Cluster: its useServers() bed takes the backend from SWITCHBOARD_TEST_BACKEND when it names none.
process.env.SWITCHBOARD_TEST_BACKEND = 'cluster';
await import('./chat-live.test.js');
delete process.env.SWITCHBOARD_TEST_BACKEND;
