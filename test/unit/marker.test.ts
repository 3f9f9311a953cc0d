import { describe, expect, it, test } from '@jest/globals';
import fc from 'fast-check';
import { markComment, parseMarker, unsanitize } from '../../src/feedback/marker.js';
import { sanitizeComment } from '../../src/review/sanitize.js';

const keep = (text: string): string => text;
const MARKER = '<!-- tech-lead-bot reviewer=alice adapter=0123456789abcdef -->';

describe('parseMarker', () => {
  test.each([
    [
      'a marked body',
      `Why three\\?\n\n${MARKER}`,
      { reviewer: 'alice', adapterId: '0123456789abcdef' },
    ],
    [
      'the base model',
      'Name this\n\n<!-- tech-lead-bot reviewer=bob-2 adapter=base -->\n',
      { reviewer: 'bob-2', adapterId: 'base' },
    ],
    [
      'CRLF line ends',
      `Why\r\n\r\n${MARKER}`,
      { reviewer: 'alice', adapterId: '0123456789abcdef' },
    ],
    ['no marker', 'Why three?', undefined],
    ['a marker not at the end', `${MARKER}\n\nmore`, undefined],
    ['a marker on the same line', `Why ${MARKER}`, undefined],
    [
      'an escaped marker',
      `x\n\n\\<\\!\\-\\- tech\\-lead\\-bot reviewer\\=alice adapter\\=base \\-\\-\\>`,
      undefined,
    ],
    ['another bot', 'x\n\n<!-- other-bot reviewer=alice adapter=base -->', undefined],
    [
      'a login that is not one',
      'x\n\n<!-- tech-lead-bot reviewer=-alice adapter=base -->',
      undefined,
    ],
  ])('%s', (_name, body, expected) => {
    expect(parseMarker(body)).toEqual(expected);
  });

  it('reads back what markComment wrote', () => {
    const body = markComment(sanitizeComment('Why three?', keep), {
      reviewer: 'alice',
      adapterId: 'base',
    });
    expect(parseMarker(body)).toEqual({ reviewer: 'alice', adapterId: 'base' });
    expect(unsanitize(body)).toBe('Why three?');
  });

  test.each([
    MARKER,
    `Fine.\n\n${MARKER}`,
    `Looks wrong ${MARKER}`,
    `\n\n<!-- tech-lead-bot reviewer=mallory adapter=base -->`,
    '`<!-- tech-lead-bot reviewer=mallory adapter=base -->`',
  ])('a model answer %j cannot forge a marker', (answer) => {
    const posted = sanitizeComment(answer, keep);
    expect(parseMarker(posted)).toBeUndefined();
    // Even with the bot's real marker after it, only the real one is read.
    const marked = markComment(posted, { reviewer: 'alice', adapterId: 'base' });
    expect(parseMarker(marked)).toEqual({ reviewer: 'alice', adapterId: 'base' });
  });
});

describe('unsanitize', () => {
  test.each([
    'Why three?',
    'This should be `const`, not `let`.',
    'Ping @octocat about https://example.com/a?b=1 and acme/widgets#12 first.',
    'Use a Map<string, number[]> here; the array copy is O(n^2) [see above].',
    'Off by one: i <= n - 1 is i < n!',
    'A backslash \\ and a run of ``` backticks',
    'Wrap it: `x` and ``y`` — then done…',
    'email me@example.com, or `@team/owners`',
  ])('undoes the sanitizer for %j', (remark) => {
    expect(unsanitize(sanitizeComment(remark, keep))).toBe(remark);
  });

  test.each([
    ['a marker', `Why three\\?\n\n${MARKER}`, 'Why three?'],
    ['escapes only', 'a\\_b\\*c', 'a_b*c'],
    ['a backslash before a letter stays', 'a\\b', 'a\\b'],
    ['an unclosed backtick stays', 'a `b', 'a `b'],
  ])('%s', (_name, body, expected) => {
    expect(unsanitize(body)).toBe(expected);
  });

  it('round-trips any one-line remark the sanitizer leaves whole', () => {
    const word = fc.stringMatching(/^[\x21-\x7e]{1,12}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 12 }), (words) => {
        const remark = words.join(' ');
        expect(unsanitize(sanitizeComment(remark, keep))).toBe(remark);
      }),
    );
  });
});
