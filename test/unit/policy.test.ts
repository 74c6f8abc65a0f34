import {
  allowedDistricts, assessmentRule, auditableDistricts, decide, decideRule, MonitoringTerms, observationRule, readScope, RecordType, SharingRule, SharingTerms, SharingType,
  stationRule, writeDenial,
} from '../../src/auth/policy';
import { monitoringScope } from '../../src/auth/scope';
import { SqlParams } from '../../src/db/sql';
import { Principal, PUBLIC_PRINCIPAL, Role } from '../../src/auth/principal';
import { District, DISTRICTS, Jurisdiction } from '../../src/domain/jurisdictions';

const user = (jurisdiction: Jurisdiction, roles: Role[]): Principal => ({ kind: 'user', sub: 'u', org: 'O', jurisdiction, roles });

function terms(sharingType: SharingType, purposes: string[] = ['ENFORCEMENT'], openToPublic: readonly RecordType[] = []): SharingTerms {
  const rules = new Map<RecordType, SharingRule>();
  for (const rt of Object.values(RecordType)) {
    rules.set(rt, { recordType: rt, catalogCode: 'X/1', sharingType, purposes: sharingType === 'CONDITIONAL' ? purposes : [], legalBasis: null, openToPublic: openToPublic.includes(rt) });
  }
  return {
    rules,
    purposeRoles: new Map<string, Role[]>([
      ['ENFORCEMENT', [Role.ENFORCEMENT]], ['EMERGENCY', [Role.ENFORCEMENT]], ['PERMITTING', [Role.DOSSIER_READER]],
      ['CREDIT_ASSESSMENT', [Role.DOSSIER_READER, Role.CREDIT_FEED]], ['RESEARCH', [Role.DOSSIER_READER]],
    ]),
  };
}

const R = Role.DOSSIER_READER;
const E = Role.ENFORCEMENT;
const { QINGPU: QP, WUJIANG: WJ, JIASHAN: JS } = Jurisdiction;

/**
 * The matrix, written out: principal × roles × purpose × sharing type → the owner districts it
 * reads of an INSPECTION-like record type, and the rule for a district it may not read.
 */
const MATRIX: Array<[string, Principal, string | null, SharingType, District[], string]> = [
  // Rule 1: own district, province above, ZONE — whatever the sharing type.
  ['district reader, not shared', user(WJ, [R]), null, 'NOT_SHARED', [WJ], 'sharing.notShared'],
  ['province reader, not shared', user(Jurisdiction.JIANGSU, [R]), null, 'NOT_SHARED', [WJ], 'sharing.notShared'],
  ['Shanghai reader, not shared', user(Jurisdiction.SHANGHAI, [R]), null, 'NOT_SHARED', [QP], 'sharing.notShared'],
  ['ZONE reader, not shared', user(Jurisdiction.ZONE, [R]), null, 'NOT_SHARED', [QP, WJ, JS], ''],
  ['district without the reading role', user(WJ, [E]), 'ENFORCEMENT', 'UNCONDITIONAL', [], 'role.required'],
  // Rule 2: other districts by sharing type.
  ['district reader, unconditional', user(WJ, [R]), null, 'UNCONDITIONAL', [QP, WJ, JS], ''],
  ['district reader, conditional, no purpose', user(WJ, [R]), null, 'CONDITIONAL', [WJ], 'sharing.conditional'],
  ['district reader, conditional, listed purpose without its role', user(WJ, [R]), 'ENFORCEMENT', 'CONDITIONAL', [WJ], 'sharing.conditional.role'],
  ['district enforcer, conditional, listed purpose', user(WJ, [R, E]), 'ENFORCEMENT', 'CONDITIONAL', [QP, WJ, JS], ''],
  ['district enforcer, conditional, unlisted purpose', user(WJ, [R, E]), 'RESEARCH', 'CONDITIONAL', [WJ], 'sharing.conditional'],
  ['district enforcer, conditional, unknown purpose', user(WJ, [R, E]), 'GOSSIP', 'CONDITIONAL', [WJ], 'sharing.conditional'],
  ['province enforcer, conditional, listed purpose', user(Jurisdiction.ZHEJIANG, [R, E]), 'ENFORCEMENT', 'CONDITIONAL', [QP, WJ, JS], ''],
  ['district enforcer, not shared, listed purpose', user(JS, [R, E]), 'ENFORCEMENT', 'NOT_SHARED', [JS], 'sharing.notShared'],
  // Rule 4: the credit platform reads credit records only.
  ['credit platform, unconditional', user(Jurisdiction.CREDIT_YRD, [Role.CREDIT_FEED, R]), null, 'UNCONDITIONAL', [], 'creditPlatform.creditOnly'],
  // Rule 5: the public reads publicised penalties only.
  ['public, unconditional', PUBLIC_PRINCIPAL, null, 'UNCONDITIONAL', [], 'public.notOpen'],
];

