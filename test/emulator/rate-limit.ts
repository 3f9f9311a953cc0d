/** The primary rate limit ("core" resource): one budget per emulator, refilled every hour. */
import type { RateLimit } from './types.js';

const WINDOW_SECONDS = 3600;

export class RateBudget {
  private used = 0;
  private resetAt: number;

  constructor(readonly limit: number) {
    this.resetAt = nowSeconds() + WINDOW_SECONDS;
  }

  remaining(): number {
    this.refill();
    return this.limit - this.used;
  }

  spend(): void {
    this.refill();
    this.used = Math.min(this.limit, this.used + 1);
  }

  snapshot(): RateLimit {
    const remaining = this.remaining();
    return {
      limit: this.limit,
      remaining,
      reset: this.resetAt,
      used: this.used,
      resource: 'core',
    };
  }

  headers(): Record<string, string> {
    const snapshot = this.snapshot();
    return {
      'x-ratelimit-limit': String(snapshot.limit),
      'x-ratelimit-remaining': String(snapshot.remaining),
      'x-ratelimit-reset': String(snapshot.reset),
      'x-ratelimit-used': String(snapshot.used),
      'x-ratelimit-resource': snapshot.resource,
    };
  }

  private refill(): void {
    if (nowSeconds() < this.resetAt) return;
    this.used = 0;
    this.resetAt = nowSeconds() + WINDOW_SECONDS;
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
