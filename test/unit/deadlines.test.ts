import { parseDataText } from '../../src/domain/enforcement/data-files';
import { computeDeadlines, DeadlineRequest, DeadlineRules, validateDeadlineFile } from '../../src/domain/enforcement/deadlines';
import { EnforcementInputError } from '../../src/domain/enforcement/errors';
import { enforcementData } from '../../src/domain/enforcement/registry';

const rules = (): DeadlineRules => enforcementData().deadlineRules[0];
const schedule = (req: DeadlineRequest) => computeDeadlines(rules(), req);
const due = (req: DeadlineRequest, timer: string) => {
  const d = schedule(req).deadlines.find((x) => x.timer.code === timer);
  if (!d) throw new Error(`${timer} not computed`);
  return d;
};

function refusal(req: DeadlineRequest): EnforcementInputError {
  try {
    schedule(req);
  } catch (e) {
    if (e instanceof EnforcementInputError) return e;
    throw e;
  }
  throw new Error('expected the request to be refused');
}

describe('the case procedure\'s timers, from data', () => {
  test('the numbers live in the data file, with their basis and source label', () => {
    const byCode = new Map(rules().timers.map((t) => [t.code, t]));
    expect(byCode.get('FILING_DECISION')).toMatchObject({ from: 'LEAD_RECEIVED', amount: 15, unit: 'DAYS', dayType: 'CALENDAR', extensions: [{ approval: 'HEAD', maxDays: 15 }], maxTotalDays: 30, label: 'S' });
    expect(byCode.get('DECISION')).toMatchObject({ from: 'FILED', amount: 90, maxTotalDays: 150, excludesSuspensions: true });
    expect(byCode.get('HEARING_REQUEST')).toMatchObject({ amount: 5, dayType: 'WORKING' });
    expect(byCode.get('DECISION_SERVICE')).toMatchObject({ amount: 7, dayType: 'WORKING' });
    expect(byCode.get('PAYMENT')).toMatchObject({ amount: 15, dayType: 'CALENDAR', endOnRestDay: 'NEXT_WORKING_DAY' });
    expect(byCode.get('LIMITATION')).toMatchObject({ amount: 2, unit: 'YEARS', unless: 'SERIOUS_HARM' });
    expect(byCode.get('LIMITATION_SERIOUS_HARM')).toMatchObject({ amount: 5, unit: 'YEARS', onlyIf: 'SERIOUS_HARM' });
    expect(byCode.get('POLICE_TRANSFER')).toMatchObject({ amount: 24, unit: 'HOURS' });
    expect(byCode.get('POLICE_TRANSFER_APPROVAL')).toMatchObject({ amount: 3, unit: 'DAYS' });
  });
});

