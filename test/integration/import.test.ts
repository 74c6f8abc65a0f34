import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { importPrincipal } from '../../src/cli/import';
import { Db } from '../../src/db/datasource';
import { District, Jurisdiction } from '../../src/domain/jurisdictions';
import { withCheckCharacter } from '../../src/domain/uscc';
import { Readable } from 'node:stream';
import { csvRecords, fileLines, importFile, ImportOptions, MAX_LINE_BYTES, MAX_RECORD_LINES } from '../../src/modules/dossier/record-import';
import { RecordWriter } from '../../src/modules/dossier/record-writer';
import { IMPORT_DIALECTS, IMPORT_TYPES, WRITE_SPECS } from '../../src/modules/dossier/write-specs';
import { cloneDatabase } from '../support/templates';

/*
 * The bulk import on a real database: the 双公示 CSV dialect and JSON Lines, the rejects file,
 * the summary, re-runs that change nothing, rule 6 for the importing district, a large file
 * streamed in batches (time and peak memory reported), and the command itself.
 */

let db: Db;
let writer: RecordWriter;
let dir: string;
const AS_OF = '2026-06-01T10:00:00+08:00';
const AUTHORITY = withCheckCharacter('11320509MB1234567');
let n = 0;
const usccIn = (division: string) => withCheckCharacter(`91${division}MA${String(++n).padStart(7, '0')}`);

beforeAll(async () => {
  db = await cloneDatabase('empty');
  writer = new RecordWriter(db.ds);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eco-hub-import-'));
});
afterAll(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string | Buffer): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

/** The summary adds up: every row read is inserted, updated, unchanged or rejected. */
function addsUp(s: { rows: number; inserted: number; updated: number; unchanged: number; rejected: number }): void {
  expect(s.inserted + s.updated + s.unchanged + s.rejected).toBe(s.rows);
}

function run(type: string, f: string, o: Partial<ImportOptions> = {}) {
  const name = IMPORT_TYPES[type];
  return importFile(writer, {
    spec: WRITE_SPECS[name], dialect: IMPORT_DIALECTS[name], file: f, principal: importPrincipal(Jurisdiction.WUJIANG),
    jurisdiction: Jurisdiction.WUJIANG, sourceSystem: 'WJ-SGS', asOf: AS_OF, ...o,
  });
}

