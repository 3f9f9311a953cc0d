import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { sanitizeComment } from '../../src/review/sanitize.js';

/**
 * The sanitizer is judged by what a CommonMark/GFM renderer makes of its output, not by the
 * characters it changes: whatever the model says, the rendered comment is one paragraph of
 * text and inline code, with nothing GitHub would link, notify or show as markup.
 */
const keep = (text: string): string => text;

const GFM = { extensions: [gfm()], htmlExtensions: [gfmHtml()] };

/** The comment as GitHub's markdown renders it; raw HTML is let through so that it shows. */
function render(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: true, ...GFM });
}

function decode(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** What is wrong with a rendered comment, or undefined when nothing is. */
function problem(html: string): string | undefined {
  const inner = /^<p>([\s\S]*)<\/p>$/.exec(html)?.[1];
  if (html !== '' && inner === undefined) return 'not exactly one paragraph';
  const tags = (inner ?? '').match(/<[^>]*>/g) ?? [];
  const foreign = tags.find((tag) => tag !== '<code>' && tag !== '</code>');
  if (foreign) return `markup ${foreign}`;
  const text = decode((inner ?? '').replace(/<code>[\s\S]*?<\/code>/g, ' '));
  if (/(^|[^\w`])@[A-Za-z0-9]/.test(text)) return 'a mention outside code';
  if (/[a-z][a-z0-9+.-]*:\/\/|www\./i.test(text)) return 'a URL outside code';
  return undefined;
}

/** The text a reader sees. */
function visibleText(html: string): string {
  return decode(html.replace(/<[^>]*>/g, ''));
}

/** Pieces an attacker would combine: markdown syntax, HTML, mentions, links, odd characters. */
const hostile = fc.constantFrom(
  '![x](https://evil.example/p.png)',
  '[click](javascript:alert(1))',
  '[ref]: https://evil.example',
  '[ref]',
  '<img src=x onerror=alert(1)>',
  '<a href="https://evil.example">',
  '</code>',
  '<!-- hidden -->',
  '<https://evil.example>',
  'https://evil.example/x',
  'http://x.y',
  'www.evil.example',
  'mailto:a@b.co',
  'me@evil.example',
  '@octocat',
  '@acme/security-team',
  'acme/widgets#12',
  '`',
  '``',
  '```',
  '\\',
  '\\`',
  '*',
  '_',
  '~~',
  '# ',
  '### ',
  '> ',
  '- ',
  '+ ',
  '1. ',
  '2) ',
  '| a | b |',
  '|---|---|',
  '---',
  '===',
  '    ',
  '\t',
  '\n',
  '\r\n',
  '\n\n',
  '&lt;',
  '&#64;',
  '&amp;',
  '&#x3C;img&#x3E;',
  '[^1]',
  '- [ ] ',
  ':smile:',
  '\u0000',
  '\u001b[31m',
  // Every invisible bidirectional control the sanitizer strips.
  ...['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e'],
  ...['\u2066', '\u2067', '\u2068', '\u2069'],
  '\ufffd',
  '\ud800',
  ' ',
  'a',
  'word',
  '!',
  '(',
  ')',
  '[',
  ']',
  '<',
  '>',
  '"',
  "'",
  '=',
  ':',
  '/',
  '.',
  '#',
  '@',
);

const adversarial = fc.oneof(
  { weight: 4, arbitrary: fc.array(hostile, { maxLength: 24 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 80 }) },
);

describe('sanitizeComment', () => {
  it('renders any model output as one paragraph of plain text, without markup, links or mentions', () => {
    fc.assert(
      // A plain boolean per case keeps 10,000 cases within a few seconds; fast-check prints
      // the smallest failing input.
      fc.property(adversarial, (text) => {
        const sanitized = sanitizeComment(text, keep);
        return (
          problem(render(sanitized)) === undefined &&
          !/[\p{Cc}\p{Cs}\ufffd\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u.test(sanitized)
        );
      }),
      { numRuns: 10_000 },
    );
  });

  it('loses no word: a reader sees the text the model wrote, on one line', () => {
    const oneLine = (text: string): string =>
      text
        .replace(/[\p{Cc}\p{Cs}\ufffd\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    fc.assert(
      fc.property(
        adversarial.filter((text) => text.length <= 200),
        (text) => {
          expect(visibleText(render(sanitizeComment(text, keep)))).toBe(oneLine(text));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ['a mid-line image', 'Looks fine ![x](https://evil.example/p.png) to me'],
    ['a mid-line link', 'See [the docs](https://evil.example/phish) first.'],
    ['an unbalanced backtick before a mention', 'Use `foo here and ask @octocat about `bar`'],
    ['a team mention after a backtick', 'x` @acme/security-team `y'],
    ['raw HTML', 'Nice <img src=x onerror=alert(1)> change'],
    ['a heading', '# Title'],
    ['a quote, list and table on separate lines', '> q\n- item\n| a | b |\n|---|---|'],
  ])('neutralizes %s', (_name, text) => {
    expect(problem(render(sanitizeComment(text, keep)))).toBeUndefined();
  });

  it.each([
    'Why not reuse the cache here? It was added in #123.',
    'This loop is O(n^2); a Map would make it O(n) - worth it for 10k rows.',
    "Don't catch the error here: let it reach main.ts, which reports it.",
    'Prefer `const` over `let` (nothing reassigns it).',
    'Rename getUserData_v2 to fetchUser, and use 3.5 * factor instead of the magic number!',
    'Ask @alice, or see https://docs.github.com/en/rest before changing this.',
  ])('leaves ordinary review text readable: %s', (text) => {
    expect(visibleText(render(sanitizeComment(text, keep)))).toBe(text);
  });

  it('strips control characters and U+FFFD, and keeps one short line', () => {
    const sanitized = sanitizeComment(`a\u0000b\ufffdc\u202e\n\nd ${'long '.repeat(100)}`, keep);
    expect(visibleText(render(sanitized))).toMatch(/^a b c d long long .*…$/);
    expect([...visibleText(render(sanitized))]).toHaveLength(280);
  });

  it('redacts before rendering', () => {
    expect(sanitizeComment('key AKIA…', (text) => text.replace('AKIA…', '[REDACTED]'))).toBe(
      'key \\[REDACTED\\]',
    );
  });
});
