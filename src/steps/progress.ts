import type { Reaction } from '../github/reactions.js';
import type { StatusComment } from '../github/status-comment.js';
import {
  appendStatus,
  renderStatus,
  type StatusDocument,
  type StatusLine,
} from '../github/status-document.js';

/**
 * What the PR's status comment says, line by line: each step adds lines as it goes and the
 * comment is edited in place, so the person who asked can follow along. A step that continues
 * a request (`base`, the document as the step found it) adds to what earlier jobs wrote.
 */
export class Progress {
  private readonly lines: StatusLine[] = [];

  constructor(
    private readonly status: StatusComment,
    private readonly reviewer: string,
    private readonly runUrl: string,
    private readonly react: (reaction: Reaction) => Promise<void>,
    private readonly base?: StatusDocument,
  ) {}

  /** Ends the conversation on a problem the person can fix: the status says what, and 😕. */
  async fail(text: string): Promise<void> {
    await this.report({ state: 'failed', text });
    await this.react('confused');
  }

  /** Replaces a trailing "next" line (the plan that just happened) and publishes. */
  async report(...lines: StatusLine[]): Promise<number> {
    while (this.lines.at(-1)?.state === 'next') this.lines.pop();
    this.lines.push(...lines);
    const document = appendStatus(this.base, {
      reviewer: this.reviewer,
      runUrl: this.runUrl,
      lines: this.lines,
    });
    return this.status.update(renderStatus(document));
  }
}
