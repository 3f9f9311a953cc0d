import { describe, expect, it } from '@jest/globals';
import { parseCommand } from '../../src/trigger/command.js';

const HANDLE = 'tech-lead-bot';

describe('parseCommand', () => {
  it.each([
    ['@tech-lead-bot alice', 'alice', false],
    ['@tech-lead-bot @alice', 'alice', false],
    ['@tech-lead-bot alice --force-reload', 'alice', true],
    ['@tech-lead-bot --force-reload alice', 'alice', true],
    ['Please have a look\n@tech-lead-bot alice-b\nthanks', 'alice-b', false],
    ['  @Tech-Lead-Bot a1', 'a1', false],
    ['@tech-lead-bot alice\r\n', 'alice', false],
    ['```\n@tech-lead-bot quoted\n```\n@tech-lead-bot real', 'real', false],
  ])('reads %j', (body, reviewer, forceReload) => {
    expect(parseCommand(body, HANDLE)).toMatchObject({ kind: 'command', reviewer, forceReload });
  });

  it.each([
    ['no mention', 'looks good to me'],
    ['a mention inside a sentence', 'ask @tech-lead-bot alice later'],
    ['a block quote', '> @tech-lead-bot alice\n\nwhy did you do this?'],
    ['a nested quote', '> > @tech-lead-bot alice'],
    ['a fenced block', '```\n@tech-lead-bot alice\n```'],
    ['a tilde fence', '~~~md\n@tech-lead-bot alice\n~~~'],
    ['an unclosed fence', '````\n```\n@tech-lead-bot alice'],
    ['inline code', '`@tech-lead-bot alice` is how you call it'],
    ['indented code', '    @tech-lead-bot alice'],
    ['another handle that starts the same', '@tech-lead-bot-2 alice'],
    ['an email-like mention', '@tech-lead-bot.example alice'],
  ])('ignores %s', (_name, body) => {
    expect(parseCommand(body, HANDLE)).toEqual({ kind: 'none' });
  });

  it.each([
    ['@tech-lead-bot', /reviewer is missing/],
    ['@tech-lead-bot --force-reload', /reviewer is missing/],
    ['@tech-lead-bot alice --force', /Unknown option `--force`/],
    ['@tech-lead-bot alice bob', /Unexpected `bob`/],
    ['@tech-lead-bot -alice', /Unknown option/],
    ['@tech-lead-bot alice-', /not a valid GitHub login/],
    ['@tech-lead-bot al--ice', /not a valid GitHub login/],
    ['@tech-lead-bot a_b', /not a valid GitHub login/],
    [`@tech-lead-bot ${'a'.repeat(40)}`, /not a valid GitHub login/],
    ['@tech-lead-bot `alice`', /not a valid GitHub login/],
  ])('explains what is wrong with %j', (body, problem) => {
    const parsed = parseCommand(body, HANDLE);
    expect(parsed.kind).toBe('invalid');
    if (parsed.kind === 'invalid') expect(parsed.problem).toMatch(problem);
  });

  it('accepts the longest valid login', () => {
    const login = `a${'-b'.repeat(19)}`;
    expect(login).toHaveLength(39);
    expect(parseCommand(`@tech-lead-bot ${login}`, HANDLE)).toMatchObject({ reviewer: login });
  });

  it('answers to a configured handle only', () => {
    expect(parseCommand('@reviewbot alice', 'reviewbot')).toMatchObject({ reviewer: 'alice' });
    expect(parseCommand('@tech-lead-bot alice', 'reviewbot')).toEqual({ kind: 'none' });
  });
});
