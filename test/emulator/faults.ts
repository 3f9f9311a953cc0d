/** Injected failures: server errors, secondary and 429 rate limits, slow answers. */
import { STATUS_CODES } from 'node:http';
import type { FaultSpec } from './types.js';

const SECONDARY_LIMIT_DOCS =
  'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';
const DEFAULT_RETRY_AFTER_SECONDS = 60;

export interface FaultResponse {
  status: number;
  body: Record<string, string>;
  headers: Record<string, string>;
}

interface ArmedFault extends FaultSpec {
  remaining: number;
}

export class Faults {
  private readonly armed: ArmedFault[] = [];

  add(spec: FaultSpec): void {
    if (spec.status === undefined && spec.delayMs === undefined) {
      throw new Error('A fault needs a status, a delayMs, or both.');
    }
    this.armed.push({ ...spec, remaining: spec.times ?? 1 });
  }

  /** The first armed fault that matches, with one of its `times` used up. */
  take(method: string, path: string): ArmedFault | undefined {
    const fault = this.armed.find(
      (f) =>
        f.remaining > 0 &&
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (typeof f.path === 'string' ? f.path === path : f.path.test(path)),
    );
    if (fault) fault.remaining -= 1;
    return fault;
  }
}

/** The answer GitHub gives for a fault of this kind. */
export function faultResponse(fault: FaultSpec, requestId: string): FaultResponse {
  const status = fault.status ?? 500;
  const retryAfter = String(fault.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS);
  // GitHub signals a secondary rate limit with 403 or 429, a retry-after header and this message.
  if (status === 403 || status === 429) {
    return {
      status,
      body: {
        message:
          fault.message ??
          `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
        documentation_url: SECONDARY_LIMIT_DOCS,
      },
      headers: { 'retry-after': retryAfter },
    };
  }
  const headers: Record<string, string> =
    fault.retryAfter === undefined ? {} : { 'retry-after': retryAfter };
  const message = status === 500 ? 'Server Error' : (STATUS_CODES[status] ?? 'Error');
  return { status, body: { message: fault.message ?? message }, headers };
}
