import { ShapedJson, spliceShaped, stringifyResult } from '../../src/graphql/shaped-json';

/** Answers written by PostgreSQL go into the body as they are, in the slot Apollo's result leaves for them. */
describe('ShapedJson in a response body', () => {
  const answer = { edges: [{ node: { name: '苏州青浦环保科技有限公司', fineAmount: '12000.00' } }], totalCount: 1 };
  const shaped = () => new ShapedJson(JSON.stringify(answer));
  const joined = (body: string | string[]) => (Array.isArray(body) ? body.join('') : body);

  test('the body is the result as JSON.stringify writes it, the answer written as its own part', () => {
    const result = { data: { penalties: shaped() }, extensions: { policy: { masked: [{ field: 'Complaint.complainant', rule: 'personal' }] } } };
    const body = spliceShaped(stringifyResult(result));
    expect(Array.isArray(body)).toBe(true);
    expect(body).toContain(JSON.stringify(answer));
    expect(joined(body)).toBe(JSON.stringify({ data: { penalties: answer }, extensions: result.extensions }) + '\n');
  });

  test('several answers, errors first as Apollo orders them, and plain values beside them', () => {
    const result = { errors: [{ message: 'x' }], data: { a: shaped(), b: null, c: shaped(), d: 'plain' } };
    const body = spliceShaped(stringifyResult(result));
    expect(JSON.parse(joined(body))).toEqual({ errors: [{ message: 'x' }], data: { a: answer, b: null, c: answer, d: 'plain' } });
  });

  test('a body without answers is left as it is; a slot whose answer is gone is never sent', () => {
    const plain = stringifyResult({ data: { me: { sub: 'x' } } });
    expect(spliceShaped(plain)).toBe(plain);
    const body = stringifyResult({ data: { a: shaped() } });
    spliceShaped(body);
    // Each slot is filled once: a second splice of the same body finds its answer taken.
    expect(() => spliceShaped(body)).toThrow('missing');
  });

  test('a value that looks like a slot is only a string', () => {
    const lookalike = '\u0000shaped-json:00000000-0000-0000-0000-000000000000:0';
    const body = stringifyResult({ data: { a: lookalike } });
    expect(spliceShaped(body)).toBe(body);
  });

  test('the answer has one holder at a time: once in its slot, the ShapedJson holds it no more', () => {
    const a = shaped();
    const body = stringifyResult({ data: { a } });
    // Handed over to the slot: a second hand-over, or writing it again, is an error, not an empty answer.
    expect(() => a.take()).toThrow('handed over already');
    expect(() => JSON.stringify(a)).toThrow('handed over already');
    expect(JSON.parse(joined(spliceShaped(body)))).toEqual({ data: { a: answer } });
    const b = shaped();
    expect(b.take()).toBe(JSON.stringify(answer));
    expect(() => b.take()).toThrow('handed over already');
  });

  test('met elsewhere, an answer is written as its parsed value', () => {
    expect(JSON.parse(JSON.stringify({ data: { a: shaped() } }))).toEqual({ data: { a: answer } });
  });
});
