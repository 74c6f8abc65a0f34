import { reminderActionDenial, reminderReadScope, SharingGrant, SharingRule } from '../../src/auth/policy';
import { Principal, PUBLIC_PRINCIPAL, Role, SYSTEM_PRINCIPAL } from '../../src/auth/principal';
import { reminderScope } from '../../src/auth/scope';
import { SqlParams } from '../../src/db/sql';
import { DISTRICTS, Jurisdiction } from '../../src/domain/jurisdictions';

/**
 * Compliance reminders in the policy, as a table (docs/reminders.md): who reads them per catalog
 * resource (the addressed district, its province, ZONE; others as the terms allow), and who acts
 * on them (the addressed district's regulator only).
 */
const user = (jurisdiction: Jurisdiction, roles: Role[], org = `${jurisdiction}-EEB`): Principal => ({ kind: 'user', sub: 'u', org, jurisdiction, roles });
const { QINGPU: QP, WUJIANG: WJ, JIASHAN: JS } = Jurisdiction;
const rule: SharingRule = { catalogCode: '211013/0003', sharingType: 'CONDITIONAL', purposes: ['ENFORCEMENT', 'EMERGENCY'], legalBasis: 'test', openToPublic: false };
const purposeRoles = new Map<string, readonly Role[]>([['ENFORCEMENT', [Role.ENFORCEMENT]], ['EMERGENCY', [Role.ENFORCEMENT]]]);
const terms = { rules: new Map(), purposeRoles, monitoring: { stations: [], observations: [], assessments: [], alerts: [], reminders: [rule] } };
const grant: SharingGrant = { id: 'g1', org: `${QP}-EEB`, catalogCode: '211013/0003', purpose: 'ENFORCEMENT', districts: [WJ], items: null, validFrom: '2026-01-01', validTo: null };

describe('who reads a compliance reminder', () => {
  test.each([
    ['the addressed district, with any role or none', user(WJ, []), null, [], [WJ]],
    ['its province: its districts', user(Jurisdiction.JIANGSU, [Role.DOSSIER_READER]), null, [], [WJ]],
    ['Zhejiang: Jiashan', user(Jurisdiction.ZHEJIANG, []), null, [], [JS]],
    ['ZONE: all three', user(Jurisdiction.ZONE, []), null, [], DISTRICTS],
    ['another district with the ENFORCEMENT purpose but no grant: its own only', user(QP, [Role.ENFORCEMENT]), 'ENFORCEMENT', [], [QP]],
    ['another district through a grant to its agency: the granted district too', user(QP, [Role.ENFORCEMENT]), null, [grant], [QP, WJ]],
    ['a grant used without the purpose\'s role: not opened', user(QP, [Role.DOSSIER_READER]), null, [grant], [QP]],
    ['a declared emergency with the role: every district', user(QP, [Role.ENFORCEMENT]), 'EMERGENCY', [], DISTRICTS],
    ['the public: none', PUBLIC_PRINCIPAL, null, [], []],
    ['the credit platform: none', user(Jurisdiction.CREDIT_YRD, [Role.CREDIT_FEED]), null, [], []],
  ] as Array<[string, Principal, string | null, SharingGrant[], readonly string[]]>)('%s', (_n, principal, purpose, grants, expected) => {
    const scope = reminderReadScope({ principal, purpose, terms, grants, today: '2026-11-02' });
    expect(scope).toEqual([{ catalogCode: '211013/0003', ownerDistricts: expected }]);
  });

  test('without the catalog\'s terms nothing is readable (fail closed); the SQL form says false', () => {
    expect(reminderReadScope({ principal: user(WJ, [Role.ENFORCEMENT]), purpose: null })).toEqual([]);
    expect(reminderScope({ principal: user(WJ, [Role.ENFORCEMENT]), purpose: null }, 'r', new SqlParams())).toBe('false');
    const q = new SqlParams();
    expect(reminderScope({ principal: user(WJ, []), purpose: null, terms }, 'r', q)).toBe('((r.catalog_resource_code = $1 AND r.owner_jurisdiction = ANY($2::varchar[])))');
    expect(q.values).toEqual(['211013/0003', [WJ]]);
  });
});

describe('who acts on a compliance reminder', () => {
  test.each([
    ['the addressed district\'s enforcement officer', user(WJ, [Role.ENFORCEMENT]), null],
    ['its data steward', user(WJ, [Role.DATA_STEWARD]), null],
    ['its reader without an acting role', user(WJ, [Role.DOSSIER_READER]), 'role.required'],
    ['its province', user(Jurisdiction.JIANGSU, [Role.ENFORCEMENT]), 'reminder.addresseeOnly'],
    ['ZONE', user(Jurisdiction.ZONE, [Role.ADMIN]), 'reminder.addresseeOnly'],
    ['another district', user(QP, [Role.ENFORCEMENT]), 'reminder.addresseeOnly'],
    ['the public', PUBLIC_PRINCIPAL, 'role.required'],
    ['the system', SYSTEM_PRINCIPAL, null],
  ] as Array<[string, Principal, string | null]>)('%s', (_n, principal, rule) => {
    expect(reminderActionDenial(principal, WJ)?.rule ?? null).toBe(rule);
  });
});
