import { ShapedJson, spliceShaped, stringifyResult } from '../../src/graphql/shaped-json';

/** Answers written by PostgreSQL go into the body as their bytes, in the slot Apollo's result leaves for them. */
describe('ShapedJson in a response body', () => {
  const answer = { edges: [{ node: { name: '苏州青浦环保科技有限公司', fineAmount: '12000.00' } }], totalCount: 1 };
  const shaped = () => new ShapedJson(Buffer.from(JSON.stringify(answer), 'utf8'));

  test('the body is the result as JSON.stringify writes it, the answer spliced in as bytes', () => {
    const result = { data: { penalties: shaped() }, extensions: { policy: { masked: [{ field: 'Complaint.complainant', rule: 'personal' }] } } };
    const body = spliceShaped(stringifyResult(result));
    expect(Buffer.isBuffer(body)).toBe(true);
    expect(body.toString('utf8')).toBe(JSON.stringify({ data: { penalties: answer }, extensions: result.extensions }) + '\n');
  });

  test('several answers, errors first as Apollo orders them, and plain values beside them', () => {
    const result = { errors: [{ message: 'x' }], data: { a: shaped(), b: null, c: shaped(), d: 'plain' } };
    const body = spliceShaped(stringifyResult(result)) as Buffer;
    expect(JSON.parse(body.toString('utf8'))).toEqual({ errors: [{ message: 'x' }], data: { a: answer, b: null, c: answer, d: 'plain' } });
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

  test('met elsewhere, an answer is written as its parsed value', () => {
    expect(JSON.parse(JSON.stringify({ data: { a: shaped() } }))).toEqual({ data: { a: answer } });
  });
});
