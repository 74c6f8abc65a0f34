import { objectionHandlerDenial, objectionRaiseDenial, objectionVisibility, RecordType, SharingRule, SharingTerms } from '../../src/auth/policy';
import { PUBLIC_PRINCIPAL, Principal, Role, SYSTEM_PRINCIPAL } from '../../src/auth/principal';
import { Jurisdiction } from '../../src/domain/jurisdictions';
import { checkObjectionRules, OBJECTION_RULES, verifyDueOn } from '../../src/modules/objection/objection-rules';

/*
 * The objection rules of the policy as a table (who may raise, handle, see), and the deadline
 * configuration: empty by default, computed on the official working-day calendar when set.
 */

const rule = (recordType: RecordType, sharingType: SharingRule['sharingType'], purposes: string[] = []): SharingRule =>
  ({ recordType, catalogCode: recordType, sharingType, purposes, legalBasis: null, openToPublic: recordType === RecordType.PENALTY });
const terms: SharingTerms = {
  rules: new Map([
    [RecordType.PENALTY, rule(RecordType.PENALTY, 'UNCONDITIONAL')],
    [RecordType.COMPLAINT, rule(RecordType.COMPLAINT, 'CONDITIONAL', ['ENFORCEMENT'])],
    [RecordType.CREDIT_RECORD, rule(RecordType.CREDIT_RECORD, 'CONDITIONAL', ['CREDIT_ASSESSMENT'])],
  ]),
  purposeRoles: new Map([['ENFORCEMENT', [Role.ENFORCEMENT]], ['CREDIT_ASSESSMENT', [Role.DOSSIER_READER]]]),
};
const who = (jurisdiction: Jurisdiction, roles: Role[], sub = 'u'): Principal => ({ kind: 'user', sub, org: `${jurisdiction}-EEB`, jurisdiction, roles });
const access = (principal: Principal, purpose: string | null = null) => ({ principal, purpose, terms });

describe('objectionRaiseDenial: a reader of the record, by the read decision', () => {
  const qpReader = who(Jurisdiction.QINGPU, [Role.DOSSIER_READER]);
  const enforcer = who(Jurisdiction.QINGPU, [Role.DOSSIER_READER, Role.ENFORCEMENT]);
  const complaintGrant = {
    id: 'g-1', org: 'QINGPU-EEB', catalogCode: RecordType.COMPLAINT, purpose: 'ENFORCEMENT', districts: [Jurisdiction.WUJIANG] as never,
    items: null, validFrom: '2026-01-01', validTo: null,
  };
  test.each([
    ['a Qingpu reader, a Wujiang penalty (unconditional)', access(qpReader), RecordType.PENALTY, null],
    ['a Qingpu reader, a Wujiang complaint without purpose', access(qpReader), RecordType.COMPLAINT, 'objection.readersOnly:sharing.conditional'],
    // A declared purpose alone no longer opens conditional data (issue 12): a grant to the agency does.
    ['a Qingpu enforcer declaring ENFORCEMENT, no grant, a Wujiang complaint', access(enforcer, 'ENFORCEMENT'), RecordType.COMPLAINT, 'objection.readersOnly:sharing.conditional'],
    ['a Qingpu enforcer under a grant for Wujiang complaints', { ...access(enforcer), grants: [complaintGrant], today: '2026-11-02' }, RecordType.COMPLAINT, null],
    ['a Wujiang steward without the reading role', access(who(Jurisdiction.WUJIANG, [Role.DATA_STEWARD])), RecordType.PENALTY, 'objection.readersOnly:role.required'],
    ['the public, a penalty open to the public', access(PUBLIC_PRINCIPAL), RecordType.PENALTY, 'objection.identifiedOnly'],
    ['the system', access(SYSTEM_PRINCIPAL), RecordType.COMPLAINT, null],
  ])('%s', (_label, a, type, expected) => {
    expect(objectionRaiseDenial(a, type, Jurisdiction.WUJIANG)?.rule ?? null).toBe(expected);
  });
});

