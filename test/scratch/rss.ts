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
    env: { ...process.env, NODE_ENV: 'production', HUB_JWT_SECRET: secret, LOG_LEVEL: 'warn', DB_POOL_SIZE: '10', HUB_RATE_LIMIT_PER_MINUTE: '0', HUB_MAX_COST: '100000000', HUB_EXPIRY_INTERVAL_SECONDS: '0', HUB_METRICS_TOKEN: 'm'.repeat(32), DATABASE_URL: url, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const rss = () => { try { return Number(/VmRSS:\s+(\d+)/.exec(require('fs').readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024; } catch { return NaN; } };
  for (let i = 0; i < 100; i++) { try { await fetch(`http://127.0.0.1:${port}/readyz`); break; } catch { await new Promise((r) => setTimeout(r, 300)); } }
  const pool = new Pool({ connectionString: url });
  const keys = await loadSampleKeys(pool, 20201019);
  const ops = operations(keys);
  const op = ops.find((o) => o.id === (process.env.OP ?? 'dossier'))!;
  const token = await mintToken({ secret } as never, op.principal.claims as never);
  await new Promise((r) => setTimeout(r, Number(process.env.WAIT ?? 0) * 1000));
  console.log('idle rss', rss().toFixed(1));
  if (process.env.SNAP) { child.kill('SIGUSR2'); await new Promise((r) => setTimeout(r, 15000)); console.log('idle snapshot taken'); }
  let peak = 0;
  const maxes: Record<string, number> = {};
  const t = setInterval(() => { peak = Math.max(peak, rss()); }, 100);
  const t2 = setInterval(async () => {
    try {
      const txt = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: 'Bearer ' + 'm'.repeat(32) } })).text();
      for (const line of txt.split('\n')) {
        const m = /^(nodejs_heap_size_total_bytes|nodejs_heap_size_used_bytes|nodejs_external_memory_bytes|process_resident_memory_bytes|nodejs_heap_space_size_total_bytes\{space="(\w+)"\})\s+(\d+)/.exec(line);
        if (m) { const k = m[2] ?? m[1]; maxes[k] = Math.max(maxes[k] ?? 0, Number(m[3]) / 1048576); }
      }
    } catch (e) { console.log('metrics', String(e)); }
  }, 250);
  const fs = require('fs');
  const pgCpu = () => {
    let t = 0;
    for (const pid of fs.readdirSync('/proc').filter((d: string) => /^\d+$/.test(d))) {
      try {
        if (!fs.readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) continue;
        const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        t += Number(f[11]) + Number(f[12]);
      } catch { /* gone */ }
    }
    return t * 10; // ms at 100 Hz
  };
  const hubCpu = () => { const f = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
  for (const conns of (process.env.LEVELS ?? '1,8,32').split(',').map(Number)) {
    let i = 0;
    const pg0 = pgCpu(); const h0 = hubCpu();
    const r = await autocannon({ url: `http://127.0.0.1:${port}/graphql`, connections: conns, duration: 8, method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'ENFORCEMENT' },
      requests: [{ setupRequest: (req: any) => ({ ...req, body: op.body(i++) }) }] } as any);
    const n = r.requests.total;
    console.log(conns, 'pg ms/req', ((pgCpu() - pg0) / n).toFixed(2), 'hub ms/req', ((hubCpu() - h0) / n).toFixed(2));
    console.log(conns, 'req/s', r.requests.average, 'non2xx', r.non2xx, 'rss', rss().toFixed(1), 'peak', peak.toFixed(1));
  }
  {
    const fpool = new Pool({ connectionString: url, max: 10 });
    const pg0 = pgCpu(); let n = 0; const end = Date.now() + 8000; let i = 0;
    const me0 = process.cpuUsage();
    await Promise.all(Array.from({ length: 8 }, async () => { while (Date.now() < end) { await op.floor(fpool, i++); n++; } }));
    const me = process.cpuUsage(me0);
    console.log('floor req/s', (n / 8).toFixed(1), 'pg ms/req', ((pgCpu() - pg0) / n).toFixed(2), 'client ms/req', ((me.user + me.system) / 1000 / n).toFixed(2));
    await fpool.end();
  }
  clearInterval(t); clearInterval(t2);
  if (process.env.SNAP) { child.kill('SIGUSR2'); await new Promise((r) => setTimeout(r, 15000)); }
  console.log(Object.fromEntries(Object.entries(maxes).map(([k, v]) => [k, v.toFixed(1)])));
  child.kill();
  await pool.end();
}
main();