function rejects(f: string): Array<{ line: number; record: Record<string, unknown>; code: string; problems: Array<{ field: string; message: string; column?: string }> }> {
  return fs.readFileSync(`${f}.rejects.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

async function changeCount(): Promise<number> {
  const [{ c }] = await db.ds.query('SELECT count(*)::int AS c FROM change_log');
  return c;
}

/** Enterprises written directly, as a district's steward would have. */
async function enterprises(district: District, division: string, count: number): Promise<string[]> {
  const usccs = Array.from({ length: count }, () => usccIn(division));
  const out = await writer.writeBatch(importPrincipal(district), WRITE_SPECS.enterprise, usccs.map((uscc) => ({
    uscc, name: `企业${uscc.slice(10, 17)}有限公司`, industryCode: 'C2614', address: '测试路8号', registrationStatus: 'ACTIVE', sourceSystem: 'T', sourceRecordId: uscc, asOf: AS_OF,
  })), { pathOf: () => '' });
  expect(out.every((o) => o.status === 'INSERTED')).toBe(true);
  return usccs;
}

describe('enterprises from CSV in the hub\'s column names', () => {
  test('insert, rule 6 and problems per line, the rejects file, then a re-run that changes nothing', async () => {
    const wj = [usccIn('320509'), usccIn('320509')];
    const city = usccIn('320500');
    const qp = usccIn('310118');
    const f = file('enterprises.csv', [
      'uscc,name,industryCode,industryName,address,registrationStatus,establishedOn,legalRepName,legalRepIdNumber',
      `${wj[0]},吴江甲印染有限公司,C1713,棉印染精加工,吴江区盛泽镇1号,ACTIVE,2010-05-01,王小明,320584198001011234`,
      `${wj[1]},吴江乙化工有限公司,C2614,有机化学原料制造,"吴江区汾湖镇2号,3幢",ACTIVE,,,`,
      `${city},苏州丙有限公司,C3130,钢压延加工,吴江区同里镇3号,ACTIVE,2012-01-01,,`,
      `${qp},青浦丁有限公司,C1713,,青浦区4号,ACTIVE,,,`,
      `${wj[0].slice(0, 17)}0,,C1713,,吴江区5号,ACTIVE,2010-02-30,,`,
      `${usccIn('320509')},少了几列`,
    ].join('\n') + '\n');
    const s = await run('enterprises', f);
    expect(s).toMatchObject({ rows: 6, inserted: 3, updated: 0, unchanged: 0, rejected: 3, rejectsFile: `${f}.rejects.jsonl` });
    const r = rejects(f);
    expect(r.map((x) => [x.line, x.code])).toEqual([[5, 'FORBIDDEN'], [6, 'BAD_USER_INPUT'], [7, 'BAD_USER_INPUT']]);
    expect(r[2].problems).toEqual([{ field: '(line)', message: 'has 2 fields, the header has 9' }]);
    expect(r[0].problems).toEqual([{ field: '(record)', message: 'a data steward of WUJIANG may not write records of QINGPU' }]);
    expect(r[1].problems.map((p) => p.field)).toEqual(['uscc', 'name', 'establishedOn']);
    expect(r[1].record).toMatchObject({ address: '吴江区5号', establishedOn: '2010-02-30' });

    const rows = await db.ds.query('SELECT uscc, owner_jurisdiction, address, established_on, source_system, source_record_id, source_as_of FROM enterprise WHERE uscc = ANY($1) ORDER BY uscc', [[...wj, city]]);
    expect(rows).toHaveLength(3);
    expect(rows.find((x: any) => x.uscc === city).owner_jurisdiction).toBe('WUJIANG'); // the importing district, as the USCC does not say
    expect(rows.find((x: any) => x.uscc === wj[1])).toMatchObject({ address: '吴江区汾湖镇2号,3幢', established_on: null, source_system: 'WJ-SGS', source_record_id: wj[1] });
    expect(new Date(rows[0].source_as_of).toISOString()).toBe('2026-06-01T02:00:00.000Z');

    const changes = await changeCount();
    const again = await run('enterprises', f);
    expect(again).toMatchObject({ rows: 6, inserted: 0, updated: 0, unchanged: 3, rejected: 3 });
    expect(await changeCount()).toBe(changes);
  });

  test('an unknown column stops the import before anything is written', async () => {
    const before = await changeCount();
    const f = file('bad-header.csv', `uscc,name,colour\n${usccIn('320509')},某公司,red\n`);
    await expect(run('enterprises', f)).rejects.toThrow('unknown column "colour" for Enterprise');
    expect(await changeCount()).toBe(before);
  });
});

describe('every line accounted for: a bad line is rejected alone, with its line number and field', () => {
  const HEADER = 'uscc,name,industryCode,address,registrationStatus';
  const row = (uscc: string, name: string, address = `吴江区${name}路1号`) => `${uscc},${name},C1713,${address},ACTIVE`;
  async function stored(usccs: string[]): Promise<string[]> {
    const rows: Array<{ uscc: string }> = await db.ds.query('SELECT uscc FROM enterprise WHERE uscc = ANY($1)', [usccs]);
    return usccs.filter((u) => rows.some((r) => r.uscc === u));
  }

  test('a NUL byte in a cell rejects that line alone (field named), not its batch; the summary adds up', async () => {
    const u = [1, 2, 3, 4, 5].map(() => usccIn('320509'));
    const f = file('nul.csv', [HEADER, row(u[0], '甲公司'), row(u[1], '乙\u0000公司', '吴江区乙路1号'), row(u[2], '丙公司'), row(u[3], '丁公司', '吴江区\u00001号'), row(u[4], '戊公司')].join('\n') + '\n');
    const before = await changeCount();
    const s = await run('enterprises', f, { batchSize: 2 });
    expect(s).toMatchObject({ rows: 5, inserted: 3, rejected: 2 });
    addsUp(s);
    const r = rejects(f);
    expect(r.map((x) => [x.line, x.code, x.problems])).toEqual([
      [3, 'BAD_USER_INPUT', [{ field: 'name', message: 'must not contain the NUL character (U+0000), found at character 2' }]],
      [5, 'BAD_USER_INPUT', [{ field: 'address', message: 'must not contain the NUL character (U+0000), found at character 4' }]],
    ]);
    expect(r[0].record.name).toBe('乙\u0000公司');
    expect(await stored(u)).toEqual([u[0], u[2], u[4]]);
    expect(await changeCount()).toBe(before + 3);
  });

  test('a stray quote at the start of a cell costs its own line only, reported where it opens; the lines it would swallow are imported', async () => {
    const u = [1, 2, 3, 4].map(() => usccIn('320509'));
    // The 5-line file of issue 10: before, the quote swallowed the lines after it ("inserted 1, rejected 3").
    const f = file('stray-quote.csv', [HEADER, row(u[0], '甲公司'), `${u[1]},"乙公司,C1713,吴江区乙路1号,ACTIVE`, row(u[2], '丙公司'), row(u[3], '丁公司')].join('\n') + '\n');
    const s = await run('enterprises', f);
    expect(s).toMatchObject({ rows: 4, inserted: 3, updated: 0, unchanged: 0, rejected: 1 });
    addsUp(s);
    const [r] = rejects(f);
    expect(r).toMatchObject({ line: 3, code: 'BAD_USER_INPUT', record: `${u[1]},"乙公司,C1713,吴江区乙路1号,ACTIVE` });
    expect(r.problems).toEqual([{ field: 'name', message: expect.stringMatching(/^a quoted field opened on line 3 \(column 2\) is not closed before the end of the file; this line is rejected/) }]);
    expect(await stored(u)).toEqual([u[0], u[2], u[3]]);
  });

  test('a stray quote that a later quoted cell seems to close: still its own line only', async () => {
    const u = [1, 2, 3, 4, 5].map(() => usccIn('320509'));
    const f = file('stray-quote-closed.csv', [
      HEADER, row(u[0], '甲公司'), `${u[1]},"乙公司,C1713,吴江区乙路1号,ACTIVE`, row(u[2], '丙公司'), row(u[3], '丁公司', '"吴江区丁路1号,3幢"'), row(u[4], '戊公司'),
    ].join('\n') + '\n');
    const s = await run('enterprises', f);
    expect(s).toMatchObject({ rows: 5, inserted: 4, rejected: 1 });
    addsUp(s);
    expect(rejects(f).map((x) => [x.line, x.problems[0].field, x.problems[0].message])).toEqual([
      [3, 'name', expect.stringContaining('a quoted field opened on line 3 (column 2) is closed on line 5')],
    ]);
    const [d] = await db.ds.query('SELECT address FROM enterprise WHERE uscc = $1', [u[3]]);
    expect(d.address).toBe('吴江区丁路1号,3幢');
  });

  test('BOM, CRLF and a quoted cell over two lines: the record counts once, lines are numbered as in the file', async () => {
    const u = [1, 2, 3].map(() => usccIn('320509'));
    const f = file('crlf.csv', '\ufeff' + [HEADER, row(u[0], '甲公司'), row(u[1], '乙公司', '"吴江区乙路1号\r\n3幢"'), `${u[2]},丙公司,C1713,吴江区丙路1号,SOMETIMES`, ''].join('\r\n'));
    const s = await run('enterprises', f);
    expect(s).toMatchObject({ rows: 3, inserted: 2, rejected: 1 });
    addsUp(s);
    expect(rejects(f).map((x) => [x.line, x.problems[0].field])).toEqual([[5, 'registrationStatus']]);
    const [b] = await db.ds.query('SELECT address FROM enterprise WHERE uscc = $1', [u[1]]);
    expect(b.address).toBe('吴江区乙路1号\n3幢');
  });

  test('a line that is not UTF-8 (a GBK export) is rejected alone instead of stored as replacement characters', async () => {
    const u = [1, 2].map(() => usccIn('320509'));
    const gbk = Buffer.from([0xd2, 0xd2, 0xb9, 0xab, 0xcb, 0xbe]); // 乙公司 in GBK
    const f = file('gbk.csv', Buffer.concat([Buffer.from(`${HEADER}\n${u[0]},`), gbk, Buffer.from(`,C1713,吴江区1号,ACTIVE\n${row(u[1], '丙公司')}\n`)]));
    const s = await run('enterprises', f);
    expect(s).toMatchObject({ rows: 2, inserted: 1, rejected: 1 });
    addsUp(s);
    expect(rejects(f)).toMatchObject([{ line: 2, problems: [{ field: '(line)', message: expect.stringMatching(/^is not UTF-8 text/) }] }]);
    expect(await stored(u)).toEqual([u[1]]);
  });

  test('JSON Lines: NUL, a lone surrogate and a number for a text, each its record alone; BOM and CRLF read', async () => {
    const u = [1, 2, 3, 4].map(() => usccIn('320509'));
    const rec = (uscc: string, o: Record<string, unknown> = {}) => JSON.stringify({ uscc, name: `企业${uscc.slice(-5)}`, industryCode: 'C1713', address: '路1号', registrationStatus: 'ACTIVE', ...o });
    const f = file('bad-text.jsonl', '\ufeff' + [rec(u[0]), rec(u[1], { name: 'a\u0000b' }), rec(u[2], { address: 'x\ud800y' }), rec(u[3], { industryName: 12 })].join('\r\n') + '\r\n');
    const s = await run('enterprises', f);
    expect(s).toMatchObject({ rows: 4, inserted: 1, rejected: 3 });
    addsUp(s);
    expect(rejects(f).map((x) => [x.line, x.problems])).toEqual([
      [2, [{ field: 'name', message: 'must not contain the NUL character (U+0000), found at character 2' }]],
      [3, [{ field: 'address', message: 'must be well-formed Unicode text: a lone surrogate U+D800 at character 2' }]],
      [4, [{ field: 'industryName', message: 'must be text, got a number (12)' }]],
    ]);
    expect(await stored(u)).toEqual([u[0]]);
  });
});