describe('objectionHandlerDenial: the owner district\'s data steward', () => {
  test.each([
    [who(Jurisdiction.WUJIANG, [Role.DATA_STEWARD]), null],
    [who(Jurisdiction.QINGPU, [Role.DATA_STEWARD]), 'objection.ownerDistrictOnly'],
    [who(Jurisdiction.JIANGSU, [Role.DATA_STEWARD]), 'objection.ownerDistrictOnly'],
    [who(Jurisdiction.ZONE, [Role.DATA_STEWARD, Role.ADMIN]), 'objection.ownerDistrictOnly'],
    [who(Jurisdiction.WUJIANG, [Role.DOSSIER_READER, Role.ADMIN]), 'objection.stewardOnly'],
    [SYSTEM_PRINCIPAL, null],
  ])('%j', (p, expected) => {
    expect(objectionHandlerDenial(p, Jurisdiction.WUJIANG)?.rule ?? null).toBe(expected);
  });
});

describe('objectionVisibility', () => {
  test('a reader sees its own, and accepted objections to what it may read; a steward its district\'s', () => {
    const v = objectionVisibility(access(who(Jurisdiction.QINGPU, [Role.DOSSIER_READER, Role.DATA_STEWARD], 'qp')));
    expect(v.raisedBy).toBe('qp');
    expect(v.handledDistricts).toEqual([Jurisdiction.QINGPU]);
    expect(v.readable.get(RecordType.PENALTY)).toEqual([Jurisdiction.QINGPU, Jurisdiction.WUJIANG, Jurisdiction.JIASHAN]);
    expect(v.readable.get(RecordType.COMPLAINT)).toEqual([Jurisdiction.QINGPU]);
    expect(v.all).toBe(false);
  });
  test('the public sees none (it sees the flag on the record only)', () => {
    expect(objectionVisibility(access(PUBLIC_PRINCIPAL))).toEqual({ raisedBy: null, handledDistricts: [], readable: new Map(), all: false });
  });
});

describe('verification deadlines are configuration', () => {
  test('none is configured by default (no source gives one: sharing.md §5)', () => {
    for (const d of [Jurisdiction.QINGPU, Jurisdiction.WUJIANG, Jurisdiction.JIASHAN] as const) {
      expect(verifyDueOn(OBJECTION_RULES, d, '2026-09-30')).toBeNull();
    }
  });
  test('a configured limit counts working days on the official calendar, or calendar days', () => {
    const rules = checkObjectionRules({
      version: 't', effectiveFrom: '2026-01-01',
      jurisdictions: { QINGPU: { verifyWithin: { days: 5, unit: 'WORKING' } }, WUJIANG: { verifyWithin: { days: 5, unit: 'CALENDAR' } }, JIASHAN: { verifyWithin: null } },
    });
    // Accepted on the eve of the 2026 National Day holiday: 10-01..10-07 are rest days, 10-10 an adjusted working day.
    expect(verifyDueOn(rules, Jurisdiction.QINGPU, '2026-09-30')).toBe('2026-10-13');
    expect(verifyDueOn(rules, Jurisdiction.WUJIANG, '2026-09-30')).toBe('2026-10-05');
    expect(verifyDueOn(rules, Jurisdiction.JIASHAN, '2026-09-30')).toBeNull();
  });
  test('a bad rules file is refused, naming the entry', () => {
    expect(() => checkObjectionRules({ version: 't', effectiveFrom: 'x', jurisdictions: { QINGPU: { verifyWithin: { days: -1, unit: 'WORKING' } } } }))
      .toThrow(/jurisdictions\.QINGPU\.verifyWithin/);
    expect(() => checkObjectionRules({ version: 't', effectiveFrom: 'x', jurisdictions: { QINGPU: { verifyWithin: null } } })).toThrow(/jurisdictions\.WUJIANG/);
  });
});
