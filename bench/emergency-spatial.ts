import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { SYSTEM_PRINCIPAL } from '../src/auth/principal';
import { createDb, migrate, openPglite } from '../src/db/datasource';
import { RecordWriter } from '../src/modules/dossier/record-writer';
import { EMERGENCY_RESOURCE, EmergencyService } from '../src/modules/emergency';
import type { HubContext } from '../src/graphql/context';

/**
 * One measurement, not a benchmark run (docs/risk-sources.md quotes it): 10,000 emergency resources
 * scattered over the zone and its surroundings, written through the writer, then the nearest-10
 * query with its bounding box against the same query without one (a full scan with the haversine
 * on every row). `node -r ts-node/register/transpile-only bench/emergency-spatial.ts`; PGlite in
 * memory, or PostgreSQL with DATABASE_URL (an empty database).
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const db = url ? await createDb({ databaseUrl: url, poolSize: 2 }) : await createDb({ pglite: await openPglite('memory://') });
  await migrate(db.ds);
  const n = 10_000;
  const kinds = ['EQUIPMENT', 'MATERIAL', 'MONITORING_TEAM'];
  const types = ['OIL_BOOM', 'ACTIVATED_CARBON', 'PORTABLE_GC_MS', 'MONITORING_VEHICLE'];
  const records = Array.from({ length: n }, (_, i) => {
    const kind = kinds[i % 3];
    return {
      input: {
        resourceNo: `ER-B-${String(i).padStart(6, '0')}`, jurisdiction: ['QINGPU', 'WUJIANG', 'JIASHAN'][i % 3], kind, name: `资源${i}`,
        equipmentType: kind === 'MONITORING_TEAM' ? null : types[(i * 7) % 4], quantity: kind === 'MONITORING_TEAM' ? null : '1', unit: kind === 'MONITORING_TEAM' ? null : '台',
        // A 2° × 2° square around the zone: about 220 km on a side.
        latitude: (30 + ((i * 7919) % 20000) / 10000).toFixed(6), longitude: (120 + ((i * 104729) % 20000) / 10000).toFixed(6),
        sourceSystem: 'BENCH', sourceRecordId: String(i), asOf: '2026-11-01T00:00:00Z',
      },
    };
  });
  const t0 = performance.now();
  await new RecordWriter(db.ds).load(SYSTEM_PRINCIPAL, EMERGENCY_RESOURCE.write, records, { batchSize: 2000 });
  const loadMs = performance.now() - t0;
  await db.ds.query('ANALYZE emergency_resource');
  const service = new EmergencyService(db.ds);
  const ctx = { principal: SYSTEM_PRINCIPAL } as unknown as HubContext;
  const time = async (label: string, run: () => Promise<unknown>) => {
    await run();
    const runs = 20;
    const s = performance.now();
    for (let i = 0; i < runs; i++) await run();
    const ms = (performance.now() - s) / runs;
    process.stdout.write(`${label}: ${ms.toFixed(2)} ms per query (mean of ${runs})\n`);
  };
  process.stdout.write(`${url ? 'PostgreSQL' : 'PGlite'}: ${n} rows loaded through the writer in ${(loadMs / 1000).toFixed(1)} s\n`);
  await time('nearest 10 EQUIPMENT/OIL_BOOM, bounding box', () => service.nearestEmergencyResources(ctx, 31.034, 120.903, 'EQUIPMENT', 'OIL_BOOM', 10));
  await time('nearest 10 of any kind, bounding box', () => service.nearestEmergencyResources(ctx, 31.034, 120.903, undefined, undefined, 10));
  const scan = `SELECT resource_no, (2 * 6371.0088 * asin(least(1::float8, sqrt(power(sin(radians(latitude::float8 - 31.034) / 2), 2)
    + cos(radians(31.034)) * cos(radians(latitude::float8)) * power(sin(radians(longitude::float8 - 120.903) / 2), 2))))) AS d
    FROM emergency_resource WHERE withdrawn_at IS NULL ORDER BY d LIMIT 10`;
  await time('nearest 10 of any kind, full scan (no box)', () => db.ds.query(scan));
  const plan: Array<Record<string, string>> = await db.ds.query(`EXPLAIN SELECT resource_no FROM emergency_resource t WHERE t.latitude BETWEEN 30.99 AND 31.08 AND t.longitude BETWEEN 120.85 AND 120.96`);
  process.stdout.write(`box plan: ${plan.map((r) => Object.values(r)[0]).join(' | ')}\n`);
  await db.close();
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