describe('policy matrix (INSPECTION as the record type)', () => {
  test.each(MATRIX)('%s', (_name, principal, purpose, sharing, expected, deniedRule) => {
    const scope = readScope({ principal, purpose, terms: terms(sharing) }, RecordType.INSPECTION);
    expect([...scope.districts].sort()).toEqual([...expected].sort());
    const hidden = DISTRICTS.filter((d) => !expected.includes(d));
    for (const d of hidden) expect(scope.decisions.get(d)).toMatchObject({ allowed: false, rule: deniedRule });
  });

  test('a conditional denial names the purposes and roles that would open it', () => {
    const d = decide({ principal: user(WJ, [R]), purpose: null, terms: terms('CONDITIONAL', ['ENFORCEMENT', 'EMERGENCY']) }, RecordType.INSPECTION, QP);
    expect(d).toEqual({ allowed: false, rule: 'sharing.conditional', allowedPurposes: ['ENFORCEMENT', 'EMERGENCY'] });
    const withPurpose = decide({ principal: user(WJ, [R]), purpose: 'ENFORCEMENT', terms: terms('CONDITIONAL') }, RecordType.INSPECTION, QP);
    expect(withPurpose).toMatchObject({ allowed: false, rule: 'sharing.conditional.role', requiredRoles: [E] });
  });

  test('without the catalog terms nothing crosses a district border (fail closed)', () => {
    const scope = readScope({ principal: user(WJ, [R, E]), purpose: 'ENFORCEMENT' }, RecordType.ENTERPRISE);
    expect(scope.districts).toEqual([WJ]);
  });

  test('the public reads what the catalog opens to the public (penalties under the publicity row rule), and nothing else', () => {
    const open = [RecordType.PENALTY, RecordType.EIA_APPROVAL, RecordType.PERMIT];
    for (const rt of Object.values(RecordType)) {
      const s = readScope({ principal: PUBLIC_PRINCIPAL, purpose: null, terms: terms('UNCONDITIONAL', [], open) }, rt);
      if (rt === RecordType.PENALTY) expect(s).toMatchObject({ districts: DISTRICTS, rowRule: 'PUBLICISED', rule: 'public.publicised' });
      else if (open.includes(rt)) expect({ rt, s }).toMatchObject({ rt, s: { districts: DISTRICTS, rowRule: undefined, rule: 'public.open' } });
      else expect({ rt, districts: s.districts, rule: s.rule }).toEqual({ rt, districts: [], rule: 'public.notOpen' });
    }
    // A resource the catalog does not open stays closed to the public, penalties included.
    expect(readScope({ principal: PUBLIC_PRINCIPAL, purpose: null, terms: terms('UNCONDITIONAL') }, RecordType.PENALTY).districts).toEqual([]);
  });

  test('the credit platform reads credit records with CREDIT_FEED, and no other type', () => {
    const feed = user(Jurisdiction.CREDIT_YRD, [Role.CREDIT_FEED]);
    for (const rt of Object.values(RecordType).filter((r) => r !== RecordType.MONITORING)) {
      const s = readScope({ principal: feed, purpose: null, terms: terms('UNCONDITIONAL') }, rt);
      expect({ rt, districts: s.districts }).toEqual({ rt, districts: rt === RecordType.CREDIT_RECORD ? DISTRICTS : [] });
    }
    expect(readScope({ principal: user(Jurisdiction.CREDIT_YRD, []), purpose: null, terms: terms('UNCONDITIONAL') }, RecordType.CREDIT_RECORD).districts).toEqual([]);
  });

  test('exhaustively: a district outside the principal\'s coverage is readable only as the sharing type allows', () => {
    const jurisdictions = Object.values(Jurisdiction).filter((j) => j !== Jurisdiction.CREDIT_YRD);
    const roleSets = [[], [R], [R, E], [E], [R, Role.CREDIT_FEED]];
    let checked = 0;
    for (const j of jurisdictions) for (const roles of roleSets) for (const purpose of [null, 'ENFORCEMENT', 'RESEARCH']) {
      for (const sharing of ['UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED'] as SharingType[]) {
        const scope = readScope({ principal: user(j, roles), purpose, terms: terms(sharing) }, RecordType.COMPLAINT);
        for (const owner of DISTRICTS) {
          const own = j === owner || j === Jurisdiction.ZONE || (j === Jurisdiction.SHANGHAI && owner === QP) || (j === Jurisdiction.JIANGSU && owner === WJ) || (j === Jurisdiction.ZHEJIANG && owner === JS);
          const reader = roles.includes(R);
          const expected = reader && (own || sharing === 'UNCONDITIONAL' || (sharing === 'CONDITIONAL' && purpose === 'ENFORCEMENT' && roles.includes(E)));
          expect({ j, roles, purpose, sharing, owner, allowed: scope.districts.includes(owner) }).toEqual({ j, roles, purpose, sharing, owner, allowed: expected });
          checked++;
        }
      }
    }
    expect(checked).toBe(7 * 5 * 3 * 3 * 3);
  });
});

