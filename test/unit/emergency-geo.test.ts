import { holds, MASK_RULES } from '../../src/auth/policy';
import { PUBLIC_PRINCIPAL, Role, SYSTEM_PRINCIPAL } from '../../src/auth/principal';
import type { Principal } from '../../src/auth/principal';
import { SqlParams } from '../../src/db/sql';
import { boundingBoxSql, EARTH_RADIUS_KM, haversineKm } from '../../src/modules/emergency/emergency.service';

/** The point `km` from (lat, lon) on bearing `deg`, on the haversine's sphere. */
function destination(lat: number, lon: number, km: number, deg: number): [number, number] {
  const r = (d: number) => (d * Math.PI) / 180;
  const d = km / EARTH_RADIUS_KM;
  const φ1 = r(lat);
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(r(deg)));
  const λ2 = r(lon) + Math.atan2(Math.sin(r(deg)) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
  return [(φ2 * 180) / Math.PI, (λ2 * 180) / Math.PI];
}

/** The box's bounds, read back from its SQL parameters. */
function box(lat: number, lon: number, km: number): { lat: [number, number]; lon: [number, number] | null } {
  const q = new SqlParams();
  const sql = boundingBoxSql('t', lat, lon, km, q);
  const v = q.values.map(Number);
  return { lat: [v[0], v[1]], lon: sql.includes('longitude') ? [v[2], v[3]] : null };
}

describe('great-circle distance and its bounding box', () => {
  test('haversine agrees with known distances', () => {
    expect(haversineKm(31.034, 120.903, 31.034, 120.903)).toBe(0);
    // One degree of latitude on the sphere.
    expect(haversineKm(31, 120, 32, 120)).toBeCloseTo((EARTH_RADIUS_KM * Math.PI) / 180, 9);
    // Jinze to the Pingwang bridge, about 27 km as the crow flies.
    expect(haversineKm(31.034, 120.903, 30.982, 120.641)).toBeGreaterThan(25);
    expect(haversineKm(31.034, 120.903, 30.982, 120.641)).toBeLessThan(28);
  });

  test.each([[31.034, 120.903], [0, 0], [-45, 170], [70, -20], [88.9, 10], [31, 179.9]])('every point within the radius of (%d, %d) lies in its box', (lat, lon) => {
    for (const km of [0.5, 5, 80, 500]) {
      const b = box(lat, lon, km);
      for (let deg = 0; deg < 360; deg += 7.5) {
        const [pLat, pLon] = destination(lat, lon, km * 0.999, deg);
        expect(haversineKm(lat, lon, pLat, pLon)).toBeCloseTo(km * 0.999, 6);
        expect(pLat).toBeGreaterThanOrEqual(b.lat[0]);
        expect(pLat).toBeLessThanOrEqual(b.lat[1]);
        if (b.lon) {
          expect(pLon).toBeGreaterThanOrEqual(b.lon[0]);
          expect(pLon).toBeLessThanOrEqual(b.lon[1]);
        }
      }
    }
  });

  test('the box drops its longitude bounds across the antimeridian and near a pole, and keeps them elsewhere', () => {
    expect(box(31, 179.9, 50).lon).toBeNull();
    expect(box(89.5, 10, 50).lon).toBeNull();
    expect(box(31.034, 120.903, 50).lon).not.toBeNull();
  });
});

describe('the expert mask rule', () => {
  const user = (jurisdiction: string, roles: Role[] = [Role.DOSSIER_READER]) => ({ kind: 'user', sub: 'x', org: `${jurisdiction}-EEB`, jurisdiction, roles }) as unknown as Principal;
  const full = (p: Principal, owner: string, kind: string) => holds(MASK_RULES.expertPersonal.fullWhen(p), { owner_jurisdiction: owner, kind });

  test.each([
    ['QINGPU', 'QINGPU', 'EXPERT', true],
    ['WUJIANG', 'QINGPU', 'EXPERT', false],
    ['SHANGHAI', 'QINGPU', 'EXPERT', true],
    ['JIANGSU', 'QINGPU', 'EXPERT', false],
    ['ZONE', 'JIASHAN', 'EXPERT', true],
    ['WUJIANG', 'QINGPU', 'MONITORING_TEAM', true],
    ['WUJIANG', 'QINGPU', 'EQUIPMENT', true],
    ['JIASHAN', 'QINGPU', 'MATERIAL', true],
  ])('%s reading an %s record of kind %s: in full %s', (reader, owner, kind, want) => {
    expect(full(user(reader), owner, kind)).toBe(want);
  });

  test('the public sees no expert in full, the system every one', () => {
    expect(full(PUBLIC_PRINCIPAL, 'QINGPU', 'EXPERT')).toBe(false);
    expect(full(PUBLIC_PRINCIPAL, 'QINGPU', 'EQUIPMENT')).toBe(true);
    expect(full(SYSTEM_PRINCIPAL, 'QINGPU', 'EXPERT')).toBe(true);
  });
});
