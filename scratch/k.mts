import { startTestRedis } from '../test/support/redis.js';
import { Redis } from 'ioredis';
const r = await startTestRedis();
const s = new Redis(r.url);
await s.subscribe('x');
console.log(await r.client.client('KILL', 'TYPE', 'pubsub'), await r.client.info('server').then(t=>/redis_version:(\S+)/.exec(t)?.[1]));
console.log(await r.client.client('LIST'));
s.disconnect(); await r.stop();