describe('writes (rule 6) and audit readers', () => {
  test.each([
    [user(WJ, [Role.DATA_STEWARD]), WJ, null],
    [user(WJ, [Role.DATA_STEWARD]), QP, 'a data steward of WUJIANG may not write records of QINGPU'],
    [user(Jurisdiction.JIANGSU, [Role.DATA_STEWARD]), WJ, 'a data steward of JIANGSU may not write records of WUJIANG'],
    [user(Jurisdiction.ZONE, [Role.DATA_STEWARD, Role.ADMIN]), WJ, 'a data steward of ZONE may not write records of WUJIANG'],
    [user(WJ, [R, Role.ADMIN]), WJ, 'writing needs the DATA_STEWARD role'],
    [PUBLIC_PRINCIPAL, WJ, 'writing needs the DATA_STEWARD role'],
  ])('%j writing %s', (p, owner, reason) => {
    expect(writeDenial(p, owner)).toBe(reason);
  });

  test('auditors read the log of the districts they cover', () => {
    expect(auditableDistricts(user(WJ, [Role.AUDITOR]))).toEqual([WJ]);
    expect(auditableDistricts(user(Jurisdiction.SHANGHAI, [Role.AUDITOR]))).toEqual([QP]);
    expect(auditableDistricts(user(Jurisdiction.ZONE, [Role.AUDITOR]))).toEqual(DISTRICTS);
    expect(auditableDistricts(user(WJ, [R]))).toEqual([]);
    expect(auditableDistricts(PUBLIC_PRINCIPAL)).toEqual([]);
  });
});