describe('computing', () => {
  test('filing decision: 15 days, +15 with the head\'s approval, a rest-day end moved to the next working day', () => {
    // 2026-09-16 + 15 = 10-01 (National Day) → the next working day is 10-08.
    const plain = due({ events: [{ event: 'LEAD_RECEIVED', on: '2026-09-16' }] }, 'FILING_DECISION');
    expect([plain.nominalDueOn, plain.dueOn, plain.rolledForward]).toEqual(['2026-10-01', '2026-10-08', true]);
    // +15: 2026-09-16 + 30 = 10-16, a Friday.
    const extended = due({ events: [{ event: 'LEAD_RECEIVED', on: '2026-09-16' }], extensions: [{ timer: 'FILING_DECISION', approval: 'HEAD', days: 15 }] }, 'FILING_DECISION');
    expect([extended.extensionDays, extended.dueOn, extended.rolledForward]).toEqual([15, '2026-10-16', false]);
  });

  test('decision: 90 days from filing, extensions up to 150, suspended periods not counted', () => {
    // 2026-03-02 + 90 = 05-31 (Sunday) → 06-01.
    expect(due({ events: [{ event: 'FILED', on: '2026-03-02' }] }, 'DECISION')).toMatchObject({ nominalDueOn: '2026-05-31', dueOn: '2026-06-01', rolledForward: true });
    // + 30 (head) + 30 (collective) = 150 days: 2026-03-02 + 150 = 07-30 (Thursday);
    // suspended 04-01..04-10 (10 days) and 05-01..05-05 (5 days) → 07-30 + 15 = 08-14 (Friday).
    const d = due({
      events: [{ event: 'FILED', on: '2026-03-02' }],
      extensions: [{ timer: 'DECISION', approval: 'HEAD', days: 30 }, { timer: 'DECISION', approval: 'COLLECTIVE', days: 30 }],
      suspensions: [{ timer: 'DECISION', from: '2026-05-01', to: '2026-05-05' }, { timer: 'DECISION', from: '2026-04-01', to: '2026-04-10' }],
    }, 'DECISION');
    expect([d.extensionDays, d.suspendedDays, d.dueOn]).toEqual([60, 15, '2026-08-14']);
    expect(d.working).toEqual([
      'DECISION (《行政处罚法》第六十条；《生态环境行政处罚办法》第五十七条（延长）, [S]): 90 days from FILED on 2026-03-02',
      '2026-03-02 + 90 + 60 extension days = 2026-07-30',
      'suspension 2026-04-01 to 2026-04-10 (10 days) not counted: 2026-08-09',
      'suspension 2026-05-01 to 2026-05-05 (5 days) not counted: 2026-08-14',
    ]);
  });

  test('a suspension starting after the period ended does not lengthen it', () => {
    const d = due({ events: [{ event: 'FILED', on: '2026-03-02' }], suspensions: [{ timer: 'DECISION', from: '2026-06-02', to: '2026-06-30' }] }, 'DECISION');
    expect([d.suspendedDays, d.dueOn]).toEqual([0, '2026-06-01']);
  });

  test('hearing request, service and withdrawal count working days of the official calendar', () => {
    // Notice served 2026-09-30: 10-08, 10-09, 10-10 (adjusted Saturday), 10-12, 10-13.
    expect(due({ events: [{ event: 'NOTICE_SERVED', on: '2026-09-30' }] }, 'HEARING_REQUEST').dueOn).toBe('2026-10-13');
    // Decided 2026-02-12: 02-13 (1), 02-14 adjusted Saturday (2), holiday to 02-23, 02-24..02-27 (3-6), 02-28 adjusted Saturday (7).
    expect(due({ events: [{ event: 'DECIDED', on: '2026-02-12' }] }, 'DECISION_SERVICE').dueOn).toBe('2026-02-28');
  });

  test('hearing notification: the latest day seven working days before the hearing', () => {
    // Hearing 2026-10-12: back over 10-10, 10-09, 10-08, 09-30, 09-29, 09-28, then the Mid-autumn holiday, 09-24.
    expect(due({ events: [{ event: 'HEARING_DATE', on: '2026-10-12' }] }, 'HEARING_NOTIFICATION').dueOn).toBe('2026-09-24');
  });

  test('payment: 15 calendar days from service, a holiday end moved forward', () => {
    // 2026-09-20 + 15 = 10-05 (National Day) → 10-08.
    expect(due({ events: [{ event: 'DECISION_SERVED', on: '2026-09-20' }] }, 'PAYMENT')).toMatchObject({ nominalDueOn: '2026-10-05', dueOn: '2026-10-08', rolledForward: true });
  });

  test('limitation: two years, or five with the serious-harm flag, ending on the corresponding day', () => {
    const two = schedule({ events: [{ event: 'VIOLATION_ENDED', on: '2024-02-29' }] });
    expect(two.deadlines.map((d) => [d.timer.code, d.dueOn])).toEqual([['LIMITATION', '2026-02-28']]);
    expect(two.pending.find((p) => p.timer.code === 'LIMITATION_SERIOUS_HARM')!.reason).toBe('applies only with flag SERIOUS_HARM');
    const five = schedule({ events: [{ event: 'VIOLATION_ENDED', on: '2024-02-29' }], flags: ['SERIOUS_HARM'] });
    expect(five.deadlines.map((d) => [d.timer.code, d.dueOn])).toEqual([['LIMITATION_SERIOUS_HARM', '2029-02-28']]);
  });

  test('transfer to the police: approval in 3 days, hand-over within 24 hours of approval', () => {
    const s = schedule({ events: [{ event: 'TRANSFER_REPORTED', on: '2026-06-01' }, { event: 'TRANSFER_APPROVED', at: new Date('2026-06-03T16:45:00+08:00') }] });
    expect(s.deadlines.map((d) => [d.timer.code, d.dueOn, d.dueAt?.toISOString() ?? null])).toEqual([
      ['POLICE_TRANSFER_APPROVAL', '2026-06-04', null],
      ['POLICE_TRANSFER', '2026-06-04', '2026-06-04T08:45:00.000Z'],
    ]);
    // An hour period needs the instant.
    expect(due({ events: [{ event: 'TRANSFER_APPROVED', on: '2026-06-03' }] }, 'POLICE_TRANSFER')).toMatchObject({ dueOn: null, refusal: 'POLICE_TRANSFER counts hours: give the instant (at) of TRANSFER_APPROVED' });
  });

  test('a deadline needing days beyond the official calendar is not guessed; the others are still computed', () => {
    const s = schedule({ events: [{ event: 'DECIDED', on: '2026-12-25' }, { event: 'FILED', on: '2026-12-01' }] });
    const service = s.deadlines.find((d) => d.timer.code === 'DECISION_SERVICE')!;
    expect(service.dueOn).toBeNull();
    expect(service.refusal).toMatch(/^2027-01-01 is outside the official calendar the hub knows \(2004-01-01 to 2026-12-31, chinese-days 1\.5\.7/);
    // 2026-12-01 + 90 = 2027-03-01: the rest-day rule needs 2027, so it is refused too.
    expect(s.deadlines.find((d) => d.timer.code === 'DECISION')).toMatchObject({ nominalDueOn: '2027-03-01', dueOn: null });
    // A calendar-day period without the rest-day rule needs no calendar.
    expect(due({ events: [{ event: 'POLICE_FILED', on: '2026-12-30' }] }, 'CASE_FILES_HANDOVER').dueOn).toBe('2027-01-02');
  });

  test('timers whose event has not happened are listed as pending', () => {
    const s = schedule({ events: [{ event: 'FILED', on: '2026-03-02' }] });
    expect(s.deadlines.map((d) => d.timer.code)).toEqual(['DECISION']);
    expect(s.pending.find((p) => p.timer.code === 'PAYMENT')!.reason).toBe('waits for DECISION_SERVED');
  });
});

describe('bad input: a typed error naming the field and the rule', () => {
  const filed = [{ event: 'FILED', on: '2026-03-02' }];
  test.each([
    ['an unknown event', { events: [{ event: 'ARRESTED', on: '2026-03-02' }] }, 'events[0].event', 'UNKNOWN_EVENT'],
    ['an event twice', { events: [...filed, { event: 'FILED', on: '2026-03-03' }] }, 'events[1].event', 'DUPLICATE_EVENT'],
    ['an event without a date', { events: [{ event: 'FILED' }] }, 'events[0]', 'EVENT_WITHOUT_DATE'],
    ['a day and an instant that disagree', { events: [{ event: 'FILED', on: '2026-03-02', at: new Date('2026-03-02T17:00:00Z') }] }, 'events[0].at', 'DAY_MISMATCH'],
    ['an unknown flag', { events: filed, flags: ['URGENT'] }, 'flags[0]', 'UNKNOWN_FLAG'],
    ['an extension of an unknown timer', { events: filed, extensions: [{ timer: 'NOPE', approval: 'HEAD', days: 10 }] }, 'extensions[0].timer', 'UNKNOWN_TIMER'],
    ['an extension the timer does not allow', { events: filed, extensions: [{ timer: 'PAYMENT', approval: 'HEAD', days: 10 }] }, 'extensions[0].approval', 'EXTENSION_NOT_ALLOWED'],
    ['an approval the timer does not name', { events: filed, extensions: [{ timer: 'DECISION', approval: 'MAYOR', days: 10 }] }, 'extensions[0].approval', 'EXTENSION_NOT_ALLOWED'],
    ['an extension longer than allowed', { events: filed, extensions: [{ timer: 'DECISION', approval: 'HEAD', days: 31 }] }, 'extensions[0].days', 'EXTENSION_TOO_LONG'],
    ['the same approval twice', { events: filed, extensions: [{ timer: 'DECISION', approval: 'HEAD', days: 10 }, { timer: 'DECISION', approval: 'HEAD', days: 10 }] }, 'extensions[1].approval', 'DUPLICATE_EXTENSION'],
    ['a suspension of a timer that counts none', { events: filed, suspensions: [{ timer: 'PAYMENT', from: '2026-04-01', to: '2026-04-02' }] }, 'suspensions[0].timer', 'SUSPENSION_NOT_ALLOWED'],
    ['a suspension ending before it starts', { events: filed, suspensions: [{ timer: 'DECISION', from: '2026-04-02', to: '2026-04-01' }] }, 'suspensions[0].to', 'SUSPENSION_REVERSED'],
    ['a suspension before filing', { events: filed, suspensions: [{ timer: 'DECISION', from: '2026-03-01', to: '2026-03-05' }] }, 'suspensions[0].from', 'SUSPENSION_BEFORE_START'],
    ['overlapping suspensions', { events: filed, suspensions: [{ timer: 'DECISION', from: '2026-04-01', to: '2026-04-10' }, { timer: 'DECISION', from: '2026-04-10', to: '2026-04-12' }] }, 'suspensions[1].from', 'SUSPENSIONS_OVERLAP'],
  ] as Array<[string, DeadlineRequest, string, string]>)('%s', (_what, req, field, rule) => {
    expect(refusal(req)).toMatchObject({ field, rule });
  });
});

describe('validating a deadline rules file', () => {
  test('inconsistent timers are reported on their lines', () => {
    const text = `{
  "version": "T", "title": "t", "effectiveFrom": "2023-07-01", "source": "s",
  "events": [ { "code": "A", "name": "a", "nameEn": "a" } ],
  "timers": [
    { "code": "X", "name": "x", "nameEn": "x", "basis": "b", "label": "V", "from": "B", "period": { "amount": 5, "unit": "DAYS" }, "dayType": "WORKING", "extensions": [ { "approval": "HEAD", "maxDays": 5 } ] },
    { "code": "Y", "name": "y", "nameEn": "y", "basis": "b", "label": "V", "from": "A", "period": { "amount": 2, "unit": "YEARS" }, "dayType": "WORKING", "onlyIf": "F" },
    { "code": "Z", "name": "z", "nameEn": "z", "basis": "b", "label": "V", "from": "A", "period": { "amount": 90, "unit": "DAYS" }, "dayType": "CALENDAR", "maxTotalDays": 60 }
  ]
}`;
    const { source } = parseDataText(text, 't.json');
    const out: string[] = [];
    expect(validateDeadlineFile(source!, (at, m) => out.push(`${source!.lineOf(at)}: ${m}`))).toBeUndefined();
    expect(out).toEqual([
      '5: timer X: event B is not declared under events',
      '5: timer X: extensions, maxTotalDays and excludesSuspensions apply to calendar-day periods counted forward',
      '6: timer Y: flag F is not declared under flags',
      '6: timer Y: working days count DAYS, not YEARS',
      '7: timer Z: maxTotalDays 60 is shorter than the period (90)',
    ]);
  });
});
