import { checkUscc, usccCheckCharacter, withCheckCharacter } from '../../src/domain/uscc';

describe('USCC (GB 32100-2015)', () => {
  test('the standard\'s worked example: sum 1640, check character 3', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(checkUscc('91350100M000100Y43')).toMatchObject({ valid: true, divisionCode: '350100' });
    expect(checkUscc('91350100M000100Y4Z')).toMatchObject({ valid: false, reason: 'check character should be 3, got Z', expectedCheckCharacter: '3' });
  });

  test('a check value of 31 maps to 0, and letters use their alphabet position (no I O S V Z)', () => {
    // Find a 17-character body whose sum is a multiple of 31, then its check character must be '0'.
    let body = '';
    for (let i = 0; i < 31 && !body; i++) {
      const candidate = '9132050900000000' + '0123456789ABCDEFGHJKLMNPQRTUWXY'[i];
      if (usccCheckCharacter(candidate) === '0') body = candidate;
    }
    expect(body).not.toBe('');
    expect(checkUscc(body + '0').valid).toBe(true);
    // 'Y' is value 30 in the alphabet; the naive ord-55 mapping would give 34.
    const withY = withCheckCharacter('91320509MA1Y00000');
    expect(checkUscc(withY).valid).toBe(true);
  });

  test('infers the zone district from positions 3-8', () => {
    expect(checkUscc(withCheckCharacter('91320509MA1XXXXX0')).jurisdiction).toBe('WUJIANG');
    expect(checkUscc(withCheckCharacter('91310118MA1XXXXX0')).jurisdiction).toBe('QINGPU');
    expect(checkUscc(withCheckCharacter('91330421MA1XXXXX0')).jurisdiction).toBe('JIASHAN');
    expect(checkUscc(withCheckCharacter('91320500MA1XXXXX0')).jurisdiction).toBeUndefined();
  });

  test.each([
    ['', 'must be 18 characters, got 0'],
    ['91320509MA1XXXXX0', 'must be 18 characters, got 17'],
    ['91320509MA1XXXXX0XX', 'must be 18 characters, got 19'],
    ['91320509MA1XXXXXO0', 'character 17 "O" is not allowed (I, O, S, V and Z are not used)'],
    ['91320509ma1XXXXX00', 'character 9 "m" is not allowed (letters must be upper case)'],
    ['9132050-MA1XXXXX00', 'character 8 "-" is not allowed'],
    ['91A20509MA1XXXXX00', 'positions 3-8 are the division code and must be digits; position 3 is "A"'],
  ])('%s is rejected: %s', (code, reason) => {
    expect(checkUscc(code)).toMatchObject({ valid: false, reason });
  });
});
