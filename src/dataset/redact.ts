/**
 * Removes secrets from scraped text before it is stored or sent anywhere. Each finding is
 * replaced by `[REDACTED:<kind>]` and counted, so the status comment can say what was removed.
 */

interface Rule {
  kind: string;
  /** With a named group `keep`, only the text after it (the secret) is replaced. */
  pattern: RegExp;
}

const RULES: Rule[] = [
  {
    kind: 'private-key',
    pattern:
      /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  },
  {
    kind: 'github-token',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
  },
  {
    kind: 'aws-access-key',
    pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b/g,
  },
  { kind: 'slack-token', pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,}\b/g },
  { kind: 'slack-webhook', pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]+/g },
  { kind: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: 'stripe-key', pattern: /\b[sr]k_(?:live|test)_[0-9A-Za-z]{16,}\b/g },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g },
  {
    kind: 'url-credentials',
    pattern: /\b(?<keep>[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:)(?<secret>[^\s@/]+)@/gi,
  },
  {
    kind: 'url-secret-parameter',
    pattern:
      /(?<keep>[?&](?:token|access_token|api_key|apikey|key|sig|signature|x-amz-signature|x-amz-credential|password)=)(?<secret>[^\s&#"']+)/gi,
  },
  {
    kind: 'private-url',
    pattern:
      /\bhttps?:\/\/(?:localhost|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+|[a-z0-9.-]+\.(?:internal|local|corp|lan|intranet))(?::\d+)?(?:\/[^\s)"'`>]*)?/gi,
  },
  {
    kind: 'password-assignment',
    pattern:
      /(?<keep>\b[A-Za-z0-9_]*(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?key|auth[_-]?token|client[_-]?secret|private[_-]?key)[A-Za-z0-9_]*["']?\s*(?:=|:|=>)\s*["']?)(?<secret>[^\s"',;)]{4,})/gi,
  },
];

/** Long runs of token characters, judged by their entropy below. */
const CANDIDATE = /[A-Za-z0-9+/=_-]{24,}/g;
const REDACTED = /\[REDACTED:[a-z-]+\]/;

export class Redactor {
  private readonly counts = new Map<string, number>();

  redact(text: string): string {
    let result = text;
    for (const rule of RULES) {
      result = result.replace(rule.pattern, (...args: unknown[]) => {
        const groups = args.at(-1) as Record<string, string> | undefined;
        this.count(rule.kind);
        const marker = `[REDACTED:${rule.kind}]`;
        return groups?.keep !== undefined ? `${groups.keep}${marker}` : marker;
      });
    }
    return result.replace(CANDIDATE, (candidate) => {
      if (REDACTED.test(candidate) || !looksRandom(candidate)) return candidate;
      this.count('high-entropy');
      return '[REDACTED:high-entropy]';
    });
  }

  /** How many findings of each kind were redacted so far. */
  summary(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  get total(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  private count(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }
}

/**
 * Random-looking: mixes upper case, lower case and digits with high entropy. Hex digests
 * (commit SHAs are everywhere in reviews) and identifiers made of words do not qualify.
 */
function looksRandom(text: string): boolean {
  if (/^[0-9a-f]+$/i.test(text)) return false;
  if (!/[A-Z]/.test(text) || !/[a-z]/.test(text) || !/[0-9]/.test(text)) return false;
  // Identifiers such as someVeryLongFunctionName2 are mostly words; keys are not.
  if (wordiness(text) > 0.5) return false;
  return shannonEntropy(text) >= 4.0;
}

/** The share of the text in runs of four or more letters. */
function wordiness(text: string): number {
  const letters = text.match(/[a-z]{4,}/gi)?.join('').length ?? 0;
  return letters / text.length;
}

function shannonEntropy(text: string): number {
  const frequencies = new Map<string, number>();
  for (const char of text) frequencies.set(char, (frequencies.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of frequencies.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}