describe('reading lines and framing CSV records (no database)', () => {
  async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  }
  const lines = (text: string | Buffer[]) => fileLines(Readable.from(typeof text === 'string' ? [Buffer.from(text)] : text));

  test('a quoted field still open after MAX_RECORD_LINES lines: its line is rejected, every line after it read on its own', async () => {
    const text = ['a,"stray', ...Array.from({ length: MAX_RECORD_LINES + 20 }, (_, i) => `r${i},x`)].join('\n');
    const records = await all(csvRecords(lines(text)));
    expect(records).toHaveLength(MAX_RECORD_LINES + 21);
    expect(records[0]).toMatchObject({ line: 1, column: 2, error: expect.stringContaining(`is not closed within ${MAX_RECORD_LINES} lines`) });
    expect(records.slice(1).map((r) => r.line)).toEqual(Array.from({ length: MAX_RECORD_LINES + 20 }, (_, i) => i + 2));
    expect(records.slice(1).every((r) => r.error === undefined)).toBe(true);
  });

  test('a line over MAX_LINE_BYTES is reported, not held, and the next line keeps its number; chunks may split lines and CRLF anywhere', async () => {
    const long = Buffer.alloc(MAX_LINE_BYTES + 10, 0x61);
    const got = await all(lines([Buffer.from('\ufeffh1,h2\r'), Buffer.from('\na,b\r\n'), long, Buffer.from('\nc,'), Buffer.from('d\n')]));
    expect(got.map((l) => [l.n, l.error ? 'error' : l.text])).toEqual([[1, 'h1,h2'], [2, 'a,b'], [3, 'error'], [4, 'c,d']]);
    expect(got[2].error).toBe(`is longer than ${MAX_LINE_BYTES} bytes`);
  });
});

