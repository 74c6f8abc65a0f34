import {
  allowedDistricts, assessmentRule, auditableDistricts, decide, decideRule, denialExtensions, itemWithheldFor, MonitoringTerms, observationRule, readScope, RecordType,
  SharingGrant, SharingRule, SharingTerms, SharingType, stationRule, writeDenial,
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

/** A grant to agency `org` on resource X/1 (the resource every record type of `terms` has). */
const grant = (districts: District[], o: Partial<SharingGrant> = {}): SharingGrant => ({
  id: 'g-1', org: 'O', catalogCode: 'X/1', purpose: 'ENFORCEMENT', districts, items: null, validFrom: '2026-01-01', validTo: null, ...o,
});
const TODAY = '2026-12-06';

const R = Role.DOSSIER_READER;
const E = Role.ENFORCEMENT;
const { QINGPU: QP, WUJIANG: WJ, JIASHAN: JS } = Jurisdiction;

/**
 * The matrix, written out: principal × roles × purpose × sharing type → the owner districts it
 * reads of an INSPECTION-like record type, and the rule for a district it may not read.
 */
const MATRIX: Array<[string, Principal, string | null, SharingType, District[], string, SharingGrant[]?]> = [
  // Rule 1: own district, province above, ZONE — whatever the sharing type.
  ['district reader, not shared', user(WJ, [R]), null, 'NOT_SHARED', [WJ], 'sharing.notShared'],
  ['province reader, not shared', user(Jurisdiction.JIANGSU, [R]), null, 'NOT_SHARED', [WJ], 'sharing.notShared'],
  ['Shanghai reader, not shared', user(Jurisdiction.SHANGHAI, [R]), null, 'NOT_SHARED', [QP], 'sharing.notShared'],
  ['ZONE reader, not shared', user(Jurisdiction.ZONE, [R]), null, 'NOT_SHARED', [QP, WJ, JS], ''],
  ['district without the reading role', user(WJ, [E]), 'ENFORCEMENT', 'UNCONDITIONAL', [], 'role.required'],
  // Rule 2: other districts by sharing type.
  ['district reader, unconditional', user(WJ, [R]), null, 'UNCONDITIONAL', [QP, WJ, JS], ''],
  ['district reader, conditional, no purpose', user(WJ, [R]), null, 'CONDITIONAL', [WJ], 'sharing.conditional'],
  // Conditional: a declared purpose alone no longer opens it (EMERGENCY aside, below); a grant to the agency does.
  ['district enforcer, conditional, listed purpose, no grant', user(WJ, [R, E]), 'ENFORCEMENT', 'CONDITIONAL', [WJ], 'sharing.conditional'],
  ['district enforcer, conditional, grant to its agency, no purpose', user(WJ, [R, E]), null, 'CONDITIONAL', [QP, WJ, JS], '', [grant([QP, JS])]],
  ['district enforcer, grant for one district', user(WJ, [R, E]), null, 'CONDITIONAL', [QP, WJ], 'sharing.conditional', [grant([QP])]],
  ['district reader, grant without its purpose\'s role', user(WJ, [R]), null, 'CONDITIONAL', [WJ], 'sharing.grant.role', [grant([QP, JS])]],
  ['district enforcer, grant to another agency', user(WJ, [R, E]), null, 'CONDITIONAL', [WJ], 'sharing.conditional', [grant([QP, JS], { org: 'OTHER' })]],
  ['district enforcer, grant on another resource', user(WJ, [R, E]), null, 'CONDITIONAL', [WJ], 'sharing.conditional', [grant([QP, JS], { catalogCode: 'Y/1' })]],
  ['district enforcer, grant past its period', user(WJ, [R, E]), null, 'CONDITIONAL', [WJ], 'sharing.conditional', [grant([QP, JS], { validTo: '2026-06-30' })]],
  ['district enforcer, grant not yet begun', user(WJ, [R, E]), null, 'CONDITIONAL', [WJ], 'sharing.conditional', [grant([QP, JS], { validFrom: '2027-01-01' })]],
  ['district enforcer, conditional, unlisted purpose', user(WJ, [R, E]), 'RESEARCH', 'CONDITIONAL', [WJ], 'sharing.conditional'],
  ['district enforcer, conditional, unknown purpose', user(WJ, [R, E]), 'GOSSIP', 'CONDITIONAL', [WJ], 'sharing.conditional'],
  ['province enforcer, conditional, listed purpose, no grant', user(Jurisdiction.ZHEJIANG, [R, E]), 'ENFORCEMENT', 'CONDITIONAL', [JS], 'sharing.conditional'],
  ['province enforcer, conditional, grant to its agency', user(Jurisdiction.ZHEJIANG, [R, E]), null, 'CONDITIONAL', [QP, WJ, JS], '', [grant([QP, WJ])]],
  ['district enforcer, not shared, listed purpose', user(JS, [R, E]), 'ENFORCEMENT', 'NOT_SHARED', [JS], 'sharing.notShared'],
  ['district enforcer, not shared, a grant does not open it', user(JS, [R, E]), null, 'NOT_SHARED', [JS], 'sharing.notShared', [grant([QP, WJ])]],
  // Rule 4: the credit platform reads credit records only.
  ['credit platform, unconditional', user(Jurisdiction.CREDIT_YRD, [Role.CREDIT_FEED, R]), null, 'UNCONDITIONAL', [], 'creditPlatform.creditOnly'],
  // Rule 5: the public reads publicised penalties only.
  ['public, unconditional', PUBLIC_PRINCIPAL, null, 'UNCONDITIONAL', [], 'public.notOpen'],
];

describe('policy matrix (INSPECTION as the record type)', () => {
  test.each(MATRIX)('%s', (_name, principal, purpose, sharing, expected, deniedRule, grants = []) => {
    const scope = readScope({ principal, purpose, terms: terms(sharing), grants, today: TODAY }, RecordType.INSPECTION);
    expect([...scope.districts].sort()).toEqual([...expected].sort());
    const hidden = DISTRICTS.filter((d) => !expected.includes(d));
    for (const d of hidden) expect(scope.decisions.get(d)).toMatchObject({ allowed: false, rule: deniedRule });
  });

  test('a conditional denial names the resource to apply for, and EMERGENCY where the resource lists it', () => {
    const d = decide({ principal: user(WJ, [R]), purpose: null, terms: terms('CONDITIONAL', ['ENFORCEMENT', 'EMERGENCY']) }, RecordType.INSPECTION, QP);
    expect(d).toEqual({ allowed: false, rule: 'sharing.conditional', allowedPurposes: ['EMERGENCY'], applyFor: 'X/1' });
    expect(denialExtensions(d)).toEqual({ allowedPurposes: ['EMERGENCY'], applyFor: 'X/1', hint: 'apply for resource X/1 (mutation applyForSharing)' });
    const emergencyNoRole = decide({ principal: user(WJ, [R]), purpose: 'EMERGENCY', terms: terms('CONDITIONAL', ['ENFORCEMENT', 'EMERGENCY']) }, RecordType.INSPECTION, QP);
    expect(emergencyNoRole).toMatchObject({ allowed: false, rule: 'sharing.conditional.role', requiredRoles: [E], applyFor: 'X/1' });
    const unusable = decide({ principal: user(WJ, [R]), purpose: null, terms: terms('CONDITIONAL'), grants: [grant([QP])], today: TODAY }, RecordType.INSPECTION, QP);
    expect(unusable).toMatchObject({ allowed: false, rule: 'sharing.grant.role', requiredRoles: [E], grantId: 'g-1' });
  });

  test('EMERGENCY opens a conditional resource that lists it, without a grant; a resource that does not list it stays closed', () => {
    const listed = readScope({ principal: user(WJ, [R, E]), purpose: 'EMERGENCY', terms: terms('CONDITIONAL', ['ENFORCEMENT', 'EMERGENCY']) }, RecordType.INSPECTION);
    expect(listed.districts).toEqual(DISTRICTS);
    expect(listed.decisions.get(QP)).toEqual({ allowed: true, rule: 'sharing.emergency', allowedPurposes: ['EMERGENCY'] });
    expect(readScope({ principal: user(WJ, [R, E]), purpose: 'EMERGENCY', terms: terms('CONDITIONAL', ['ENFORCEMENT']) }, RecordType.INSPECTION).districts).toEqual([WJ]);
  });

  test('a grant names itself in the decision, and the items it leaves out are withheld on its districts only', () => {
    const t = terms('CONDITIONAL');
    const rule = { ...t.rules.get(RecordType.INSPECTION)!, items: ['inspectionNo', 'findings', 'outcome'] };
    const access = { principal: user(WJ, [R, E]), purpose: null, terms: t, grants: [grant([QP], { items: ['inspectionNo', 'outcome'] }), grant([JS], { id: 'g-2' })], today: TODAY };
    expect(decide(access, RecordType.INSPECTION, QP)).toEqual({ allowed: true, rule: 'sharing.grant', grantId: 'g-1', grantedItems: ['inspectionNo', 'outcome'] });
    expect(decide(access, RecordType.INSPECTION, JS)).toEqual({ allowed: true, rule: 'sharing.grant', grantId: 'g-2', grantedItems: null });
    expect(itemWithheldFor(access, rule, 'findings', 'RECORDS')).toEqual([QP]);
    expect(itemWithheldFor(access, rule, 'outcome', 'RECORDS')).toEqual([]);
    expect(itemWithheldFor(access, rule, 'status', 'RECORDS')).toEqual([]); // not a data item of the resource
  });

  test('a grant without a day to count its period on opens nothing (fail closed)', () => {
    expect(readScope({ principal: user(WJ, [R, E]), purpose: null, terms: terms('CONDITIONAL'), grants: [grant([QP, JS])] }, RecordType.INSPECTION).districts).toEqual([WJ]);
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
    for (const j of jurisdictions) for (const roles of roleSets) for (const purpose of [null, 'ENFORCEMENT', 'RESEARCH']) for (const granted of [false, true]) {
      for (const sharing of ['UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED'] as SharingType[]) {
        const grants = granted ? [grant([...DISTRICTS])] : [];
        const scope = readScope({ principal: user(j, roles), purpose, terms: terms(sharing), grants, today: TODAY }, RecordType.COMPLAINT);
        for (const owner of DISTRICTS) {
          const own = j === owner || j === Jurisdiction.ZONE || (j === Jurisdiction.SHANGHAI && owner === QP) || (j === Jurisdiction.JIANGSU && owner === WJ) || (j === Jurisdiction.ZHEJIANG && owner === JS);
          const reader = roles.includes(R);
          // Conditional: only through the agency's grant, with its purpose's role; the declared purpose plays no part.
          const expected = reader && (own || sharing === 'UNCONDITIONAL' || (sharing === 'CONDITIONAL' && granted && roles.includes(E)));
          expect({ j, roles, purpose, sharing, owner, allowed: scope.districts.includes(owner) }).toEqual({ j, roles, purpose, sharing, owner, allowed: expected });
          checked++;
        }
      }
    }
    expect(checked).toBe(7 * 5 * 3 * 2 * 3 * 3);
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
  const access = (principal: Principal, purpose: string | null = null, grants: SharingGrant[] = []) => ({ principal, purpose, terms: { ...terms('UNCONDITIONAL'), monitoring }, grants, today: TODAY });

  test.each([
    ['a catalog reader of another district: unconditional yes, conditional no', user(WJ, [Role.CATALOG_READER]), null, { air: DISTRICTS, wastewater: [WJ] }],
    ['with ENFORCEMENT declared but without the role: still no', user(WJ, [Role.CATALOG_READER]), 'ENFORCEMENT', { air: DISTRICTS, wastewater: [WJ] }],
    ['an enforcer with the purpose but no grant: still no', user(WJ, [E]), 'ENFORCEMENT', { air: DISTRICTS, wastewater: [WJ] }],
    ['an enforcer of an agency with a grant on the resource: it opens', user(WJ, [E]), null, { air: DISTRICTS, wastewater: DISTRICTS }, [grant([QP, JS], { catalogCode: 'O/WW' })]],
    ['ZONE reads everything in full', user(Jurisdiction.ZONE, []), null, { air: DISTRICTS, wastewater: DISTRICTS }],
    ['the public: open resources only', PUBLIC_PRINCIPAL, null, { air: DISTRICTS, wastewater: [] }],
    ['the credit platform: no monitoring data', user(Jurisdiction.CREDIT_YRD, [Role.CREDIT_FEED]), null, { air: [], wastewater: [] }],
  ] as Array<[string, Principal, string | null, { air: readonly District[]; wastewater: readonly District[] }, SharingGrant[]?]>)('%s', (_name, principal, purpose, expected, grants = []) => {
    const a = access(principal, purpose, grants);
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
