import { DataSource } from 'typeorm';
import { StationKind } from '../monitoring';
import { DEVICE_PW, hashDevicePassword } from './device-password';

/** The PW every demo device is given; documented in the README, for trying the ingest out. */
export const DEMO_DEVICE_PW = '123456';

/** An MN is 24 letters or digits (HJ 212-2017), or 14 for an HJ/T 212-2005 logger. */
export const DEVICE_MN = /^[0-9A-Za-z]{14}$|^[0-9A-Za-z]{24}$/;

/** The demo MN of a station: `ECOHUBDEMO` and its code's letters and digits, zero-padded to 24. */
export function demoMnFor(stationCode: string): string {
  return `ECOHUBDEMO${stationCode.replace(/[^0-9A-Za-z]/g, '').toUpperCase().padStart(14, '0')}`.slice(0, 24);
}

/**
 * Registers (or re-registers) the data logger of a monitoring point: its MN and a hash of its PW.
 * An MN names one device, so it may belong to one station only.
 */
export async function registerDevice(ds: DataSource, stationCode: string, mn: string, pw: string): Promise<void> {
  if (!DEVICE_MN.test(mn)) throw new Error(`MN must be 24 letters or digits (14 for an HJ/T 212-2005 logger), got "${mn}"`);
  if (!DEVICE_PW.test(pw)) throw new Error('PW must be exactly 6 printable ASCII characters');
  const pwHash = await hashDevicePassword(pw);
  await ds.transaction(async (m) => {
    const owner: Array<{ code: string }> = await m.query('SELECT code FROM monitoring_station WHERE mn = $1 AND code <> $2', [mn, stationCode]);
    if (owner.length > 0) throw new Error(`MN ${mn} is already the device of station ${owner[0].code}`);
    const done: Array<{ code: string }> = await m.query(
      'UPDATE monitoring_station SET mn = $2, pw_hash = $3, updated_at = now() WHERE code = $1 RETURNING code', [stationCode, mn, pwHash]);
    // TypeORM answers an UPDATE with [rows, count].
    const rows = Array.isArray(done[0]) ? (done[0] as unknown as Array<{ code: string }>) : done;
    if (rows.length === 0) throw new Error(`no monitoring station has the code ${stationCode}`);
  });
}

/**
 * Gives every pollution-source station without a device a demo MN and the demo PW, so the ingest
 * can be tried on demo data; returns what it registered. Idempotent: registered stations keep theirs.
 */
export async function registerDemoDevices(ds: DataSource): Promise<Array<{ station: string; mn: string; pw: string }>> {
  const rows: Array<{ code: string }> = await ds.query(
    'SELECT code FROM monitoring_station WHERE kind = $1 AND mn IS NULL ORDER BY code', [StationKind.POLLUTION_SOURCE]);
  const out: Array<{ station: string; mn: string; pw: string }> = [];
  for (const { code } of rows) {
    const mn = demoMnFor(code);
    await registerDevice(ds, code, mn, DEMO_DEVICE_PW);
    out.push({ station: code, mn, pw: DEMO_DEVICE_PW });
  }
  return out;
}
