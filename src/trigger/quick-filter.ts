import { readFileSync } from 'node:fs';

/**
 * Decides, before the bundle's dependencies load, whether a run can end at once: a comment
 * event whose text never names the bot. It errs towards "maybe": anything it cannot read
 * is left to the full check in main.
 */
export function quickSkipReason(env: NodeJS.ProcessEnv): string | undefined {
  const step = (env.INPUT_STEP ?? '').trim() || 'prepare';
  if (step !== 'prepare' || env.GITHUB_EVENT_NAME !== 'issue_comment' || !env.GITHUB_EVENT_PATH) {
    return undefined;
  }
  // The runner fills the handle from action.yml's default; without one, main decides.
  const handle = (env.INPUT_HANDLE ?? '').trim().replace(/^@/, '');
  if (!handle) return undefined;
  let body: unknown;
  try {
    const event: unknown = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
    body = isRecord(event) && isRecord(event.comment) ? event.comment.body : undefined;
  } catch {
    return undefined;
  }
  if (typeof body !== 'string') return undefined;
  if (body.toLowerCase().includes(`@${handle.toLowerCase()}`)) return undefined;
  return `The comment does not mention @${handle}; nothing to do.`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
