import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { Pool } from 'pg';
import autocannon from 'autocannon';
import { mintToken } from '../../src/auth/principal';
import { loadSampleKeys, operations } from '../../bench/operations';

async function main() {
  const url = 'postgres://postgres@127.0.0.1:5432/eco_hub_bench';
  const secret = 'x'.repeat(40);
  const port = 4701;
  const extra = (process.env.NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, 'dist/src/main.js'], {
    env: { ...process.env, NODE_ENV: 'production', HUB_JWT_SECRET: secret, LOG_LEVEL: 'warn', DB_POOL_SIZE: '10', HUB_RATE_LIMIT_PER_MINUTE: '0', HUB_MAX_COST: '100000000', HUB_EXPIRY_INTERVAL_SECONDS: '0', DATABASE_URL: url, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const rss = () => { try { return Number(/VmRSS:\s+(\d+)/.exec(require('fs').readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024; } catch { return NaN; } };
  for (let i = 0; i < 100; i++) { try { await fetch(`http://127.0.0.1:${port}/readyz`); break; } catch { await new Promise((r) => setTimeout(r, 300)); } }
  const pool = new Pool({ connectionString: url });
  const keys = await loadSampleKeys(pool, 20201019);
  const ops = operations(keys);
  const op = ops.find((o) => o.id === (process.env.OP ?? 'dossier'))!;
  const token = await mintToken({ secret } as never, op.principal.claims as never);
  console.log('idle rss', rss().toFixed(1));
  let peak = 0;
  const t = setInterval(() => { peak = Math.max(peak, rss()); }, 100);
  for (const conns of [1, 8, 32]) {
    let i = 0;
    const r = await autocannon({ url: `http://127.0.0.1:${port}/graphql`, connections: conns, duration: 8, method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'ENFORCEMENT' },
      requests: [{ setupRequest: (req: any) => ({ ...req, body: op.body(i++) }) }] } as any);
    console.log(conns, 'req/s', r.requests.average, 'non2xx', r.non2xx, 'rss', rss().toFixed(1), 'peak', peak.toFixed(1));
  }
  clearInterval(t);
  child.kill();
  await pool.end();
}
main();
