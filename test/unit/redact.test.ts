import { describe, expect, it } from '@jest/globals';
import { Redactor } from '../../src/text/redact.js';

// Test secrets are assembled at run time so that secret scanners do not flag this file.
const ghToken = ['ghp', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('_');
const awsKey = ['AKIA', 'Q3W7ZK2M5XN8TB4R'].join('');
const slack = ['xoxb', '123456789012', '123456789012', 'abcdefABCDEF12345678'].join('-');
const npmToken = ['npm', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'].join('_');
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

async function redacted(text: string): Promise<{ text: string; redactor: Redactor }> {
  const redactor = new Redactor();
  await redactor.scan([text]);
  return { text: redactor.redact(text), redactor };
}

describe('Redactor', () => {
  it.each([
    ['a GitHub token', `token: ${ghToken}`, 'github', ghToken],
    ['an AWS access key', `key ${awsKey} here`, 'aws', awsKey],
    ['a Slack token', `SLACK=${slack}`, 'slack', slack],
    ['an npm token', `//registry.npmjs.org/:_authToken=${npmToken}`, 'npm', npmToken],
    ['a JWT', `Authorization: Bearer ${jwt}`, 'jwt', jwt],
    ['a private key', `+const key = \`\n${pem}\``, 'private-key', '+abcdef'],
    ['a password literal', 'db_password = "hunter2hunter2"', 'password-assignment', 'hunter2'],
    ['a YAML secret', 'client_secret: s3cr3tValue', 'password-assignment', 's3cr3tValue'],
    [
      'credentials in a URL',
      'postgres://admin:pa55word@db.example.com/prod',
      'database-connection-string',
      'pa55word',
    ],
    ['basic auth in a URL', 'curl https://admin:pa55word@example.com/x', 'basicauth', 'pa55word'],
    [
      'a signed URL parameter',
      'https://cdn.example.com/f?X-Amz-Signature=abc123def456',
      'url-secret-parameter',
      'abc123def456',
    ],
    ['a private URL', 'see http://grafana.corp/d/abc for the graph', 'private-url', 'grafana'],
    [
      'a high-entropy string',
      'const salt = "q8Zr3XpL0vKw2NbT7yHs5MdQ9cJf";',
      'high-entropy',
      'q8Zr3XpL0vKw2NbT7yHs5MdQ9cJf',
    ],
  ])('redacts %s', async (_name, text, kind, secret) => {
    const result = await redacted(text);
    expect(result.text).toContain(`[REDACTED:${kind}]`);
    expect(result.text).not.toContain(secret);
    expect(result.redactor.summary()[kind]).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['ordinary review text', 'Why not reuse the cache here? It was added in #123.'],
    ['a commit SHA', 'Fixed in 3f786850e387550fdab836ed7e6dc881de23001b'],
    ['a long identifier', 'const retryAfterBaseValueInMilliseconds2 = 1000;'],
    ['a public URL', 'See https://docs.github.com/en/rest/pulls/reviews'],
    ['a password check', 'if (password.length < 8) throw new Error()'],
    ['advice about passwords', 'password: never log it'],
    ['a password read from a function', 'const password = getPassword(user)'],
    ['a password field in a type', 'password: string;'],
    ['a localhost URL', 'Start it on http://localhost:3000/api and http://127.0.0.1:8080/'],
    [
      'the example AWS key of the docs',
      `The docs use ${['AKIA', 'IOSFODNN7EXAMPLE'].join('')} as the key id.`,
    ],
  ])('leaves %s alone', async (_name, text) => {
    const result = await redacted(text);
    expect(result.text).toBe(text);
    expect(result.redactor.total).toBe(0);
  });

  it('redacts what a scan found wherever it appears later, a line at a time', async () => {
    const redactor = new Redactor();
    await redactor.scan([`const token = '${ghToken}';`]);
    expect(redactor.redact(`echo ${ghToken}`)).toBe('echo [REDACTED:github]');
  });

  it('counts findings across calls', async () => {
    const redactor = new Redactor();
    await redactor.scan([`a ${ghToken} b ${ghToken}`, `c ${jwt}`]);
    redactor.redact(`a ${ghToken} b ${ghToken}`);
    redactor.redact(`c ${jwt}`);
    expect(redactor.summary()).toEqual({ github: 2, jwt: 1 });
    expect(redactor.total).toBe(3);
  });
});
