import { lintSource } from '@secretlint/core';
import { creator as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';

/**
 * Removes secrets from text before it is stored, sent to a model or posted. Each finding is
 * replaced by `[REDACTED:<kind>]` and counted, so the status comment can say what was removed.
 *
 * Two sources of findings: secretlint's maintained recommended rules (cloud, SaaS and VCS
 * tokens, connection strings, basic auth), which run asynchronously over texts given to
 * `scan` first; and the few rules below for what those rules leave out. Training prompts,
 * review prompts and posted comments all go through the same `redact`, so the model sees the
 * same text at training and at review time.
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
  // Hosts on a private network say where things are; loopback (localhost) says nothing.
  {
    kind: 'private-url',
    pattern:
      /\bhttps?:\/\/(?:10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+|[a-z0-9.-]+\.(?:internal|corp|lan|intranet))(?::\d+)?(?:\/[^\s)"'`>]*)?/gi,
  },
  // A secret-named key given a value that looks like one: a quoted literal, or a bare value
  // with a digit or symbol that ends the statement. `password: never log it` and
  // `password = getPassword(user)` are prose and code, not secrets.
  {
    kind: 'password-assignment',
    pattern:
      /(?<keep>\b[A-Za-z0-9_]*(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?key|auth[_-]?token|client[_-]?secret|private[_-]?key)[A-Za-z0-9_]*["']?\s*(?:=|:|=>)\s*)(?<secret>"[^"\s]{4,}"|'[^'\s]{4,}'|(?=[^\s"',;()]*[\d!#$%^&*+/~])[^\s"',;()]{6,}(?=\s*[,;]?\s*$))/gim,
  },
];

const RECOMMENDED_RULES = {
  id: recommendedRules.meta.id,
  rule: recommendedRules,
  // An access key id alone grants nothing, but it names an account: redact it too.
  rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
};

/** Long runs of token characters, judged by their entropy below. */
const CANDIDATE = /[A-Za-z0-9+/=_-]{24,}/g;
const REDACTED = /\[REDACTED:[a-z0-9-]+\]/;
/** Shorter pieces of a finding (a lone `}` of a key block) are too common to redact everywhere. */
const MIN_SECRET_CHARS = 8;

export class Redactor {
  private readonly counts = new Map<string, number>();
  /** Secrets secretlint found in scanned texts, by the kind of the rule that found them. */
  private readonly found = new Map<string, string>();
  private foundPattern?: RegExp;

  /**
   * Runs secretlint's rules over texts that `redact` will see later; what they find is then
   * redacted wherever it appears. A multi-line finding (a key split over diff rows) is
   * remembered line by line, since hunks are redacted a row at a time.
   */
  async scan(texts: Iterable<string>): Promise<void> {
    const content = [...texts].join('\n');
    if (content.trim() === '') return;
    const result = await lintSource({
      source: { content, filePath: 'scanned.txt', ext: '.txt', contentType: 'text' },
      options: {
        config: { rules: [RECOMMENDED_RULES] },
        noPhysicFilePath: true,
      },
    });
    for (const message of result.messages) {
      const kind = message.ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
      for (const line of content.slice(...message.range).split('\n')) {
        if (line.trim().length >= MIN_SECRET_CHARS) this.found.set(line.trim(), kind);
      }
    }
    const secrets = [...this.found.keys()].sort((a, b) => b.length - a.length);
    this.foundPattern = secrets.length
      ? new RegExp(
          secrets.map((secret) => secret.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'),
          'g',
        )
      : undefined;
  }

  redact(text: string): string {
    let result = this.foundPattern
      ? text.replace(this.foundPattern, (secret) => {
          const kind = this.found.get(secret) ?? 'secret';
          this.count(kind);
          return `[REDACTED:${kind}]`;
        })
      : text;
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