describe('monitoring data under the catalog resource that governs each part of it', () => {
  const rule = (code: string, sharingType: SharingType, openToPublic = false): SharingRule =>
    ({ catalogCode: code, sharingType, purposes: sharingType === 'CONDITIONAL' ? ['ENFORCEMENT'] : [], legalBasis: null, openToPublic });
  const airStations = rule('S/AIR', 'UNCONDITIONAL', true);
  const sourceStations = rule('S/SRC', 'UNCONDITIONAL');
  const air = rule('O/AIR', 'UNCONDITIONAL', true);
  const wastewater = rule('O/WW', 'CONDITIONAL');
  const waterClass = rule('A/WQ', 'UNCONDITIONAL', true);
  const monitoring: MonitoringTerms = {
    stations: [{ rule: airStations, stationKinds: ['AIR'] }, { rule: sourceStations, stationKinds: ['POLLUTION_SOURCE'] }],
    observations: [air, wastewater],
    assessments: [{ rule: waterClass, assessment: 'WATER_CLASS', stationKinds: ['SURFACE_WATER'], drinkingWaterSource: false }],
    alerts: [],
  };
  const access = (principal: Principal, purpose: string | null = null) => ({ principal, purpose, terms: { ...terms('UNCONDITIONAL'), monitoring } });

  test.each([
    ['a catalog reader of another district: unconditional yes, conditional no', user(WJ, [Role.CATALOG_READER]), null, { air: DISTRICTS, wastewater: [WJ] }],
    ['with ENFORCEMENT declared but without the role: still no', user(WJ, [Role.CATALOG_READER]), 'ENFORCEMENT', { air: DISTRICTS, wastewater: [WJ] }],
    ['an enforcer with the purpose: the conditional resource opens', user(WJ, [E]), 'ENFORCEMENT', { air: DISTRICTS, wastewater: DISTRICTS }],
    ['ZONE reads everything in full', user(Jurisdiction.ZONE, []), null, { air: DISTRICTS, wastewater: DISTRICTS }],
    ['the public: open resources only', PUBLIC_PRINCIPAL, null, { air: DISTRICTS, wastewater: [] }],
    ['the credit platform: no monitoring data', user(Jurisdiction.CREDIT_YRD, [Role.CREDIT_FEED]), null, { air: [], wastewater: [] }],
  ] as const)('%s', (_name, principal, purpose, expected) => {
    const a = access(principal as Principal, purpose);
    expect(allowedDistricts(a, air, 'MONITORING')).toEqual(expected.air);
    expect(allowedDistricts(a, wastewater, 'MONITORING')).toEqual(expected.wastewater);
  });

  test('rules are found by station kind, station resource and assessment; none means closed', () => {
    const a = access(user(WJ, [Role.CATALOG_READER]));
    expect(stationRule(a, 'AIR')).toBe(airStations);
    expect(stationRule(a, 'SURFACE_WATER')).toBeUndefined();
    expect(observationRule(a, 'O/WW')).toBe(wastewater);
    expect(assessmentRule(a, 'WATER_CLASS', 'SURFACE_WATER', false)).toBe(waterClass);
    expect(assessmentRule(a, 'WATER_CLASS', 'SURFACE_WATER', true)).toBeUndefined();
    expect(decideRule(a, undefined, QP, 'MONITORING')).toEqual({ allowed: false, rule: 'sharing.notShared' });
  });

  test('the SQL scope names each readable part and leaves out what is closed, with no unused parameter', () => {
    const q = new SqlParams();
    const stations = monitoringScope(access(PUBLIC_PRINCIPAL), 'STATIONS', 's', q);
    expect(stations).toBe('((s.kind = ANY($1::varchar[]) AND s.owner_jurisdiction = ANY($2::varchar[])))');
    expect(q.values).toEqual([['AIR'], DISTRICTS]);
    const obs = new SqlParams();
    expect(monitoringScope(access(user(WJ, [Role.CATALOG_READER])), 'OBSERVATIONS', 's', obs))
      .toBe('((s.catalog_resource_code = $1 AND s.owner_jurisdiction = ANY($2::varchar[])) OR (s.catalog_resource_code = $3 AND s.owner_jurisdiction = ANY($4::varchar[])))');
    expect(obs.values).toEqual(['O/AIR', DISTRICTS, 'O/WW', [WJ]]);
    const none = new SqlParams();
    expect(monitoringScope(access(user(Jurisdiction.CREDIT_YRD, [Role.CREDIT_FEED])), 'AQI', 's', none)).toBe('false');
    expect(none.values).toEqual([]);
  });
});
