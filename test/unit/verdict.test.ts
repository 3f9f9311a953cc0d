import { describe, expect, test } from '@jest/globals';
import { readReply, verdictOf } from '../../src/feedback/verdict.js';

describe('readReply', () => {
  test.each([
    ['No', true, ''],
    ['no.', true, ''],
    ['No: the real problem is the retry loop.', true, 'the real problem is the retry loop.'],
    ['Nope — keep it, but rename `x`', true, 'keep it, but rename `x`'],
    ['I disagree, this is the documented way', true, 'this is the documented way'],
    ['Disagree', true, ''],
    ['Not needed here', true, 'here'],
    ['unnecessary', true, ''],
    ['Wrong; it is sorted already', true, 'it is sorted already'],
    ['False positive.', true, ''],
    ['This is fine', true, ''],
    ["It's fine. Check the caller instead.", true, 'Check the caller instead.'],
    ['not an issue', true, ''],
    ["won't fix", true, ''],
    ['👎', true, ''],
    ['No worries, fixed', false, ''],
    ['No problem', false, ''],
    ['Nobody calls this', false, ''],
    ['Good catch, fixed.', false, ''],
    ['Is this wrong?', false, ''],
    ['', false, ''],
  ])('%j', (body, turnsDown, rest) => {
    expect(readReply(body)).toEqual({ turnsDown, rest });
  });
});

describe('verdictOf', () => {
  test.each([
    [['alice'], ['alice'], true, 'turned-down'],
    [['alice'], [], true, 'approved'],
    [[], [], true, 'addressed'],
    [[], [], false, 'ignored'],
    [[], ['wendy'], false, 'turned-down'],
  ] as const)('approved by %j, turned down by %j, addressed %j: %s', (a, t, addressed, verdict) => {
    expect(verdictOf({ approvedBy: a, turnedDownBy: t, addressed })).toBe(verdict);
  });
});
