import type { TestServer } from './server.js';

/** The value of `switchboard_denials_total{kind}` on a test server (0 before the first). */
export async function denials(server: TestServer, kind: string): Promise<number> {
  const metric = server.app.services.metrics.registry.getSingleMetric('switchboard_denials_total');
  const values = (await metric?.get())?.values ?? [];
  return values.find((value) => value.labels.kind === kind)?.value ?? 0;
}