describe('penalties in the 双公示 dialect (CF_* columns)', () => {
  const HEADER = 'CF_WSH,CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_FRDB,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_NR_FK,CF_NR_WFFF,CF_JDRQ,CF_GSJZQ,CF_CFJG,CF_CFJGDM,CF_SJLY,BZ';
  const row = (o: Record<string, string>) => {
    const v: Record<string, string> = {
      CF_WSH: '', CF_XDR_MC: '某公司', CF_XDR_LB: '法人及非法人组织', CF_XDR_SHXYM: '', CF_FRDB: '王小明', CF_WFXW: '超标排放水污染物',
      CF_SY: '外排废水化学需氧量超标', CF_YJ: '《中华人民共和国水污染防治法》第八十三条', CF_CFLB: '罚款', CF_NR: '罚款', CF_NR_FK: '20', CF_NR_WFFF: '',
      CF_JDRQ: '2026-03-01', CF_GSJZQ: '2027-03-01', CF_CFJG: '苏州市吴江生态环境局', CF_CFJGDM: AUTHORITY, CF_SJLY: '苏州市吴江生态环境局', BZ: '', ...o,
    };
    return HEADER.split(',').map((c) => (/[",\n]/.test(v[c]) ? `"${v[c].replace(/"/g, '""')}"` : v[c])).join(',');
  };

  test('columns mapped, 万元 to yuan exactly, Chinese categories to codes, dates normalized; rejects name their column', async () => {
    const [e] = await enterprises(Jurisdiction.WUJIANG, '320509', 1);
    const [other] = await enterprises(Jurisdiction.QINGPU, '310118', 1);
    const ghost = usccIn('320509');
    const k = [1, 2, 3, 4, 5].map((i) => `吴环罚〔2026〕${n}0${i}号`);
    const f = file('penalties.csv', '\ufeff' + [
      HEADER,
      row({ CF_WSH: k[0], CF_XDR_SHXYM: e, CF_CFLB: '罚款、警告', CF_NR_FK: '20', CF_JDRQ: '2026/3/1', CF_GSJZQ: '2027年3月1日' }),
      row({ CF_WSH: k[1], CF_XDR_SHXYM: e, CF_CFLB: '罚款;没收违法所得', CF_NR_FK: '0.0123', CF_NR_WFFF: '1.5', CF_JDRQ: '20260302', CF_GSJZQ: '' }),
      row({ CF_WSH: k[2], CF_XDR_SHXYM: e, CF_CFLB: '罚金', CF_NR_FK: '0.0000001', CF_JDRQ: '2026-02-30' }),
      row({ CF_WSH: k[3], CF_XDR_SHXYM: ghost }),
      row({ CF_WSH: k[4], CF_XDR_SHXYM: other }),
    ].join('\r\n') + '\r\n');
    const before = await changeCount();
    const s = await run('penalties', f);
    expect(s).toMatchObject({ rows: 5, inserted: 2, unchanged: 0, rejected: 3 });

    const rows = await db.ds.query(`SELECT decision_no, categories, fine_amount, confiscation_amount, decision_date, publicity_until, status, source_record_id
      FROM penalty WHERE decision_no = ANY($1) ORDER BY decision_no`, [k]);
    expect(rows).toEqual([
      { decision_no: k[0], categories: ['FINE', 'WARNING'], fine_amount: '200000.00', confiscation_amount: '0.00', decision_date: '2026-03-01', publicity_until: '2027-03-01', status: 'DECIDED', source_record_id: k[0] },
      { decision_no: k[1], categories: ['FINE', 'CONFISCATION_OF_ILLEGAL_GAINS'], fine_amount: '123.00', confiscation_amount: '15000.00', decision_date: '2026-03-02', publicity_until: null, status: 'DECIDED', source_record_id: k[1] },
    ]);
    expect(await changeCount()).toBe(before + 2);

    const r = rejects(f);
    expect(r.map((x) => [x.line, x.code])).toEqual([[4, 'BAD_USER_INPUT'], [5, 'BAD_USER_INPUT'], [6, 'FORBIDDEN']]);
    expect(r[0].record).toMatchObject({ CF_WSH: k[2], CF_CFLB: '罚金' });
    expect(r[0].problems).toEqual([
      { field: 'categories.0', column: 'CF_CFLB', message: expect.stringContaining('got "罚金"') },
      { field: 'fineAmount', column: 'CF_NR_FK', message: 'must have at most 2 decimal places (fen), got 0.001' },
      { field: 'decisionDate', column: 'CF_JDRQ', message: 'must be a date YYYY-MM-DD, got "2026-02-30"' },
    ]);
    expect(r[1].problems).toEqual([{ field: 'uscc', column: 'CF_XDR_SHXYM', message: expect.stringMatching(/no enterprise with USCC/) }]);

    const again = await run('penalties', f);
    expect(again).toMatchObject({ rows: 5, inserted: 0, updated: 0, unchanged: 2, rejected: 3 });
    expect(await changeCount()).toBe(before + 2);
    // A newer export of the same file replaces the records.
    expect(await run('penalties', f, { asOf: '2026-06-02T10:00:00+08:00' })).toMatchObject({ updated: 2, rejected: 3 });
  });

  test('JSON Lines may use the same CF_* names; amounts may be numbers there', async () => {
    const [e] = await enterprises(Jurisdiction.WUJIANG, '320509', 1);
    const key = `吴环罚〔2026〕J${n}号`;
    const f = file('penalties.jsonl', JSON.stringify({
      CF_WSH: key, CF_XDR_SHXYM: e, CF_WFXW: '超标排放', CF_SY: '超标', CF_YJ: '第八十三条', CF_CFLB: ['罚款'], CF_NR: '罚款', CF_NR_FK: 2.5,
      CF_JDRQ: '2026-03-01', CF_CFJG: '苏州市吴江生态环境局', CF_CFJGDM: AUTHORITY, status: 'EXECUTED',
    }) + '\n');
    expect(await run('penalties', f)).toMatchObject({ inserted: 1, rejected: 0 });
    const [p] = await db.ds.query('SELECT fine_amount, status FROM penalty WHERE decision_no = $1', [key]);
    expect(p).toEqual({ fine_amount: '25000.00', status: 'EXECUTED' });
  });
});

describe('credit records from JSON Lines', () => {
  test('good lines write with the feed\'s ops; bad JSON, non-objects, unknown fields and bad values are rejected by line', async () => {
    const [e] = await enterprises(Jurisdiction.WUJIANG, '320509', 1);
    const ev = { recordNo: `XYPJ-${n}`, uscc: e, kind: 'EVALUATION', effectiveOn: '2026-04-01', issuer: '苏州市生态环境局', scheme: 'JIANGSU_5', level: 'BLUE', evaluationYear: 2025 };
    const ls = { recordNo: `吴环失信〔2026〕${n}号`, uscc: e, kind: 'LISTING', effectiveOn: '2026-03-01', issuer: '苏州市吴江生态环境局', listingReason: '偷排', listingLegalBasis: '备忘录', validUntil: '2029-03-01' };
    const f = file('credit.jsonl', [
      JSON.stringify(ev),
      '',
      JSON.stringify(ls),
      '{not json',
      '[1, 2]',
      JSON.stringify({ ...ev, recordNo: `XYPJ-${n}-b`, colour: 'blue' }),
      JSON.stringify({ ...ev, recordNo: `XYPJ-${n}-c`, level: 'A' }),
    ].join('\n'));
    const s = await run('credit-records', f);
    expect(s).toMatchObject({ rows: 6, inserted: 2, rejected: 4 });
    const r = rejects(f);
    expect(r.map((x) => x.line)).toEqual([4, 5, 6, 7]);
    expect(r[0].problems[0].message).toMatch(/^not valid JSON/);
    expect(r[1].problems[0].message).toBe('must be a JSON object of CreditRecordInput fields');
    expect(r[2].problems).toEqual([{ field: 'colour', message: 'is not a field of CreditRecordInput' }]);
    expect(r[3].problems).toEqual([{ field: 'level', message: 'must be a level of JIANGSU_5 (GREEN, BLUE, YELLOW, RED, BLACK), got A' }]);
    const ops = await db.ds.query(`SELECT record_key, op FROM change_log WHERE record_type = 'CREDIT_RECORD' AND uscc = $1 ORDER BY seq`, [e]);
    expect(ops).toEqual([{ record_key: ev.recordNo, op: 'EVALUATED' }, { record_key: ls.recordNo, op: 'LISTED' }]);
    expect(await run('credit-records', f)).toMatchObject({ unchanged: 2, inserted: 0, rejected: 4 });
  });
});

describe('a large file', () => {
  const LINES = process.env.DATABASE_URL ? 100_000 : 20_000;

  test(`${LINES.toLocaleString('en-US')} 双公示 lines stream through in batches, memory flat`, async () => {
    const usccs = await enterprises(Jurisdiction.WUJIANG, '320509', 200);
    const f = path.join(dir, 'large.csv');
    const out = fs.createWriteStream(f);
    out.write('CF_WSH,CF_XDR_SHXYM,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_NR_FK,CF_JDRQ,CF_GSJZQ,CF_CFJG,CF_CFJGDM\n');
    for (let i = 0; i < LINES; i++) {
      const line = `吴环罚〔2025〕L${i}号,${usccs[i % usccs.length]},超标排放水污染物,"2025年${(i % 12) + 1}月现场检查发现外排废水化学需氧量超过《污水综合排放标准》一级标准，超标${(i % 30) / 10 + 0.1}倍",`
        + `《中华人民共和国水污染防治法》第八十三条,罚款、警告,责令改正违法行为，并处罚款,${(i % 90) + 10}.${i % 10},2025-${String((i % 12) + 1).padStart(2, '0')}-15,2026-12-31,苏州市吴江生态环境局,${AUTHORITY}\n`;
      if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r) => out.end(r));
    const bytes = fs.statSync(f).size;

    // A full collection on demand, so what stays in memory can be told from garbage not yet collected.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = base.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 20);
    const progress: number[] = [];
    const retained: number[] = [];
    let s;
    try {
      s = await run('penalties', f, {
        batchSize: 1000,
        onProgress: (p) => {
          progress.push(p.bytes);
          if (progress.length % 5 === 0) {
            gc();
            retained.push(process.memoryUsage().heapUsed);
          }
        },
      });
    } finally {
      clearInterval(sampler);
    }
    const mb = (x: number) => Math.round(x / 1048576);
    const report = `import of ${LINES} lines (${mb(bytes)} MB) on ${db.kind}: ${s.seconds.toFixed(1)} s, ${Math.round(s.rowsPerSecond)} rows/s; `
      + `RSS ${mb(base.rss)} MB before, peak ${mb(peakRss)} MB (+${mb(peakRss - base.rss)}); JS heap ${mb(base.heapUsed)} MB before, peak ${mb(peakHeap)} MB, `
      + `after a full GC every 5 batches ${retained.map(mb).join(' → ')} MB`;
    console.log(report);

    expect(s).toMatchObject({ rows: LINES, inserted: LINES, rejected: 0 });
    const [{ c }] = await db.ds.query(`SELECT count(*)::int AS c FROM penalty WHERE decision_no LIKE '吴环罚〔2025〕L%'`);
    expect(c).toBe(LINES);
    // Streamed: progress came batch by batch as the file was read, not after reading all of it.
    expect(progress.length).toBe(LINES / 1000);
    expect(progress[0]).toBeLessThan(bytes / 2);
    // What stays in the JS heap does not grow with the rows read: a batch at a time, never the file.
    expect(retained[retained.length - 1] - retained[0]).toBeLessThan(16 * 1048576);
  }, 180_000);
});

describe('npm run import', () => {
  test('the command imports as the district\'s steward, reports progress and a summary, and a re-run is a no-op', async () => {
    const data = fs.mkdtempSync(path.join(dir, 'hub-'));
    const f = file('cli-enterprises.jsonl', [usccIn('320509'), usccIn('320509'), usccIn('310118')].map((uscc) => JSON.stringify({
      uscc, name: `企业${uscc.slice(10, 17)}`, industryCode: 'C1713', address: '路1号', registrationStatus: 'ACTIVE', asOf: AS_OF,
    })).join('\n'));
    const env = { ...process.env, HUB_DATA_DIR: data, NODE_ENV: 'development', LOG_LEVEL: 'silent', DATABASE_URL: '' };
    const cli = (...args: string[]) => promisify(execFile)(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/import.ts', ...args], {
      cwd: path.resolve(__dirname, '../..'), env,
    });
    const first = await cli('--type', 'enterprises', '--file', f, '--jurisdiction', 'WUJIANG');
    expect(first.stdout).toMatch(/^imported 3 rows in [\d.]+ s \(\d+ rows\/s\): inserted 2, updated 0, unchanged 0, rejected 1 \(see .*cli-enterprises\.jsonl\.rejects\.jsonl\)\n$/);
    expect(first.stderr).toMatch(/import enterprises: 100% 3 rows, \d+ rows\/s, ETA 00:00, inserted 2, updated 0, unchanged 0, rejected 1/);
    expect(rejects(f)[0]).toMatchObject({ line: 3, code: 'FORBIDDEN' });
    const second = await cli('--type', 'enterprises', '--file', f, '--jurisdiction', 'WUJIANG');
    expect(second.stdout).toMatch(/inserted 0, updated 0, unchanged 2, rejected 1/);
  }, 60_000);
});
