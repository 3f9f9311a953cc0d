import { describe, expect, it } from '@jest/globals';
import { Redactor } from '../../src/dataset/redact.js';

// Test secrets are assembled at run time so that secret scanners do not flag this file.
const ghToken = ['ghp', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('_');
const awsKey = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
const slack = ['xoxb', '123456789012-abcdefABCDEF'].join('-');
const jwt = [
  'eyJhbGciOiJIUzI1NiJ9',
  'eyJzdWIiOiIxMjM0NTY3ODkwIn0',
  'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
].join('.');
const pem = [
  '-----BEGIN RSA PRIVATE KEY-----',
  '+MIIEowIBAAKCAQEA7',
  '+abcdef',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

describe('Redactor', () => {
  it.each([
    ['a GitHub token', `token: ${ghToken}`, 'github-token'],
    ['an AWS access key', `key ${awsKey} here`, 'aws-access-key'],
    ['a Slack token', `SLACK=${slack}`, 'slack-token'],
    ['a JWT', `Authorization: Bearer ${jwt}`, 'jwt'],
    ['a private key', `+const key = \`\n${pem}\``, 'private-key'],
    ['a password assignment', 'db_password = "hunter2hunter2"', 'password-assignment'],
    ['a YAML secret', 'client_secret: s3cr3tValue', 'password-assignment'],
    ['credentials in a URL', 'postgres://admin:pa55word@db.example.com/prod', 'url-credentials'],
    [
      'a signed URL parameter',
      'https://cdn.example.com/f?X-Amz-Signature=abc123def456',
      'url-secret-parameter',
    ],
    ['a private URL', 'see http://grafana.corp/d/abc for the graph', 'private-url'],
    ['a high-entropy string', 'const salt = "q8Zr3XpL0vKw2NbT7yHs5MdQ9cJf";', 'high-entropy'],
  ])('redacts %s', (_name, text, kind) => {
    const redactor = new Redactor();
    const redacted = redactor.redact(text);
    expect(redacted).toContain(`[REDACTED:${kind}]`);
    expect(redactor.summary()[kind]).toBeGreaterThanOrEqual(1);
    for (const secret of [
      ghToken,
      awsKey,
      slack,
      jwt,
      'hunter2hunter2',
      's3cr3tValue',
      'pa55word',
      'abc123def456',
      'q8Zr3XpL0vKw2NbT7yHs5MdQ9cJf',
    ]) {
      expect(redacted).not.toContain(secret);
    }
  });

  it.each([
    ['ordinary review text', 'Why not reuse the cache here? It was added in #123.'],
    ['a commit SHA', 'Fixed in 3f786850e387550fdab836ed7e6dc881de23001b'],
    ['a long identifier', 'const retryAfterBaseValueInMilliseconds2 = 1000;'],
    ['a public URL', 'See https://docs.github.com/en/rest/pulls/reviews'],
    ['a password check', 'if (password.length < 8) throw new Error()'],
  ])('leaves %s alone', (_name, text) => {
    const redactor = new Redactor();
    expect(redactor.redact(text)).toBe(text);
    expect(redactor.total).toBe(0);
  });

  it('counts findings across calls', () => {
    const redactor = new Redactor();
    redactor.redact(`a ${ghToken} b ${ghToken}`);
    redactor.redact(`c ${awsKey}`);
    expect(redactor.summary()).toEqual({ 'aws-access-key': 1, 'github-token': 2 });
    expect(redactor.total).toBe(3);
  });
});
