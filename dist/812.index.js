export const id = 812;
export const ids = [812];
export const modules = {

/***/ 812:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js
var github = __webpack_require__(1351);
;// CONCATENATED MODULE: ./src/errors.ts
/** An error whose message is written for the person who triggered the bot. */
class ActionError extends Error {
    name = 'ActionError';
}
function errorMessage(error) {
    if (error instanceof Error)
        return error.message;
    return String(error);
}

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/utils.js + 19 modules
var utils = __webpack_require__(906);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-paginate-rest/dist-bundle/index.js
var dist_bundle = __webpack_require__(3779);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var plugin_retry_dist_bundle = __webpack_require__(9735);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var plugin_throttling_dist_bundle = __webpack_require__(6856);
;// CONCATENATED MODULE: ./src/github/octokit.ts





const Client = utils/* GitHub */.gq.plugin(dist_bundle/* paginateRest */.ud, plugin_retry_dist_bundle/* retry */.L, plugin_throttling_dist_bundle/* throttling */.A);
/** Waits longer than this are not worth holding a runner for: fail with a clear message. */
const MAX_WAIT_SECONDS = 120;
/**
 * The one GitHub client of a run. Server errors are retried with backoff (1 s, 4 s, 9 s);
 * client errors never are, except rate limits, which wait as long as GitHub asks when that
 * is short.
 */
function createOctokit(token) {
    return new Client((0,utils/* getOctokitOptions */.EG)(token, {
        retry: { retries: 3, doNotRetry: [400, 401, 403, 404, 410, 422, 451] },
        throttle: {
            onRateLimit: (retryAfter, options, _octokit, retryCount) => {
                const retryIt = retryCount < 1 && retryAfter <= MAX_WAIT_SECONDS;
                core/* warning */.$e(`GitHub rate limit reached for ${options.method} ${options.url}; ${retryIt ? `retrying in ${retryAfter} s` : 'giving up'}.`);
                return retryIt;
            },
            onSecondaryRateLimit: (retryAfter, options, _octokit, retryCount) => {
                const retryIt = retryCount < 2 && retryAfter <= MAX_WAIT_SECONDS;
                core/* warning */.$e(`GitHub secondary rate limit for ${options.method} ${options.url}; ${retryIt ? `retrying in ${retryAfter} s` : 'giving up'}.`);
                return retryIt;
            },
        },
    }));
}

;// CONCATENATED MODULE: ./src/trigger/login.ts
/** GitHub logins: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
function isValidLogin(login) {
    return LOGIN.test(login);
}

;// CONCATENATED MODULE: ./src/settings.ts


class InputError extends Error {
    name = 'InputError';
}
/** Reads and validates every input of action.yml into one settings object. */
function getSettings() {
    const githubToken = core/* getInput */.V4('github-token', { required: true });
    core/* setSecret */.Pq(githubToken);
    const modelApiKey = optional(core/* getInput */.V4('model-api-key'));
    if (modelApiKey)
        core/* setSecret */.Pq(modelApiKey);
    return {
        step: oneOf('step', ['prepare', 'review']),
        githubToken,
        // action.yml holds the defaults; an input set to '' is an error, not a second default.
        handle: handle(core/* getInput */.V4('handle', { required: true })),
        allowedReviewers: allowedReviewers(core/* getMultilineInput */.q3('allowed-reviewers')),
        s3: s3Settings(),
        baseModel: core/* getInput */.V4('base-model', { required: true }),
        maxHunkTokens: integer('max-hunk-tokens', 64),
        history: {
            maxComments: integer('max-history-comments', 1),
            minComments: integer('min-history-comments', 1),
            negativeRatio: number('negative-ratio', 0, 10),
            staleAfterComments: integer('stale-after-comments', 1),
            staleAfterFeedback: integer('stale-after-feedback', 1),
            retainDatasets: core/* getBooleanInput */.Vt('retain-datasets'),
        },
        feedbackFrom: oneOf('feedback-from', ['reviewer', 'writers']),
        review: {
            reviewer: optionalLogin('reviewer'),
            pullNumber: optionalId('pull-number'),
            commentId: optionalId('comment-id'),
            statusCommentId: optionalId('status-comment-id'),
            trainingResult: optional(core/* getInput */.V4('training-result')),
            requestTimeoutMs: number('request-timeout-seconds', 1, 3600) * 1000,
            modelServerUrl: url('model-server-url'),
            modelApiKey,
            maxComments: integer('max-comments', 0),
            minConfidence: core/* getInput */.V4('min-confidence') === '' ? undefined : number('min-confidence', 0, 1),
            concurrency: integer('concurrency', 1, 256),
            excludePaths: core/* getMultilineInput */.q3('exclude-paths'),
            tone: oneOf('tone', ['reviewer', 'snarky']),
        },
    };
}
function optional(value) {
    return value === '' ? undefined : value;
}
function oneOf(name, allowed) {
    const value = core/* getInput */.V4(name) || allowed[0];
    const match = allowed.find((candidate) => candidate === value);
    if (match === undefined) {
        throw new InputError(`Invalid ${name} '${value}'. Expected one of: ${allowed.join(', ')}.`);
    }
    return match;
}
function number(name, min, max = Number.POSITIVE_INFINITY) {
    const raw = core/* getInput */.V4(name, { required: true });
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value) || value < min || value > max) {
        const range = max === Number.POSITIVE_INFINITY ? `>= ${min}` : `between ${min} and ${max}`;
        throw new InputError(`Invalid ${name} '${raw}'. Expected a number ${range}.`);
    }
    return value;
}
function integer(name, min, max = Number.POSITIVE_INFINITY) {
    const value = number(name, min, max);
    if (!Number.isInteger(value)) {
        throw new InputError(`Invalid ${name} '${core/* getInput */.V4(name)}'. Expected a whole number.`);
    }
    return value;
}
function optionalId(name) {
    const raw = core/* getInput */.V4(name);
    if (raw === '')
        return undefined;
    if (!/^[1-9]\d{0,15}$/.test(raw)) {
        throw new InputError(`Invalid ${name} '${raw}'. Expected a positive whole number.`);
    }
    return Number(raw);
}
function optionalLogin(name) {
    const raw = core/* getInput */.V4(name).replace(/^@/, '');
    if (raw === '')
        return undefined;
    if (!isValidLogin(raw))
        throw new InputError(`Invalid ${name} '${raw}'. Expected a GitHub login.`);
    return raw;
}
function handle(value) {
    const name = value.replace(/^@/, '');
    // A bot handle is a login, or an app's slug that may end in "[bot]".
    if (!isValidLogin(name.replace(/\[bot\]$/, ''))) {
        throw new InputError(`Invalid handle '${value}'. Expected a GitHub login such as tech-lead-bot.`);
    }
    return name;
}
function allowedReviewers(lines) {
    const logins = lines
        .flatMap((line) => line.split(','))
        .map((login) => login.trim().replace(/^@/, ''))
        .filter((login) => login !== '');
    for (const login of logins) {
        if (!isValidLogin(login)) {
            throw new InputError(`Invalid allowed-reviewers entry '${login}'. Expected GitHub logins separated by commas or newlines.`);
        }
    }
    return logins;
}
function url(name) {
    const value = optional(core/* getInput */.V4(name));
    if (value === undefined)
        return undefined;
    let parsed;
    try {
        parsed = new URL(value);
    }
    catch {
        throw new InputError(`Invalid ${name} '${value}'. Expected an http(s) URL.`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new InputError(`Invalid ${name} '${value}'. Expected an http(s) URL.`);
    }
    return value.replace(/\/+$/, '');
}
function s3Settings() {
    const uri = optional(core/* getInput */.V4('s3-uri'));
    if (uri === undefined)
        return undefined;
    const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
    if (!match?.[1]) {
        throw new InputError(`Invalid s3-uri '${uri}'. Expected s3://bucket/prefix.`);
    }
    const sse = oneOf('s3-sse', ['AES256', 'aws:kms', 'none']);
    const kmsKeyId = optional(core/* getInput */.V4('s3-kms-key-id'));
    if (sse === 'aws:kms' && kmsKeyId === undefined) {
        throw new InputError(`s3-sse 'aws:kms' needs s3-kms-key-id: the KMS key id or ARN to use.`);
    }
    return {
        bucket: match[1],
        prefix: (match[2] ?? '').replace(/^\/+|\/+$/g, ''),
        region: optional(core/* getInput */.V4('aws-region')) ?? process.env.AWS_REGION,
        endpoint: url('s3-endpoint'),
        sse,
        kmsKeyId,
    };
}

;// CONCATENATED MODULE: ./src/github/errors.ts

/** GitHub's answer when GITHUB_TOKEN lacks a permission the workflow did not grant. */
const NOT_ACCESSIBLE_BY_INTEGRATION = 'Resource not accessible by integration';
const SECONDARY_RATE_LIMIT = /secondary rate limit/i;
function isRequestFailure(error) {
    return (error instanceof Error &&
        'status' in error &&
        typeof error.status === 'number' &&
        typeof error.message === 'string');
}
function hasStatus(error, status) {
    return isRequestFailure(error) && error.status === status;
}
/**
 * Runs one GitHub call and turns a failure into a message that says what to do about it.
 * `action` completes "Could not ..."; `permission` is what the workflow must grant for it.
 */
async function callGitHub(action, permission, call) {
    try {
        return await call();
    }
    catch (error) {
        throw gitHubFailure(error, action, permission);
    }
}
/** An error for a failed GitHub call whose message says what to do about it. */
function gitHubFailure(error, action, permission) {
    return new ActionError(explain(error, action, permission), { cause: error });
}
function explain(error, action, permission) {
    const what = `Could not ${action}`;
    if (!isRequestFailure(error))
        return `${what}: ${error instanceof Error ? error.message : String(error)}`;
    const { status, message } = error;
    const headers = error.response?.headers ?? {};
    if (status === 401) {
        return `${what}: GitHub rejected the token (401 Bad credentials). Leave the github-token input at its default, \${{ github.token }}, or pass a valid token.`;
    }
    if (status === 403 && message.includes(NOT_ACCESSIBLE_BY_INTEGRATION)) {
        const grant = permission ?? 'the permission this call needs';
        return `${what}: the workflow's token is not allowed to (403 ${NOT_ACCESSIBLE_BY_INTEGRATION}). Grant \`${grant}\` in the workflow's \`permissions:\`.`;
    }
    if ((status === 403 || status === 429) && SECONDARY_RATE_LIMIT.test(message)) {
        return `${what}: GitHub's secondary rate limit still applied after retrying (${status}). Wait a few minutes and comment again.`;
    }
    if ((status === 403 || status === 429) && String(headers['x-ratelimit-remaining']) === '0') {
        const reset = Number(headers['x-ratelimit-reset']);
        const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : '';
        return `${what}: the token's GitHub API rate limit is used up${when}. Comment again after that.`;
    }
    if (status >= 500) {
        return `${what}: GitHub answered ${status} even after retrying. GitHub may be having trouble; comment again later.`;
    }
    return `${what}: GitHub answered ${status} ${message}`;
}

;// CONCATENATED MODULE: ./src/github/comments.ts

const PERMISSION = 'pull-requests: write';
/** Posts a new comment on the pull request (or issue). */
async function postComment(octokit, ref, body) {
    const { data } = await callGitHub('comment on the pull request', PERMISSION, () => octokit.rest.issues.createComment({
        owner: ref.owner,
        repo: ref.repo,
        issue_number: ref.issueNumber,
        body,
    }));
    return data.id;
}
/** Answers a comment: the line it is about, quoted, then the message. */
async function replyTo(octokit, ref, quotedLine, message) {
    const quote = quotedLine.trim().slice(0, 200);
    return postComment(octokit, ref, `> ${quote}\n\n${message}`);
}

;// CONCATENATED MODULE: ./src/github/reactions.ts

async function reactToComment(octokit, ref, commentId, content) {
    await callGitHub(`add a ${content} reaction to the comment`, 'pull-requests: write', () => octokit.rest.reactions.createForIssueComment({
        owner: ref.owner,
        repo: ref.repo,
        comment_id: commentId,
        content,
    }));
}

;// CONCATENATED MODULE: ./src/github/status-document.ts
/**
 * The status comment's document and its body, as contracts/status-comment/README.md specifies
 * them; the Python trainer implements the same spec and both test suites check its golden files.
 */
const ICONS = { done: '✅', next: '⏳', failed: '❌', note: 'ℹ️' };
const STATES = new Map(Object.entries(ICONS).map(([state, icon]) => [icon, state]));
const MARKER = /^<!-- tech-lead-bot:status reviewer=([^\s]+) -->$/;
const HEADING = /^### tech-lead-bot · reviewing as `([^`]+)`$/;
const LINE = /^- (\S+) (.+)$/;
const FOOTER = /^<sub>\[Workflow run\]\((\S+)\)<\/sub>$/;
/** The hidden first line that finds a reviewer's status comment again on the next run or step. */
function statusMarker(reviewer) {
    return `<!-- tech-lead-bot:status reviewer=${reviewer.toLowerCase()} -->`;
}
/** The comment's body, marker included. */
function renderStatus(document) {
    const body = [
        statusMarker(document.reviewer),
        `### tech-lead-bot · reviewing as \`${document.reviewer}\``,
        '',
        ...document.lines.map((line) => `- ${ICONS[line.state]} ${oneLine(line.text)}`),
    ];
    for (const block of document.blocks)
        body.push('', withoutBlankLines(block));
    body.push('', `<sub>[Workflow run](${document.runUrl})</sub>`);
    return body.join('\n');
}
/** The document a body renders, or undefined when the body is not a status comment of this shape. */
function parseStatus(body) {
    const [marker = '', heading = '', ...rest] = body.replace(/\r\n/g, '\n').split('\n');
    const reviewer = HEADING.exec(heading)?.[1];
    if (!reviewer || MARKER.exec(marker)?.[1] !== reviewer.toLowerCase())
        return undefined;
    const sections = rest.join('\n').split(/\n[ \t]*\n/);
    const [first = '', ...more] = sections;
    const runUrl = FOOTER.exec(more.pop()?.trim() ?? '')?.[1];
    if (rest[0] !== '' || runUrl === undefined)
        return undefined;
    const lines = [];
    for (const text of first.split('\n').filter((line) => line !== '')) {
        const match = LINE.exec(text);
        const state = match && STATES.get(match[1] ?? '');
        if (!match?.[2] || !state)
            return undefined;
        lines.push({ state, text: match[2] });
    }
    return { reviewer, lines, blocks: more.filter((block) => block.trim() !== ''), runUrl };
}
/** What a step publishes: the document as it read it, then its own lines and blocks. */
function appendStatus(base, added) {
    const lines = [...(base?.lines ?? [])];
    // A trailing "next" line was the plan; the step that now runs says what happened.
    while (lines.at(-1)?.state === 'next')
        lines.pop();
    return {
        reviewer: base?.reviewer ?? added.reviewer,
        lines: [...lines, ...added.lines],
        blocks: [...(base?.blocks ?? []), ...(added.blocks ?? [])],
        runUrl: added.runUrl,
    };
}
function oneLine(text) {
    return text.replace(/\s*\n\s*/g, ' ').trim();
}
function withoutBlankLines(block) {
    return block
        .split('\n')
        .filter((line) => line.trim() !== '')
        .join('\n');
}

;// CONCATENATED MODULE: ./src/github/status-comment.ts


const status_comment_PERMISSION = 'pull-requests: write';
/**
 * The one comment per pull request and reviewer that every step edits, so that progress and
 * errors collect in one place instead of piling up new comments.
 */
class StatusComment {
    octokit;
    ref;
    id;
    found;
    constructor(octokit, ref, id, 
    /** The body as this step found it; undefined until read (or when there is none yet). */
    found) {
        this.octokit = octokit;
        this.ref = ref;
        this.id = id;
        this.found = found;
    }
    /** Finds the existing status comment for this reviewer (written by a bot), if any. */
    static async find(octokit, ref, reviewer) {
        const marker = statusMarker(reviewer);
        const comments = await callGitHub('read the pull request comments', undefined, () => octokit.paginate(octokit.rest.issues.listComments, {
            owner: ref.owner,
            repo: ref.repo,
            issue_number: ref.issueNumber,
            per_page: 100,
        }));
        const existing = comments.find((comment) => comment.user?.type === 'Bot' && comment.body?.startsWith(marker) === true);
        return new StatusComment(octokit, ref, existing?.id, existing?.body);
    }
    /** Resumes a status comment whose id an earlier step passed on, with the text it has now. */
    static async fromId(octokit, ref, id) {
        const { data } = await callGitHub('read the status comment', 'pull-requests: read', () => octokit.rest.issues.getComment({ owner: ref.owner, repo: ref.repo, comment_id: id }));
        return new StatusComment(octokit, ref, id, data.body);
    }
    /** The comment's body when this step found it, for the step to add to. */
    get foundBody() {
        return this.found;
    }
    get commentId() {
        return this.id;
    }
    /** Replaces the comment's body, creating the comment the first time. */
    async update(body) {
        const { owner, repo } = this.ref;
        const existingId = this.id;
        if (existingId !== undefined) {
            await callGitHub('update the status comment', status_comment_PERMISSION, () => this.octokit.rest.issues.updateComment({ owner, repo, comment_id: existingId, body }));
            return existingId;
        }
        const { data } = await callGitHub('post the status comment', status_comment_PERMISSION, () => this.octokit.rest.issues.createComment({
            owner,
            repo,
            issue_number: this.ref.issueNumber,
            body,
        }));
        this.id = data.id;
        return data.id;
    }
}

;// CONCATENATED MODULE: ./src/trigger/command.ts

const FLAGS = new Set(['--force-reload']);
function usage(handle) {
    return `\`@${handle} <reviewer> [--force-reload]\``;
}
/**
 * Finds the first line of a comment that starts with `@handle` outside code fences, indented
 * code and block quotes, and reads the reviewer and flags that follow it.
 */
function parseCommand(body, handle) {
    const line = commandLine(body, handle);
    if (line === undefined)
        return { kind: 'none' };
    const words = line.trim().split(/\s+/).slice(1);
    const flags = words.filter((word) => word.startsWith('-'));
    const positional = words.filter((word) => !word.startsWith('-'));
    const unknown = flags.filter((flag) => !FLAGS.has(flag));
    if (unknown.length > 0) {
        return { kind: 'invalid', line, problem: `Unknown option ${quoteList(unknown)}.` };
    }
    const [reviewerWord, ...extra] = positional;
    if (reviewerWord === undefined) {
        return {
            kind: 'invalid',
            line,
            problem: 'Whose review style should I use? The reviewer is missing.',
        };
    }
    if (extra.length > 0) {
        return { kind: 'invalid', line, problem: `Unexpected ${quoteList(extra)}: give one reviewer.` };
    }
    const reviewer = reviewerWord.replace(/^@/, '');
    if (!isValidLogin(reviewer)) {
        return {
            kind: 'invalid',
            line,
            problem: `${quote(reviewerWord)} is not a valid GitHub login.`,
        };
    }
    return { kind: 'command', reviewer, forceReload: flags.includes('--force-reload'), line };
}
function commandLine(body, handle) {
    const mention = new RegExp(`^ {0,3}@${escapeRegExp(handle)}(?=\\s|$)`, 'i');
    let fence;
    for (const raw of body.split(/\r?\n|\r/)) {
        const opening = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
        if (fence) {
            // A fence closes on a line of the same character, at least as long, and nothing else.
            const closing = opening?.[1];
            if (closing?.[0] === fence.char && closing.length >= fence.length && raw.trim() === closing) {
                fence = undefined;
            }
            continue;
        }
        if (opening?.[1]) {
            fence = { char: opening[1][0] ?? '`', length: opening[1].length };
            continue;
        }
        // Block quotes start with '>', indented code with four spaces or a tab: neither matches.
        if (mention.test(raw))
            return raw;
    }
    return undefined;
}
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
function quote(text) {
    return `\`${text.replace(/`/g, "'").slice(0, 60)}\``;
}
function quoteList(words) {
    return words.map(quote).join(', ');
}

;// CONCATENATED MODULE: ./src/trigger/event.ts
/** Reads an `issue_comment` event, or says why this event is not one the bot handles. */
function readCommentEvent(context) {
    if (context.eventName !== 'issue_comment') {
        return {
            skip: `Event '${context.eventName}' is not a comment; tech-lead-bot answers issue_comment events.`,
        };
    }
    const { payload } = context;
    const comment = payload.comment;
    const issue = payload.issue;
    const user = comment?.user;
    if (!comment ||
        !issue ||
        typeof comment.id !== 'number' ||
        typeof issue.number !== 'number' ||
        !isUser(user)) {
        return { skip: 'The event has no comment to read.' };
    }
    const body = comment.body;
    const { owner, repo } = context.repo;
    return {
        action: payload.action ?? '',
        ref: { owner, repo, issueNumber: issue.number },
        isPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
        comment: {
            id: comment.id,
            body: typeof body === 'string' ? body : '',
            author: user.login,
            authorIsBot: user.type === 'Bot' || user.login.endsWith('[bot]'),
        },
        runUrl: `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`,
    };
}
function isUser(value) {
    return (typeof value === 'object' &&
        value !== null &&
        'login' in value &&
        typeof value.login === 'string');
}

;// CONCATENATED MODULE: ./src/trigger/authorize.ts

/** Legacy permission levels GitHub reports: `maintain` reads as `write`, `triage` as `read`. */
const CAN_WRITE = new Set(['admin', 'write']);
/** What a login may do in the repository, from GitHub's collaborator permission. */
async function repositoryAccess(octokit, ref, login) {
    try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
            owner: ref.owner,
            repo: ref.repo,
            username: login,
        });
        return CAN_WRITE.has(data.permission) ? 'write' : 'read-only';
    }
    catch (error) {
        if (hasStatus(error, 404))
            return 'unknown-user';
        throw gitHubFailure(error, `check ${login}'s permission on the repository`, 'metadata: read');
    }
}
/** Whether a GitHub user exists, for when allowed-reviewers names reviewers explicitly. */
async function userExists(octokit, login) {
    try {
        await octokit.rest.users.getByUsername({ username: login });
        return true;
    }
    catch (error) {
        if (hasStatus(error, 404))
            return false;
        throw gitHubFailure(error, `look up the GitHub user ${login}`, undefined);
    }
}

;// CONCATENATED MODULE: ./src/feedback/types.ts
const VERDICTS = ['approved', 'turned-down', 'addressed', 'ignored'];

;// CONCATENATED MODULE: ./src/feedback/acceptance.ts

/** How many of the adapter's comments ended with each verdict; other adapters' comments aside. */
function acceptance(items, adapterId) {
    const counts = { approved: 0, 'turned-down': 0, addressed: 0, ignored: 0 };
    for (const item of items) {
        if (item.comment.adapterId === adapterId)
            counts[item.verdict]++;
    }
    return counts;
}
/**
 * The verdicts that say something about the adapter: everything but 'ignored'. Enough of them
 * make a retrained adapter worth it (the stale-after-feedback input).
 */
function feedbackReceived(counts) {
    return counts.approved + counts['turned-down'] + counts.addressed;
}
const WORDS = {
    approved: 'approved',
    'turned-down': 'turned down',
    addressed: 'addressed',
    ignored: 'ignored',
};
/**
 * The one line the status comment and the review body show (contracts/status-comment/README.md,
 * "Acceptance"): "Feedback on this adapter's earlier comments (as of 2026-03-20): 12 approved ·
 * 3 turned down · 5 addressed · 20 ignored."
 */
function acceptanceLine(counts, checkedAt) {
    const parts = VERDICTS.map((verdict) => `${counts[verdict]} ${WORDS[verdict]}`);
    const asOf = checkedAt ? ` (as of ${checkedAt.slice(0, 10)})` : '';
    return `Feedback on this adapter's earlier comments${asOf}: ${parts.join(' · ')}.`;
}

;// CONCATENATED MODULE: ./src/github/graphql.ts
/** Sends `query`, counting it in `tally`; a request slower than `timeoutMs` fails with that said. */
async function timedQuery(octokit, query, variables, limits, tally) {
    tally.requests += 1;
    // An abort (not a TimeoutError) is what the retry plugin leaves alone: the caller gives up
    // at once instead of retrying a request that already took too long.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
    try {
        return await octokit.graphql(query, {
            ...variables,
            request: { signal: controller.signal, retries: limits.retries },
        });
    }
    catch (error) {
        if (!controller.signal.aborted)
            throw error;
        throw new Error(`a GraphQL request took longer than ${limits.timeoutMs} ms`, {
            cause: error,
        });
    }
    finally {
        clearTimeout(timer);
    }
}
/** The nodes of a connection GitHub answered, without the nulls it may put in their place. */
function* present(items) {
    for (const item of items ?? [])
        if (item !== null)
            yield item;
}

;// CONCATENATED MODULE: ./src/feedback/marker.ts
/**
 * The hidden marker on every inline comment the bot posts: which reviewer's voice it was written
 * in and which adapter wrote it (`base` for the base model's few-shot fallback). It is how the
 * bot's comments are found again later, and it is an HTML comment, so nobody reading sees it.
 * The model's text cannot forge one: the sanitizer escapes every `<`, `!` and `-` it writes and
 * folds it into one line, while a real marker is unescaped and on a line of its own at the end.
 */
/** The adapter id of comments the base model wrote with few-shot examples. */
const BASE_MODEL_ADAPTER = 'base';
const MARKER_AT_END = /\n\n<!-- tech-lead-bot reviewer=([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})) adapter=([A-Za-z0-9._-]{1,64}) -->$/;
/** The body GitHub is sent for an inline comment: the sanitized text, then the marker. */
function markComment(sanitized, marker) {
    return `${sanitized}\n\n<!-- tech-lead-bot reviewer=${marker.reviewer} adapter=${marker.adapterId} -->`;
}
/** The marker a posted body ends with, or undefined when it has none (or a forged one). */
function parseMarker(body) {
    const match = MARKER_AT_END.exec(body.replace(/\r\n/g, '\n').trimEnd());
    if (!match?.[1] || !match[2])
        return undefined;
    return { reviewer: match[1], adapterId: match[2] };
}
/** The posted body without its marker: the sanitized text the model's answer became. */
function withoutMarker(body) {
    return body.replace(/\r\n/g, '\n').trimEnd().replace(MARKER_AT_END, '');
}
/**
 * The model's words from a posted body: the marker removed, the sanitizer's backslash escapes
 * and code spans undone. Inverse of `sanitizeComment` for a line it produced.
 */
function unsanitize(body) {
    const text = withoutMarker(body);
    let out = '';
    let i = 0;
    while (i < text.length) {
        const char = text[i] ?? '';
        const next = text[i + 1] ?? '';
        if (char === '\\' && /^[!-/:-@[-`{-~]$/.test(next)) {
            out += next;
            i += 2;
            continue;
        }
        if (char === '`') {
            const span = codeSpanAt(text, i);
            if (span) {
                out += span.content;
                i = span.end;
                continue;
            }
        }
        out += char;
        i += 1;
    }
    return out;
}
/** A CommonMark code span opening at `start`: its content and where it ends, if it closes. */
function codeSpanAt(text, start) {
    const fence = /^`+/.exec(text.slice(start))?.[0] ?? '';
    let from = start + fence.length;
    for (;;) {
        const close = text.indexOf(fence, from);
        if (close < 0)
            return undefined;
        // The closing run must be exactly as long as the opening one.
        const after = close + fence.length;
        if (text[after] === '`') {
            from = after + (/^`+/.exec(text.slice(after))?.[0].length ?? 0);
            continue;
        }
        let content = text.slice(start + fence.length, close);
        // The sanitizer pads content that starts or ends with a backtick; CommonMark strips one each side.
        if (content.length > 2 && content.startsWith(' ') && content.endsWith(' ')) {
            content = content.slice(1, -1);
        }
        return { content, end: after };
    }
}

;// CONCATENATED MODULE: ./src/feedback/verdict.ts
/**
 * A reply turns the comment down when it opens with one of these (case-insensitive, after
 * leading spaces): "no" (not "no worries"/"no problem"), "nope", "nah", "(I) disagree",
 * "not needed", "unnecessary", "wrong", "false positive", "this/that/it is fine" (or "'s
 * fine"), "not an issue", "won't fix", or 👎.
 */
const TURN_DOWN = /^(?:👎|no\b(?!\s+(?:worries|problem))|nope\b|nah\b|(?:i\s+)?disagree\b|not\s+needed\b|unnecessary\b|wrong\b|false\s+positive\b|(?:this|that|it)(?:\s+is|'s)\s+fine\b|not\s+an?\s+issue\b|won'?t\s+fix\b)/iu;
/** What separates the refusal from what the reviewer goes on to say instead. */
const SEPARATOR = /^[\s,.:;!—–-]+/u;
function readReply(body) {
    const text = body.trim();
    const match = TURN_DOWN.exec(text);
    if (!match)
        return { turnsDown: false, rest: '' };
    return { turnsDown: true, rest: text.slice(match[0].length).replace(SEPARATOR, '').trim() };
}
/** Strongest first: turned down, approved, addressed (the line changed later), ignored. */
function verdictOf(feedback) {
    if (feedback.turnedDownBy.length > 0)
        return 'turned-down';
    if (feedback.approvedBy.length > 0)
        return 'approved';
    return feedback.addressed ? 'addressed' : 'ignored';
}

;// CONCATENATED MODULE: ./src/feedback/who-counts.ts
/**
 * Whose reactions and replies count as feedback on the bot's comments. Never a stranger's: on a
 * public repository anyone can react, and a drive-by 👎 must not teach the next adapter.
 */


/**
 * Distinct logins whose write access is checked at most, one request each: far more people than
 * react to one reviewer's comments, and a bound on what a crowd of strangers can make us spend.
 */
const MAX_PERMISSION_CHECKS = 50;
class WhoCounts {
    octokit;
    ref;
    reviewer;
    from;
    tally;
    checked = new Map();
    warned = false;
    constructor(octokit, ref, reviewer, from, tally) {
        this.octokit = octokit;
        this.ref = ref;
        this.reviewer = reviewer;
        this.from = from;
        this.tally = tally;
    }
    /** The reviewer always; with `writers`, anyone with write access (asked once per login). */
    async counts(login) {
        const key = login.toLowerCase();
        if (key === this.reviewer.toLowerCase())
            return true;
        if (this.from !== 'writers')
            return false;
        let known = this.checked.get(key);
        if (known === undefined) {
            if (this.checked.size >= MAX_PERMISSION_CHECKS) {
                this.warnOnce();
                return false;
            }
            this.tally.requests += 1;
            known = repositoryAccess(this.octokit, this.ref, login).then((access) => access === 'write');
            this.checked.set(key, known);
        }
        return known;
    }
    warnOnce() {
        if (this.warned)
            return;
        this.warned = true;
        core/* warning */.$e(`More than ${MAX_PERMISSION_CHECKS} people reacted to or answered the bot's comments in ${this.reviewer}'s voice: the feedback of the others is not counted.`, { title: 'Feedback partly counted' });
    }
}

;// CONCATENATED MODULE: ./src/feedback/collect.ts
/**
 * The feedback on what the bot said in a reviewer's voice, in a few GraphQL requests: one query
 * per batch of pull requests brings their review threads with the comments in them (aliases,
 * `p12: pullRequest(number: 12)`), then one `nodes(ids:)` query per 100 of the bot's comments
 * brings their reactions. Reactions nested in the first query would make GitHub count a
 * connection per comment of every thread (threads × comments × reactions): about ten times the
 * points, out of a GITHUB_TOKEN's 1,000 an hour. Follow-up pages only where a connection
 * overflows.
 */




/** Pull requests per query: 25 × 100 threads × 10 comments stays far under GitHub's node limit. */
const PULLS_PER_QUERY = 25;
/** Threads per pull request: the bot posts at most `max-comments` per review. */
const THREADS_PAGE = 100;
/** A bot comment and its replies: a longer conversation takes a follow-up page. */
const COMMENTS_PAGE = 10;
/** `nodes(ids:)` takes at most 100 ids. */
const COMMENTS_PER_REACTIONS_QUERY = 100;
const REACTIONS_PAGE = 100;
/** Follow-up pages of a nested connection that overflowed. */
const MORE_PAGE = 100;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 1;
const COMMENT_FRAGMENT = `
fragment FeedbackComment on PullRequestReviewComment {
  id
  fullDatabaseId
  viewerDidAuthor
  author { login }
  body
  path
  diffHunk
  originalLine
  originalCommit { oid }
  createdAt
}`;
const THREAD_FRAGMENT = `
fragment FeedbackThread on PullRequestReviewThread {
  id
  isResolved
  isOutdated
  diffSide
  comments(first: $commentsPage) {
    pageInfo { hasNextPage endCursor }
    nodes { ...FeedbackComment }
  }
}
${COMMENT_FRAGMENT}`;
const PULL_FRAGMENT = `
fragment FeedbackPull on PullRequest {
  id
  number
  reviewThreads(first: $threadsPage) {
    pageInfo { hasNextPage endCursor }
    nodes { ...FeedbackThread }
  }
}`;
function threadsQuery(numbers) {
    const pulls = numbers.map((n) => `p${n}: pullRequest(number: ${n}) { ...FeedbackPull }`);
    return `
query BotThreads($owner: String!, $name: String!, $threadsPage: Int!, $commentsPage: Int!) {
  repository(owner: $owner, name: $name) {
    ${pulls.join('\n    ')}
  }
}
${PULL_FRAGMENT}
${THREAD_FRAGMENT}`;
}
const MORE_THREADS_QUERY = `
query MoreThreads($id: ID!, $after: String, $threadsPage: Int!, $commentsPage: Int!) {
  node(id: $id) {
    ... on PullRequest {
      reviewThreads(first: $threadsPage, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { ...FeedbackThread }
      }
    }
  }
}
${THREAD_FRAGMENT}`;
const MORE_COMMENTS_QUERY = `
query MoreThreadComments($id: ID!, $after: String, $commentsPage: Int!) {
  node(id: $id) {
    ... on PullRequestReviewThread {
      comments(first: $commentsPage, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { ...FeedbackComment }
      }
    }
  }
}
${COMMENT_FRAGMENT}`;
const REACTIONS_FRAGMENT = `
fragment FeedbackReactions on PullRequestReviewComment {
  id
  reactions(first: $reactionsPage, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { content user { login } }
  }
}`;
const REACTIONS_QUERY = `
query BotReactions($ids: [ID!]!, $reactionsPage: Int!, $after: String) {
  nodes(ids: $ids) { ...FeedbackReactions }
}
${REACTIONS_FRAGMENT}`;
const MORE_REACTIONS_QUERY = `
query MoreReactions($id: ID!, $reactionsPage: Int!, $after: String) {
  node(id: $id) { ...FeedbackReactions }
}
${REACTIONS_FRAGMENT}`;
/**
 * Every inline comment the bot posted in `reviewer`'s voice on `pullNumbers`, with the feedback
 * on it from the people whose feedback counts. A comment is the bot's only when the token's own
 * identity wrote it AND it starts its thread with a marker naming this reviewer: a comment
 * anyone else wrote, or one without a marker, is never attributed. Failures propagate.
 */
async function collectFeedback(octokit, ref, reviewer, pullNumbers, options) {
    const tally = { requests: 0 };
    const queries = new FeedbackQueries(octokit, {
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        retries: options.retries ?? DEFAULT_RETRIES,
        tally,
    });
    const numbers = [...new Set(pullNumbers)]
        .filter((n) => Number.isSafeInteger(n) && n > 0)
        .sort((a, b) => a - b);
    const threads = [];
    for (let i = 0; i < numbers.length; i += PULLS_PER_QUERY) {
        for (const pull of await queries.pulls(ref, numbers.slice(i, i + PULLS_PER_QUERY))) {
            for (const thread of await queries.allThreads(pull)) {
                const [first] = present(thread.comments.nodes);
                if (first && isBotComment(first, reviewer)) {
                    threads.push({
                        pullNumber: pull.number,
                        thread,
                        comments: await queries.allComments(thread),
                    });
                }
            }
        }
    }
    const reactions = await queries.reactions(threads.map((t) => t.comments[0]?.id ?? ''));
    const who = new WhoCounts(octokit, ref, reviewer, options.from, tally);
    const items = [];
    for (const thread of threads) {
        const item = await feedbackOn(thread, reactions, reviewer, who);
        if (item)
            items.push(item);
    }
    return { reviewer, items, requests: tally.requests };
}
function isBotComment(comment, reviewer) {
    const marker = parseMarker(comment.body);
    return comment.viewerDidAuthor && marker?.reviewer.toLowerCase() === reviewer.toLowerCase();
}
async function feedbackOn({ pullNumber, thread, comments }, reactions, reviewer, who) {
    const [bot, ...rest] = comments;
    const marker = bot ? parseMarker(bot.body) : undefined;
    if (!bot || !marker || bot.fullDatabaseId === null)
        return undefined;
    const comment = {
        id: Number(bot.fullDatabaseId),
        pullNumber,
        path: bot.path,
        line: bot.originalLine ?? 0,
        side: thread.diffSide,
        body: unsanitize(bot.body),
        diffHunk: bot.diffHunk,
        commitId: bot.originalCommit?.oid ?? '',
        reviewer: marker.reviewer,
        adapterId: marker.adapterId,
        createdAt: bot.createdAt,
    };
    const approvedBy = new Set();
    const turnedDownBy = new Set();
    for (const reaction of reactions.get(bot.id) ?? []) {
        const login = reaction.user?.login;
        if (login === undefined || !['THUMBS_UP', 'THUMBS_DOWN'].includes(reaction.content))
            continue;
        if (!(await who.counts(login)))
            continue;
        (reaction.content === 'THUMBS_UP' ? approvedBy : turnedDownBy).add(login);
    }
    const replies = [];
    let correction;
    for (const reply of rest) {
        const login = reply.author?.login;
        // The bot's own words in the thread are not feedback on itself.
        if (login === undefined || reply.viewerDidAuthor || !(await who.counts(login)))
            continue;
        replies.push({ author: login, body: reply.body, createdAt: reply.createdAt });
        const read = readReply(reply.body);
        if (!read.turnsDown)
            continue;
        turnedDownBy.add(login);
        if (login.toLowerCase() === reviewer.toLowerCase() && read.rest !== '') {
            correction ??= read.rest;
        }
    }
    const feedback = {
        approvedBy: [...approvedBy],
        turnedDownBy: [...turnedDownBy],
        addressed: thread.isOutdated,
    };
    return {
        comment,
        ...feedback,
        replies,
        resolved: thread.isResolved,
        verdict: verdictOf(feedback),
        ...(correction === undefined ? {} : { correction }),
    };
}
/**
 * A pull request number GitHub does not know (deleted, or moved with a transfer) answers null
 * with a NOT_FOUND error, and the client throws with the rest of the answer attached: keep it.
 */
function pullsNotFound(error) {
    if (!(error instanceof Error) || !('errors' in error) || !('data' in error))
        return undefined;
    const { errors, data } = error;
    const notFound = (e) => typeof e === 'object' && e !== null && 'type' in e && e.type === 'NOT_FOUND';
    if (!Array.isArray(errors) || !errors.every(notFound))
        return undefined;
    return isThreadsAnswer(data) && data.repository !== null ? data : undefined;
}
function isThreadsAnswer(data) {
    return (typeof data === 'object' &&
        data !== null &&
        'repository' in data &&
        typeof data.repository === 'object');
}
class FeedbackQueries {
    octokit;
    limits;
    constructor(octokit, limits) {
        this.octokit = octokit;
        this.limits = limits;
    }
    /** The pull requests of one batch that exist; a number GitHub does not know is left out. */
    async pulls(ref, numbers) {
        let answer;
        try {
            answer = await this.query(threadsQuery(numbers), {
                owner: ref.owner,
                name: ref.repo,
                threadsPage: THREADS_PAGE,
                commentsPage: COMMENTS_PAGE,
            });
        }
        catch (error) {
            const partial = pullsNotFound(error);
            if (!partial)
                throw error;
            answer = partial;
        }
        return numbers.flatMap((n) => answer.repository?.[`p${n}`] ?? []);
    }
    allThreads(pull) {
        return this.everyNode(pull.reviewThreads, MORE_THREADS_QUERY, pull.id, 'reviewThreads', {
            threadsPage: MORE_PAGE,
            commentsPage: COMMENTS_PAGE,
        });
    }
    allComments(thread) {
        return this.everyNode(thread.comments, MORE_COMMENTS_QUERY, thread.id, 'comments', {
            commentsPage: MORE_PAGE,
        });
    }
    /** The reactions on each of the comments, by comment node id. */
    async reactions(ids) {
        const byId = new Map();
        for (let i = 0; i < ids.length; i += COMMENTS_PER_REACTIONS_QUERY) {
            const answer = await this.query(REACTIONS_QUERY, {
                ids: ids.slice(i, i + COMMENTS_PER_REACTIONS_QUERY),
                reactionsPage: REACTIONS_PAGE,
            });
            for (const node of present(answer.nodes)) {
                if (node.id === undefined || !node.reactions)
                    continue;
                const all = await this.everyNode(node.reactions, MORE_REACTIONS_QUERY, node.id, 'reactions', {
                    reactionsPage: MORE_PAGE,
                });
                byId.set(node.id, all);
            }
        }
        return byId;
    }
    /**
     * The nodes of a connection that may have overflowed its first page: `query` asks for the
     * next page of `field` under `node(id:)`.
     */
    async everyNode(first, query, id, field, variables) {
        const nodes = [...present(first.nodes)];
        let page = first.pageInfo;
        while (page?.hasNextPage) {
            const answer = await this.query(query, { ...variables, id, after: page.endCursor });
            const next = answer.node?.[field];
            nodes.push(...present(next?.nodes));
            page = next?.pageInfo;
        }
        return nodes;
    }
    query(query, variables) {
        const { tally, ...limits } = this.limits;
        return timedQuery(this.octokit, query, variables, limits, tally);
    }
}

;// CONCATENATED MODULE: ./src/history/graphql-history.ts
/**
 * The cheap route: GraphQL `search` finds the pull requests the reviewer took part in, and one
 * query per page of 100 brings each one's reviews by the reviewer with their comments nested.
 * Pull requests come most recently updated first: a comment updates its pull request, so once
 * the cap's worth of comments is newer than the next pull request's last update, no pull request
 * further down can hold a more recent one.
 */

/** Search pages are at most 100 results; GitHub never returns more than 1,000 per query. */
const SEARCH_PAGE = 100;
/** Nested page sizes: enough for nearly every pull request, small enough to keep a page cheap. */
const REVIEWS_PAGE = 10;
const graphql_history_COMMENTS_PAGE = 30;
/** Follow-up pages of a nested connection that overflowed. */
const graphql_history_MORE_PAGE = 100;
const graphql_history_COMMENT_FRAGMENT = `
fragment HistoryComment on PullRequestReviewComment {
  fullDatabaseId
  body
  path
  diffHunk
  line
  originalLine
  startLine
  commit { oid }
  originalCommit { oid }
  replyTo { fullDatabaseId }
  createdAt
  updatedAt
}`;
const REVIEW_FRAGMENT = `
fragment HistoryReview on PullRequestReview {
  id
  comments(first: $commentsPage) {
    pageInfo { hasNextPage endCursor }
    nodes { ...HistoryComment }
  }
}`;
const SEARCH_QUERY = `
query ReviewerPulls($search: String!, $login: String!, $first: Int!, $after: String, $reviewsPage: Int!, $commentsPage: Int!) {
  search(query: $search, type: ISSUE, first: $first, after: $after) {
    issueCount
    pageInfo { hasNextPage endCursor }
    nodes {
      ... on PullRequest {
        id
        number
        createdAt
        updatedAt
        baseRefOid
        reviews(author: $login, first: $reviewsPage) {
          pageInfo { hasNextPage endCursor }
          nodes { ...HistoryReview }
        }
      }
    }
  }
}
${REVIEW_FRAGMENT}
${graphql_history_COMMENT_FRAGMENT}`;
const MORE_REVIEWS_QUERY = `
query MoreReviews($id: ID!, $login: String!, $after: String, $reviewsPage: Int!, $commentsPage: Int!) {
  node(id: $id) {
    ... on PullRequest {
      reviews(author: $login, first: $reviewsPage, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { ...HistoryReview }
      }
    }
  }
}
${REVIEW_FRAGMENT}
${graphql_history_COMMENT_FRAGMENT}`;
const graphql_history_MORE_COMMENTS_QUERY = `
query MoreComments($id: ID!, $after: String, $commentsPage: Int!) {
  node(id: $id) {
    ... on PullRequestReview {
      comments(first: $commentsPage, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { ...HistoryComment }
      }
    }
  }
}
${graphql_history_COMMENT_FRAGMENT}`;
/**
 * Two searches cover every pull request the reviewer can have commented on: `reviewed-by:`
 * (which leaves out their own pull requests) and `author:` (their own, where their comments are
 * replies and notes).
 */
async function collectOverGraphql(octokit, ref, reviewer, options, tally) {
    const client = new HistoryQueries(octokit, reviewer, options, tally);
    const base = `repo:${ref.owner}/${ref.repo} is:pr sort:updated-desc`;
    const reviewed = await client.searchPulls(`${base} reviewed-by:${reviewer}`, true);
    const authored = await client.searchPulls(`${base} author:${reviewer}`, false);
    const byId = new Map();
    for (const comment of [...reviewed.comments, ...authored.comments])
        byId.set(comment.id, comment);
    const newestFirst = [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
    const comments = newestFirst.slice(0, options.maxComments);
    const truncated = reviewed.stoppedEarly || authored.stoppedEarly || newestFirst.length > comments.length;
    // Pull requests approved without a comment were seen and left alone too: keep them, except
    // those older than everything the cap kept.
    const kept = new Set(comments.map((c) => c.pullNumber));
    const keptDates = [...reviewed.pulls, ...authored.pulls]
        .filter((pull) => kept.has(pull.number))
        .map((pull) => pull.createdAt);
    const oldestKept = keptDates.sort()[0] ?? '';
    const pulls = new Map();
    for (const pull of reviewed.pulls) {
        if (!truncated || kept.has(pull.number) || pull.createdAt >= oldestKept)
            pulls.set(pull.number, pull);
    }
    for (const pull of authored.pulls)
        if (kept.has(pull.number))
            pulls.set(pull.number, pull);
    return {
        comments,
        pulls: [...pulls.values()].sort((a, b) => b.number - a.number),
        truncated,
    };
}
class HistoryQueries {
    octokit;
    reviewer;
    options;
    tally;
    constructor(octokit, reviewer, options, tally) {
        this.octokit = octokit;
        this.reviewer = reviewer;
        this.options = options;
        this.tally = tally;
    }
    /**
     * Pull requests of one search, most recently updated first, until the `maxComments` most
     * recent comments are certainly among those found. Search answers at most 1,000 results per
     * query, so when a query matches more, the next window is everything updated up to the
     * oldest update seen so far.
     */
    async searchPulls(search, keepUncommented) {
        const comments = [];
        const pulls = [];
        const seen = new Set();
        let upTo;
        for (;;) {
            const windowed = upTo === undefined ? search : `${search} updated:<=${searchDate(upTo)}`;
            let after = null;
            let inWindow = 0;
            let total = 0;
            let oldest;
            let more = true;
            while (more) {
                const answer = await this.query(SEARCH_QUERY, {
                    search: windowed,
                    login: this.reviewer,
                    first: SEARCH_PAGE,
                    after,
                    reviewsPage: REVIEWS_PAGE,
                    commentsPage: graphql_history_COMMENTS_PAGE,
                });
                const { issueCount, pageInfo, nodes } = answer.search;
                total = issueCount;
                for (const node of nodes ?? []) {
                    inWindow += 1;
                    if (!node?.number || !node.createdAt || !node.updatedAt)
                        continue;
                    const { number, createdAt, baseRefOid = '' } = node;
                    oldest = node.updatedAt;
                    if (seen.has(number))
                        continue;
                    seen.add(number);
                    const found = await this.commentsOf(node);
                    comments.push(...found);
                    if (keepUncommented || found.length > 0) {
                        pulls.push({ number, createdAt, baseSha: baseRefOid });
                    }
                }
                more = pageInfo.hasNextPage && pageInfo.endCursor !== null;
                after = pageInfo.endCursor;
                const unseenRemain = more || inWindow < total;
                if (unseenRemain &&
                    oldest !== undefined &&
                    newerThan(comments, oldest) >= this.options.maxComments) {
                    return { comments, pulls, stoppedEarly: true };
                }
            }
            // The window is exhausted, or the 1,000-result cap ended it: then narrow and go on.
            if (inWindow >= total || oldest === undefined || oldest === upTo) {
                return { comments, pulls, stoppedEarly: false };
            }
            upTo = oldest;
        }
    }
    async commentsOf(pull) {
        const number = pull.number ?? 0;
        const reviews = [...present(pull.reviews?.nodes)];
        let page = pull.reviews?.pageInfo;
        while (page?.hasNextPage && pull.id !== undefined) {
            const answer = await this.query(MORE_REVIEWS_QUERY, {
                id: pull.id,
                login: this.reviewer,
                after: page.endCursor,
                reviewsPage: graphql_history_MORE_PAGE,
                commentsPage: graphql_history_COMMENTS_PAGE,
            });
            reviews.push(...present(answer.node?.reviews?.nodes));
            page = answer.node?.reviews?.pageInfo;
        }
        const comments = [];
        for (const review of reviews) {
            const nodes = [...present(review.comments.nodes)];
            let commentsPage = review.comments.pageInfo;
            while (commentsPage?.hasNextPage) {
                const answer = await this.query(graphql_history_MORE_COMMENTS_QUERY, { id: review.id, after: commentsPage.endCursor, commentsPage: graphql_history_MORE_PAGE });
                nodes.push(...present(answer.node?.comments?.nodes));
                commentsPage = answer.node?.comments?.pageInfo;
            }
            for (const node of nodes) {
                const comment = toPastComment(node, number);
                if (comment)
                    comments.push(comment);
            }
        }
        return comments;
    }
    query(query, variables) {
        return timedQuery(this.octokit, query, variables, this.options, this.tally);
    }
}
/** Comments written after `time`: no pull request updated at or before it can hold one. */
function newerThan(comments, time) {
    const at = Date.parse(time);
    return comments.filter((c) => Date.parse(c.createdAt) > at).length;
}
/** Search dates take an explicit offset: `2024-05-01T12:00:00+00:00`. */
function searchDate(iso) {
    return iso.replace(/(\.\d+)?Z$/, '+00:00');
}
/**
 * GraphQL has no side on a review comment (only its thread has one), but GitHub's diff hunk
 * ends at the commented line: a deleted line is on the LEFT, anything else on the RIGHT.
 */
function sideOfHunk(diffHunk) {
    const last = diffHunk.trimEnd().split('\n').at(-1);
    if (last === undefined || last === '' || last.startsWith('@@'))
        return null;
    return last.startsWith('-') ? 'LEFT' : 'RIGHT';
}
function toPastComment(node, pullNumber) {
    if (node.fullDatabaseId === null)
        return undefined;
    const originalCommitId = node.originalCommit?.oid ?? node.commit?.oid ?? '';
    return {
        id: Number(node.fullDatabaseId),
        pullNumber,
        body: node.body,
        path: node.path,
        diffHunk: node.diffHunk,
        line: node.line,
        originalLine: node.originalLine,
        side: sideOfHunk(node.diffHunk),
        startLine: node.startLine,
        commitId: node.commit?.oid ?? originalCommitId,
        originalCommitId,
        inReplyToId: node.replyTo?.fullDatabaseId === undefined || node.replyTo.fullDatabaseId === null
            ? null
            : Number(node.replyTo.fullDatabaseId),
        createdAt: node.createdAt,
        updatedAt: node.updatedAt,
    };
}

;// CONCATENATED MODULE: ./src/history/rest-history.ts
/**
 * The fallback route: REST lists every review comment of the repository (it has no author
 * filter), newest first, and keeps the reviewer's. It costs a request per 100 comments of
 * anyone, so it runs only when GraphQL fails.
 */

const PER_PAGE = 100;
function isBy(comment, login) {
    return comment.user?.login.toLowerCase() === login.toLowerCase();
}
/**
 * The reviewer's most recent comments among the repository's, newest first. The listing stops
 * after `maxPages` pages: a GITHUB_TOKEN has 1,000 requests an hour per repository, and the
 * other steps of the run need some of them. Hitting that cap warns and marks the history cut.
 */
async function collectOverRest(octokit, ref, reviewer, options, tally) {
    const comments = [];
    let truncated = false;
    let pagesRead = 0;
    const pages = octokit.paginate.iterator('GET /repos/{owner}/{repo}/pulls/comments', {
        owner: ref.owner,
        repo: ref.repo,
        sort: 'created',
        direction: 'desc',
        per_page: PER_PAGE,
    });
    for await (const page of pages) {
        tally.requests += 1;
        for (const comment of page.data) {
            if (isBy(comment, reviewer))
                comments.push(fromRest(comment));
        }
        // One comment beyond the cap proves that the cap cut the history.
        if (comments.length > options.maxComments) {
            truncated = true;
            break;
        }
        pagesRead += 1;
        if (pagesRead >= options.maxPages && page.headers.link?.includes('rel="next"')) {
            truncated = true;
            core/* warning */.$e(`Stopped listing the repository's review comments over REST after ${pagesRead} pages (the newest ${pagesRead * PER_PAGE} comments of anyone), to keep requests for the rest of the run: ${comments.length} of them are ${reviewer}'s, and older ones are left out. GraphQL, when it works for this token, finds all of them in a few requests.`, { title: 'History cut at the REST page cap' });
            break;
        }
    }
    const kept = comments.slice(0, options.maxComments);
    const pulls = await pullDates(octokit, ref, new Set(kept.map((c) => c.pullNumber)), tally);
    return { comments: kept, pulls, truncated };
}
function fromRest(comment) {
    return {
        id: comment.id,
        pullNumber: pullNumberOf(comment.pull_request_url),
        body: comment.body,
        path: comment.path,
        diffHunk: comment.diff_hunk,
        line: comment.line ?? null,
        originalLine: comment.original_line ?? null,
        side: comment.side ?? null,
        startLine: comment.start_line ?? null,
        commitId: comment.commit_id,
        originalCommitId: comment.original_commit_id,
        inReplyToId: comment.in_reply_to_id ?? null,
        createdAt: comment.created_at,
        updatedAt: comment.updated_at,
    };
}
function pullNumberOf(url) {
    const match = /\/pulls\/(\d+)$/.exec(url);
    if (!match?.[1])
        throw new Error(`Unexpected pull_request_url '${url}' on a review comment.`);
    return Number(match[1]);
}
/**
 * When the pull requests were opened, from the list of all of them newest first: pull request
 * numbers grow with time, so the listing stops at the oldest one wanted.
 */
async function pullDates(octokit, ref, wanted, tally) {
    const pulls = [];
    if (wanted.size === 0)
        return pulls;
    const oldest = Math.min(...wanted);
    const pages = octokit.paginate.iterator('GET /repos/{owner}/{repo}/pulls', {
        owner: ref.owner,
        repo: ref.repo,
        state: 'all',
        sort: 'created',
        direction: 'desc',
        per_page: PER_PAGE,
    });
    for await (const page of pages) {
        tally.requests += 1;
        for (const pull of page.data) {
            if (wanted.has(pull.number)) {
                pulls.push({ number: pull.number, createdAt: pull.created_at, baseSha: pull.base.sha });
            }
        }
        if (pulls.length === wanted.size || page.data.some((pull) => pull.number <= oldest))
            break;
    }
    return pulls;
}

;// CONCATENATED MODULE: ./src/history/types.ts
function seenAt(pullNumber, commit) {
    return `${pullNumber}@${commit}`;
}

;// CONCATENATED MODULE: ./src/history/collect.ts
/**
 * A reviewer's history in a repository: every pull-request review comment they wrote, with
 * what they saw, in as few requests as GitHub allows; the files of the pull requests they
 * reviewed; and a nearly free check for comments written since.
 */






const DEFAULT_GRAPHQL_TIMEOUT_MS = 30_000;
const DEFAULT_GRAPHQL_RETRIES = 1;
/**
 * 30,000 comments of the repository: under a third of a GITHUB_TOKEN's 1,000 requests an hour,
 * and more than the newest 2,000 comments (max-history-comments) of any one reviewer need in
 * all but the busiest repositories.
 */
const DEFAULT_MAX_REST_PAGES = 300;
/**
 * Pull requests whose files are fetched, newest first, for whole hunks and negatives: one
 * request each, a fifth of a GITHUB_TOKEN's hourly 1,000. Comments on older pull requests have
 * no whole hunk in those files: `collectFilesSeen` reads theirs.
 */
const MAX_PULLS_WITH_FILES = 200;
/** Diffs as of older heads, fetched for outdated comments and older pull requests: one request each. */
const MAX_DIFFS_SEEN = 200;
/** Files of a pull request come at most 100 a page. */
const FILES_PER_PAGE = 100;
/** Pull requests whose files are fetched at once: few enough to stay clear of secondary limits. */
const FILES_CONCURRENCY = 4;
/**
 * All review comments by `reviewer`, newest first, at most `maxComments` of them. GraphQL does
 * it in a handful of requests; when it fails in any way, the REST listing of every review comment
 * in the repository does it in many more, with a warning that says so. An unknown reviewer, or
 * one without comments, gives an empty history. REST failures propagate.
 */
async function collectHistory(octokit, ref, reviewer, options) {
    const tally = { requests: 0 };
    let result;
    let route = 'graphql';
    try {
        const graphqlOptions = {
            maxComments: options.maxComments,
            timeoutMs: options.graphqlTimeoutMs ?? DEFAULT_GRAPHQL_TIMEOUT_MS,
            retries: options.graphqlRetries ?? DEFAULT_GRAPHQL_RETRIES,
        };
        result = await collectOverGraphql(octokit, ref, reviewer, graphqlOptions, tally);
    }
    catch (error) {
        core/* warning */.$e(`Collecting ${reviewer}'s review comments over GraphQL failed (${errorMessage(error)}); ` +
            'listing every review comment of the repository over REST instead, which takes more requests.', { title: 'History collected over REST' });
        route = 'rest';
        result = await collectOverRest(octokit, ref, reviewer, {
            maxComments: options.maxComments,
            maxPages: options.maxRestPages ?? DEFAULT_MAX_REST_PAGES,
        }, tally);
    }
    return {
        reviewer,
        comments: result.comments,
        pulls: result.pulls,
        truncated: result.truncated,
        route,
        requests: tally.requests,
    };
}
/**
 * The files of at most `maxPulls` of the pull requests, newest first: their patches give whole
 * hunks, and the hunks the reviewer left alone.
 */
async function collectPullFiles(octokit, ref, pulls, options) {
    const chosen = [...new Set(pulls)].sort((a, b) => b - a).slice(0, options.maxPulls);
    const files = new Map();
    let next = 0;
    const worker = async () => {
        while (next < chosen.length) {
            const number = chosen[next++];
            if (number === undefined)
                return;
            const listed = await octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
                owner: ref.owner,
                repo: ref.repo,
                pull_number: number,
                per_page: FILES_PER_PAGE,
            });
            files.set(number, listed.map((file) => ({
                filename: file.filename,
                status: file.status,
                ...(file.patch === undefined ? {} : { patch: file.patch }),
            })));
        }
    };
    await Promise.all(Array.from({ length: FILES_CONCURRENCY }, worker));
    // Newest first, whatever order the workers finished in.
    return new Map(chosen.map((number) => [number, files.get(number) ?? []]));
}
/**
 * What a reviewer's dataset is built from, besides their comments: the current files of the
 * newest `MAX_PULLS_WITH_FILES` pull requests they reviewed, and the diffs as of the heads their
 * other comments were written on and as of `heads` (the bot's commented heads, for examples made
 * of feedback: `collectFilesSeen`).
 */
async function collectDatasetFiles(octokit, ref, history, heads = []) {
    const files = await collectPullFiles(octokit, ref, history.pulls.map((p) => p.number), { maxPulls: MAX_PULLS_WITH_FILES });
    const seen = await collectFilesSeen(octokit, ref, history, files, heads, {
        maxRequests: MAX_DIFFS_SEEN,
    });
    return { files, seen };
}
/**
 * The diffs the reviewer saw where the current files cannot show them: for each of their
 * comments that is outdated, or on a pull request whose files were not fetched, the pull
 * request's diff as of the head it was written on (REST compare of the pull request's base with
 * that head: one request per pull request and head, the newest comments first, at most
 * `maxRequests`); then, within the same budget, the diffs as of `heads` (one more request for
 * the base of a pull request the reviewer did not review). A head GitHub no longer has is skipped.
 */
async function collectFilesSeen(octokit, ref, history, current, heads, options) {
    const bases = new Map(history.pulls.map((pull) => [pull.number, pull.baseSha]));
    const wanted = new Map();
    for (const comment of history.comments) {
        if (comment.inReplyToId !== null || comment.originalCommitId === '')
            continue;
        if (comment.line !== null && current.has(comment.pullNumber))
            continue;
        const base = bases.get(comment.pullNumber);
        if (!base || wanted.size >= options.maxRequests)
            continue;
        const head = comment.originalCommitId;
        wanted.set(seenAt(comment.pullNumber, head), { pull: comment.pullNumber, base, head });
    }
    // The reviewer's own comments first: they are the dataset, feedback only adds to it.
    for (const { pullNumber, commitId } of heads) {
        const key = seenAt(pullNumber, commitId);
        if (wanted.size >= options.maxRequests)
            break;
        if (wanted.has(key))
            continue;
        let base = bases.get(pullNumber);
        if (base === undefined) {
            base = await pullBase(octokit, ref, pullNumber);
            bases.set(pullNumber, base);
        }
        if (base)
            wanted.set(key, { pull: pullNumber, base, head: commitId });
    }
    const seen = new Map();
    const queue = [...wanted];
    const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
            const [key, { base, head }] = next;
            try {
                const { data } = await octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
                    owner: ref.owner,
                    repo: ref.repo,
                    basehead: `${base}...${head}`,
                });
                seen.set(key, (data.files ?? []).map((file) => ({
                    filename: file.filename,
                    status: file.status,
                    ...(file.patch === undefined ? {} : { patch: file.patch }),
                })));
            }
            catch (error) {
                // A head that was force-pushed away and collected: that comment's hunk stays unknown.
                if (!hasStatus(error, 404))
                    throw error;
            }
        }
    };
    await Promise.all(Array.from({ length: FILES_CONCURRENCY }, worker));
    return seen;
}
/** The base commit of a pull request the reviewer did not review; '' when GitHub has no such pull. */
async function pullBase(octokit, ref, pullNumber) {
    try {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
            owner: ref.owner,
            repo: ref.repo,
            pull_number: pullNumber,
        });
        return data.base.sha;
    }
    catch (error) {
        if (hasStatus(error, 404))
            return '';
        throw error;
    }
}
const REFRESH_ROUNDS = 3;
/**
 * How many review comments the reviewer wrote since the cursor, and the cursor to keep for next
 * time. With nothing new GitHub answers 304 Not Modified, which costs no rate limit; `spent`
 * counts the requests that did. Without a cursor, counting starts now.
 */
async function countNewComments(octokit, ref, reviewer, cursor) {
    let since = cursor?.since ?? githubTime(Date.now());
    let etag = cursor?.etag;
    let count = 0;
    let spent = 0;
    // Each round moves `since` past what it counted and asks again, so that the cursor ends on a
    // quiet answer whose ETag makes the next check free; comments keep arriving only so often.
    for (let round = 0; round < REFRESH_ROUNDS; round++) {
        const listed = await listSince(octokit, ref, since, etag);
        spent += listed.spent;
        if (listed.comments === undefined)
            return { count, cursor: { since, etag }, spent };
        if (listed.comments.length === 0) {
            return { count, cursor: { since, ...(listed.etag ? { etag: listed.etag } : {}) }, spent };
        }
        const sinceMs = Date.parse(since);
        count += listed.comments.filter((c) => isBy(c, reviewer) && Date.parse(c.created_at) >= sinceMs).length;
        const newest = Math.max(...listed.comments.map((c) => Date.parse(c.updated_at)));
        // GitHub's timestamps have whole seconds, and `since` includes its own second.
        since = githubTime(newest + 1000);
        etag = undefined;
    }
    return { count, cursor: { since }, spent };
}
/** GitHub's timestamp form, to the second: 2024-05-01T12:00:00Z. */
function githubTime(ms) {
    return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
async function listSince(octokit, ref, since, etag) {
    const comments = [];
    let spent = 0;
    let firstEtag;
    try {
        const pages = octokit.paginate.iterator('GET /repos/{owner}/{repo}/pulls/comments', {
            owner: ref.owner,
            repo: ref.repo,
            sort: 'updated',
            direction: 'desc',
            since,
            per_page: 100,
            ...(etag ? { headers: { 'if-none-match': etag } } : {}),
        });
        for await (const page of pages) {
            spent += 1;
            firstEtag ??= page.headers.etag;
            comments.push(...page.data);
        }
    }
    catch (error) {
        // Octokit reports 304 Not Modified as an error; for a conditional request it is the answer.
        if (hasStatus(error, 304))
            return { spent };
        throw error;
    }
    return { comments, spent, ...(firstEtag ? { etag: firstEtag } : {}) };
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var dist_cjs = __webpack_require__(3711);
;// CONCATENATED MODULE: ./src/store/object-store.ts


/** A conditional write lost against another run. */
class ConflictError extends Error {
    name = 'ConflictError';
}
/**
 * The bucket and prefix of the action's settings, through @aws-sdk/client-s3. Keys given to it
 * are relative to the prefix. Every failure becomes a message that names what to fix.
 */
class ObjectStore {
    settings;
    client;
    constructor(settings) {
        this.settings = settings;
        this.client = new dist_cjs/* S3Client */.YxF({
            region: settings.region ?? 'us-east-1',
            ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
            // An S3 outage should fail a run in seconds, not minutes.
            maxAttempts: 3,
        });
    }
    get bucket() {
        return this.settings.bucket;
    }
    key(relative) {
        return this.settings.prefix ? `${this.settings.prefix}/${relative}` : relative;
    }
    uri(relative) {
        return `s3://${this.settings.bucket}/${this.key(relative)}`;
    }
    async get(relative) {
        const Key = this.key(relative);
        try {
            const result = await this.client.send(new dist_cjs/* GetObjectCommand */.jLs({ Bucket: this.bucket, Key }));
            return {
                body: (await result.Body?.transformToString('utf8')) ?? '',
                etag: result.ETag ?? '',
            };
        }
        catch (error) {
            if (error instanceof dist_cjs/* S3ServiceException */.Hcp && error.name === 'NoSuchKey')
                return undefined;
            throw this.failure(error, 's3:GetObject', Key);
        }
    }
    /** Writes an object; with a condition, a lost race raises ConflictError. Returns the new ETag. */
    async put(relative, body, options = {}) {
        const Key = this.key(relative);
        const { condition } = options;
        try {
            const result = await this.client.send(new dist_cjs/* PutObjectCommand */.wKZ({
                Bucket: this.bucket,
                Key,
                Body: Buffer.from(body, 'utf8'),
                ContentType: options.contentType ?? 'application/json',
                ...(this.settings.sse === 'none' ? {} : { ServerSideEncryption: this.settings.sse }),
                ...(this.settings.sse === 'aws:kms' ? { SSEKMSKeyId: this.settings.kmsKeyId } : {}),
                ...(condition && 'ifNoneMatch' in condition ? { IfNoneMatch: '*' } : {}),
                ...(condition && 'ifMatch' in condition ? { IfMatch: condition.ifMatch } : {}),
            }));
            return result.ETag ?? '';
        }
        catch (error) {
            if (condition && isPreconditionFailure(error)) {
                throw new ConflictError(`s3://${this.bucket}/${Key} was changed by another run.`);
            }
            throw this.failure(error, 's3:PutObject', Key);
        }
    }
    /** Deletes an object; with `ifMatch`, only that version of it, else ConflictError. */
    async delete(relative, options = {}) {
        const Key = this.key(relative);
        const { ifMatch } = options;
        try {
            await this.client.send(new dist_cjs/* DeleteObjectCommand */.k4j({
                Bucket: this.bucket,
                Key,
                ...(ifMatch !== undefined ? { IfMatch: ifMatch } : {}),
            }));
        }
        catch (error) {
            // A conditional delete of an object that is gone lost the race as well.
            const gone = error instanceof dist_cjs/* S3ServiceException */.Hcp && error.$metadata.httpStatusCode === 404;
            if (ifMatch !== undefined && (isPreconditionFailure(error) || gone)) {
                throw new ConflictError(`s3://${this.bucket}/${Key} was changed by another run.`);
            }
            throw this.failure(error, 's3:DeleteObject', Key);
        }
    }
    failure(error, action, key) {
        const where = `s3://${this.bucket}/${key}`;
        if (error instanceof dist_cjs/* S3ServiceException */.Hcp) {
            const status = error.$metadata.httpStatusCode;
            if (error.name === 'AccessDenied' || status === 403) {
                return new ActionError(`S3 denied ${action} on ${where}. Allow ${action} on arn:aws:s3:::${this.bucket}/${this.settings.prefix ? `${this.settings.prefix}/` : ''}* in the IAM policy of the workflow's AWS role.`, { cause: error });
            }
            if (error.name === 'NoSuchBucket') {
                return new ActionError(`The bucket '${this.bucket}' does not exist${this.settings.region ? ` in ${this.settings.region}` : ''}. Create it or fix the s3-uri input.`, { cause: error });
            }
            return new ActionError(`S3 answered ${status ?? '?'} ${error.name} for ${action} on ${where}.`, {
                cause: error,
            });
        }
        const reason = error instanceof Error ? error.message : String(error);
        return new ActionError(`Could not reach S3${this.settings.endpoint ? ` at ${this.settings.endpoint}` : ''} for ${action} on ${where}: ${reason}`, { cause: error });
    }
}
function isPreconditionFailure(error) {
    return (error instanceof dist_cjs/* S3ServiceException */.Hcp &&
        (error.$metadata.httpStatusCode === 412 ||
            error.name === 'PreconditionFailed' ||
            error.name === 'ConditionalRequestConflict'));
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/store/reviewer-store.ts


/** A lock older than this belongs to a run that died; the next run may take it over. */
const LOCK_TTL_MS = 6 * 60 * 60 * 1000;
const MANIFEST_ATTEMPTS = 3;
/**
 * Reviews the manifest remembers. Feedback collection revisits each one's pull request, and a
 * dataset fetches at most MAX_DIFFS_SEEN (200) diffs for their hunks, so older ones could not
 * become examples anyway; the manifest, read by every run, stays a few tens of kB.
 */
const MAX_REVIEW_RECORDS = 200;
const LOCK_FILE = 'training.lock';
class ReviewerStore {
    store;
    owner;
    repo;
    reviewer;
    constructor(store, owner, repo, reviewer) {
        this.store = store;
        // Logins and repository names are case-insensitive on GitHub: one prefix per reviewer.
        this.owner = owner.toLowerCase();
        this.repo = repo.toLowerCase();
        this.reviewer = reviewer.toLowerCase();
    }
    path(relative) {
        return `${this.owner}/${this.repo}/${this.reviewer}/${relative}`;
    }
    uri(relative = '') {
        return this.store.uri(this.path(relative));
    }
    /** The adapter's name on the model server: it encodes where the adapter lives. */
    adapterName(adapterId) {
        return `tlb/${this.owner}/${this.repo}/${this.reviewer}/${adapterId}`;
    }
    /** A new adapter's id, derived from what it is trained on and the run that trains it. */
    static adapterId(datasetDigest, baseModel, runUrl) {
        return (0,external_node_crypto_.createHash)('sha256')
            .update([datasetDigest, baseModel, runUrl].join('\u0000'))
            .digest('hex')
            .slice(0, 16);
    }
    async readManifest() {
        const stored = await this.store.get(this.path('manifest.json'));
        if (!stored)
            return undefined;
        return { manifest: JSON.parse(stored.body), etag: stored.etag };
    }
    /**
     * Read-modify-write of the manifest with conditional writes: when another run wrote in
     * between, read again and re-apply `change`, never overwriting what it wrote.
     */
    async updateManifest(change) {
        for (let attempt = 1;; attempt++) {
            const read = await this.readManifest();
            const next = change(read?.manifest ?? this.emptyManifest());
            next.updatedAt = new Date().toISOString();
            try {
                await this.store.put(this.path('manifest.json'), `${JSON.stringify(next, null, 2)}\n`, {
                    condition: read ? { ifMatch: read.etag } : { ifNoneMatch: '*' },
                });
                return next;
            }
            catch (error) {
                if (!(error instanceof ConflictError) || attempt >= MANIFEST_ATTEMPTS)
                    throw error;
            }
        }
    }
    /**
     * Takes the training lock, or says which run holds it. A lock past its TTL is taken over, and
     * one this run already holds (a re-run of the same workflow run) is taken again.
     */
    async acquireTrainingLock(runUrl) {
        const key = this.path(LOCK_FILE);
        const lock = { runUrl, acquiredAt: new Date().toISOString() };
        try {
            await this.store.put(key, JSON.stringify(lock), { condition: { ifNoneMatch: '*' } });
            return { acquired: true };
        }
        catch (error) {
            if (!(error instanceof ConflictError))
                throw error;
        }
        const held = await this.store.get(key);
        if (!held)
            return this.acquireTrainingLock(runUrl);
        const holder = parseLock(held.body);
        // NaN (a time that does not parse) counts as expired too.
        const expired = !(Date.now() - Date.parse(holder.acquiredAt) < LOCK_TTL_MS);
        if (holder.runUrl !== runUrl && !expired)
            return { acquired: false, lock: holder };
        try {
            await this.store.put(key, JSON.stringify(lock), { condition: { ifMatch: held.etag } });
            return { acquired: true };
        }
        catch (error) {
            if (error instanceof ConflictError)
                return { acquired: false, lock: holder };
            throw error;
        }
    }
    /**
     * Deletes the training lock when `runUrl` holds it; returns whether it did. The delete is
     * conditional on the ETag of the lock read, so a lock another run took over in between stays.
     */
    async releaseTrainingLock(runUrl) {
        const key = this.path(LOCK_FILE);
        const held = await this.store.get(key);
        if (!held || parseLock(held.body).runUrl !== runUrl)
            return false;
        try {
            await this.store.delete(key, { ifMatch: held.etag });
            return true;
        }
        catch (error) {
            if (error instanceof ConflictError)
                return false;
            throw error;
        }
    }
    /**
     * What a stored adapter says about itself (PEFT's adapter_config.json), to explain why a model
     * server refuses it; undefined when it is not in S3.
     */
    async readAdapterConfig(adapterId) {
        const stored = await this.store.get(this.path(`adapters/${adapterId}/adapter_config.json`));
        if (!stored)
            return undefined;
        const config = JSON.parse(stored.body);
        return {
            ...(typeof config.base_model_name_or_path === 'string'
                ? { baseModel: config.base_model_name_or_path }
                : {}),
            ...(typeof config.r === 'number' ? { rank: config.r } : {}),
        };
    }
    /** Uploads a dataset; returns the URI of its folder. */
    async uploadDataset(digest, files) {
        for (const [name, body] of Object.entries(files)) {
            await this.store.put(this.path(`datasets/${digest}/${name}`), body, {
                contentType: name.endsWith('.json') ? 'application/json' : 'application/x-ndjson',
            });
        }
        return this.uri(`datasets/${digest}/`);
    }
    emptyManifest() {
        return {
            schemaVersion: 1,
            owner: this.owner,
            repo: this.repo,
            reviewer: this.reviewer,
            previous: [],
            updatedAt: new Date().toISOString(),
        };
    }
}
/** The manifest with `review` first among its reviews, at most MAX_REVIEW_RECORDS of them. */
function recordReview(manifest, review) {
    const others = (manifest.reviews ?? []).filter((r) => r.reviewId !== review.reviewId);
    return { ...manifest, reviews: [review, ...others].slice(0, MAX_REVIEW_RECORDS) };
}
/**
 * The manifest with the adapter's acceptance as of `checkedAt`, wherever the adapter is (current
 * or previous); unchanged when it knows no such adapter.
 */
function recordAcceptance(manifest, adapterId, counts, checkedAt) {
    const update = (record) => record.id === adapterId
        ? { ...record, acceptance: { counts: { ...counts }, checkedAt } }
        : record;
    return {
        ...manifest,
        ...(manifest.current ? { current: update(manifest.current) } : {}),
        previous: manifest.previous.map(update),
    };
}
/** A lock that cannot be read (contracts/manifest/training-lock.schema.json) counts as expired. */
function parseLock(body) {
    try {
        const lock = JSON.parse(body);
        return { runUrl: String(lock.runUrl ?? ''), acquiredAt: String(lock.acquiredAt ?? '') };
    }
    catch {
        return { runUrl: '', acquiredAt: '' };
    }
}

;// CONCATENATED MODULE: ./src/steps/progress.ts

/**
 * What the PR's status comment says, line by line: each step adds lines as it goes and the
 * comment is edited in place, so the person who asked can follow along. A step that continues
 * a request (`base`, the document as the step found it) adds to what earlier jobs wrote.
 */
class Progress {
    status;
    reviewer;
    runUrl;
    react;
    base;
    lines = [];
    constructor(status, reviewer, runUrl, react, base) {
        this.status = status;
        this.reviewer = reviewer;
        this.runUrl = runUrl;
        this.react = react;
        this.base = base;
    }
    /** Ends the conversation on a problem the person can fix: the status says what, and 😕. */
    async fail(text) {
        await this.report({ state: 'failed', text });
        await this.react('confused');
    }
    /** Replaces a trailing "next" line (the plan that just happened) and publishes. */
    async report(...lines) {
        while (this.lines.at(-1)?.state === 'next')
            this.lines.pop();
        this.lines.push(...lines);
        const document = appendStatus(this.base, {
            reviewer: this.reviewer,
            runUrl: this.runUrl,
            lines: this.lines,
        });
        return this.status.update(renderStatus(document));
    }
}

// EXTERNAL MODULE: ./node_modules/parse-diff/index.js
var parse_diff = __webpack_require__(2673);
var parse_diff_default = /*#__PURE__*/__webpack_require__.n(parse_diff);
;// CONCATENATED MODULE: ./src/diff/hunks.ts

/** Splits a file's unified patch (as GitHub gives it, without file headers) into hunks. */
function parsePatch(patch) {
    // parse-diff needs file headers to find hunk boundaries reliably.
    const [file] = parse_diff_default()(`--- a/file\n+++ b/file\n${patch}`);
    if (!file)
        return [];
    return file.chunks.map((chunk) => ({
        header: chunk.content,
        rows: chunk.changes
            .filter((change) => !change.content.startsWith('\\'))
            .map((change) => {
            const text = change.content.slice(1);
            switch (change.type) {
                case 'add':
                    return { kind: 'add', newLine: change.ln, text };
                case 'del':
                    return { kind: 'del', oldLine: change.ln, text };
                default:
                    return { kind: 'context', oldLine: change.ln1, newLine: change.ln2, text };
            }
        }),
    }));
}
/** The anchor GitHub expects for a row: deletions on the LEFT, everything else on the RIGHT. */
function anchorOf(row) {
    if (row.kind === 'del')
        return { line: row.oldLine ?? 0, side: 'LEFT' };
    return { line: row.newLine ?? 0, side: 'RIGHT' };
}
/** The row of a hunk a (line, side) pair points at, if the pair is commentable there. */
function findRow(hunk, anchor) {
    return hunk.rows.find((row) => anchor.side === 'LEFT'
        ? row.kind !== 'add' && row.oldLine === anchor.line
        : row.kind !== 'del' && row.newLine === anchor.line);
}

// EXTERNAL MODULE: ./node_modules/js-tiktoken/dist/lite.js + 1 modules
var lite = __webpack_require__(1021);
// EXTERNAL MODULE: ./node_modules/js-tiktoken/dist/ranks/cl100k_base.js
var cl100k_base = __webpack_require__(718);
;// CONCATENATED MODULE: ./src/text/tokens.ts


let encoder;
/**
 * Token count of a text. LLaMA 3's tokenizer extends cl100k's vocabulary, so cl100k counts
 * are a close upper bound for it; good enough for budgets, which are never exact anyway.
 */
function countTokens(text) {
    encoder ??= new lite/* Tiktoken */.s(cl100k_base/* default */.A);
    return encoder.encode(text, 'all').length;
}

;// CONCATENATED MODULE: ./src/diff/windows.ts

/** Rough cost of a row's label and marker (`old line 1234: +`) on top of its text. */
const ROW_OVERHEAD = 6;
/**
 * A token never covers less than one byte, so a hunk whose bytes fit the budget fits in tokens:
 * most hunks are decided without loading the tokenizer.
 */
function surelyFits(hunk, maxTokens) {
    let bytes = Buffer.byteLength(hunk.header);
    for (const row of hunk.rows)
        bytes += Buffer.byteLength(row.text) + ROW_OVERHEAD;
    return bytes <= maxTokens;
}
function rowCosts(hunk) {
    return hunk.rows.map((row) => countTokens(row.text) + ROW_OVERHEAD);
}
function slice(hunk, start, end) {
    return { header: hunk.header, rows: hunk.rows.slice(start, end) };
}
/**
 * The largest run of rows around row `index` whose tokens fit `maxTokens`, growing downwards
 * first and then upwards, so the model sees what leads to the line and a little after it.
 */
function windowAround(hunk, index, maxTokens) {
    if (surelyFits(hunk, maxTokens))
        return hunk;
    const costs = rowCosts(hunk);
    let start = index;
    let end = index + 1;
    let total = (costs[index] ?? 0) + countTokens(hunk.header);
    for (let grew = true; grew;) {
        grew = false;
        const below = costs[end];
        if (below !== undefined && total + below <= maxTokens) {
            total += below;
            end++;
            grew = true;
        }
        const above = costs[start - 1];
        if (above !== undefined && total + above <= maxTokens) {
            total += above;
            start--;
            grew = true;
        }
    }
    return slice(hunk, start, end);
}
/** Cuts a hunk into consecutive windows that each fit `maxTokens` (a row larger than that stands alone). */
function splitIntoWindows(hunk, maxTokens) {
    if (surelyFits(hunk, maxTokens))
        return [hunk];
    const costs = rowCosts(hunk);
    const budget = maxTokens - countTokens(hunk.header);
    const windows = [];
    let start = 0;
    let total = 0;
    costs.forEach((cost, index) => {
        if (index > start && total + cost > budget) {
            windows.push(slice(hunk, start, index));
            start = index;
            total = 0;
        }
        total += cost;
    });
    if (start < hunk.rows.length)
        windows.push(slice(hunk, start, hunk.rows.length));
    return windows;
}

;// CONCATENATED MODULE: ./src/prompt/prompt.ts

/**
 * The one prompt of tech-lead-bot. Training data (the dataset builder) and inference (the
 * review step) both call these functions, so the model is asked at review time exactly what
 * it was taught. The Python trainer never rebuilds a prompt: datasets carry finished messages.
 * test/fixtures/prompt/ pins the format; change it only together with retraining.
 */
const NO_COMMENT = 'NO COMMENT';
const TONES = {
    reviewer: 'Write the comment in your own voice, as you write your review comments here.',
    snarky: 'Be terse and snarky: one short, pointed sentence.',
};
function systemMessage(reviewer, tone) {
    return [
        `You are ${reviewer}, reviewing a pull request in this repository.`,
        'You are shown one hunk of the diff; each line starts with its label: `line N` for a line of the new file, `old line N` for a deleted line.',
        'If the hunk deserves a review comment from you, answer with one line: the label of the line you comment on, a colon, and your comment, for example `line 12: Why not reuse the cache here?`',
        `If you would leave the hunk alone, answer exactly: ${NO_COMMENT}`,
        TONES[tone],
    ].join('\n');
}
function userMessage(path, hunk) {
    const rows = hunk.rows.map((row) => {
        const marker = row.kind === 'add' ? '+' : row.kind === 'del' ? '-' : ' ';
        return `${label(anchorOf(row))}: ${marker}${row.text}`;
    });
    return neutralise([`File: ${path}`, hunk.header, ...rows].join('\n'));
}
/**
 * Text that spells a chat special token (`<|eot_id|>`) is plain text to TorchTune but the real
 * token to Hugging Face and vLLM: break it up so that training and serving see the same thing.
 */
function neutralise(text) {
    return text.replace(/<\|/g, '< |');
}
/** The system and user messages for one hunk. */
function buildPrompt(input) {
    return [
        { role: 'system', content: systemMessage(input.reviewer, input.tone) },
        ...(input.examples ?? []),
        { role: 'user', content: userMessage(input.path, input.hunk) },
    ];
}
/** What the reviewer "answered" for a hunk: the training target. */
function formatAnswer(comment) {
    if (comment === undefined)
        return NO_COMMENT;
    return `${label(comment.anchor)}: ${neutralise(comment.body)}`;
}
/**
 * Reads a model's answer strictly, by the grammar of contracts/answer-grammar.md (which the
 * trainer's evaluation reads the same way). A comment names a label the prompt showed for this
 * hunk; any other label makes the answer unreadable rather than guessed at.
 */
function parseAnswer(text, hunk) {
    const answer = text.trim();
    if (answer.toUpperCase().startsWith(NO_COMMENT))
        return { kind: 'none' };
    const match = /^(old )?line (\d+):\s*([\s\S]+)$/i.exec(answer);
    if (!match?.[2] || !match[3])
        return { kind: 'unreadable', text: answer };
    const anchor = { line: Number(match[2]), side: match[1] ? 'LEFT' : 'RIGHT' };
    const shown = hunk.rows.some((row) => label(anchorOf(row)) === label(anchor));
    if (!shown)
        return { kind: 'unreadable', text: answer };
    return { kind: 'comment', anchor, body: match[3].trim() };
}
/** A row's label in the prompt: `line N` (new file) or `old line N` (deleted line). */
function label(anchor) {
    return anchor.side === 'LEFT' ? `old line ${anchor.line}` : `line ${anchor.line}`;
}
/** The hunk as a prompt shows it, secrets redacted: the same at training and at review time. */
function redactHunk(hunk, redactor) {
    return {
        header: hunk.header,
        rows: hunk.rows.map((row) => ({ ...row, text: redactor.redact(row.text) })),
    };
}

;// CONCATENATED MODULE: ./src/text/clean.ts
/** Marks of generated text: slash commands, hidden HTML markers, tool signatures. */
const BOT_LIKE = [
    /^\s*\/[a-z][\w-]*(\s|$)/i,
    /<!--/,
    /\b(?:generated by|automated (?:comment|review)|this comment was (?:automatically )?generated)\b/i,
];
const MAX_BODY_CHARS = 400;
/**
 * A review comment as a one-line training target: code blocks become a short placeholder,
 * whitespace collapses and the length is bounded.
 */
function cleanBody(body) {
    const text = body
        .replace(/```suggestion[^\n]*\n[\s\S]*?```/g, ' (suggested change) ')
        .replace(/(```|~~~)[\s\S]*?(\1|$)/g, ' (code) ')
        .replace(/\s+/g, ' ')
        .trim();
    if (text.length <= MAX_BODY_CHARS)
        return text;
    const cut = text.slice(0, MAX_BODY_CHARS);
    return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), MAX_BODY_CHARS / 2))}…`;
}
function rejection(rawBody, cleaned) {
    if (BOT_LIKE.some((pattern) => pattern.test(rawBody)))
        return 'bot-like';
    // Nothing to learn from a comment without words ("+1", "👍", only a code block).
    if (!/\p{L}{2,}/u.test(cleaned.replace(/\((?:suggested change|code)\)/g, '')))
        return 'empty';
    return undefined;
}

// EXTERNAL MODULE: ./node_modules/@secretlint/core/module/index.js + 17 modules
var core_module = __webpack_require__(198);
// EXTERNAL MODULE: ./node_modules/@secretlint/secretlint-rule-preset-recommend/module/index.js
var secretlint_rule_preset_recommend_module = __webpack_require__(1577);
;// CONCATENATED MODULE: ./src/text/redact.ts


const RULES = [
    {
        kind: 'private-key',
        pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
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
        pattern: /(?<keep>[?&](?:token|access_token|api_key|apikey|key|sig|signature|x-amz-signature|x-amz-credential|password)=)(?<secret>[^\s&#"']+)/gi,
    },
    // Hosts on a private network say where things are; loopback (localhost) says nothing.
    {
        kind: 'private-url',
        pattern: /\bhttps?:\/\/(?:10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+|[a-z0-9.-]+\.(?:internal|corp|lan|intranet))(?::\d+)?(?:\/[^\s)"'`>]*)?/gi,
    },
    // A secret-named key given a value that looks like one: a quoted literal, or a bare value
    // with a digit or symbol that ends the statement. `password: never log it` and
    // `password = getPassword(user)` are prose and code, not secrets.
    {
        kind: 'password-assignment',
        pattern: /(?<keep>\b[A-Za-z0-9_]*(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?key|auth[_-]?token|client[_-]?secret|private[_-]?key)[A-Za-z0-9_]*["']?\s*(?:=|:|=>)\s*)(?<secret>"[^"\s]{4,}"|'[^'\s]{4,}'|(?=[^\s"',;()]*[\d!#$%^&*+/~])[^\s"',;()]{6,}(?=\s*[,;]?\s*$))/gim,
    },
];
const RECOMMENDED_RULES = {
    id: secretlint_rule_preset_recommend_module/* creator */.x.meta.id,
    rule: secretlint_rule_preset_recommend_module/* creator */.x,
    // An access key id alone grants nothing, but it names an account: redact it too.
    rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
};
/** Long runs of token characters, judged by their entropy below. */
const CANDIDATE = /[A-Za-z0-9+/=_-]{24,}/g;
const REDACTED = /\[REDACTED:[a-z0-9-]+\]/;
/** Shorter pieces of a finding (a lone `}` of a key block) are too common to redact everywhere. */
const MIN_SECRET_CHARS = 8;
class Redactor {
    counts = new Map();
    /** Secrets secretlint found in scanned texts, by the kind of the rule that found them. */
    found = new Map();
    foundPattern;
    /**
     * Runs secretlint's rules over texts that `redact` will see later; what they find is then
     * redacted wherever it appears. A multi-line finding (a key split over diff rows) is
     * remembered line by line, since hunks are redacted a row at a time.
     */
    async scan(texts) {
        const content = [...texts].join('\n');
        if (content.trim() === '')
            return;
        const result = await (0,core_module/* lintSource */.n)({
            source: { content, filePath: 'scanned.txt', ext: '.txt', contentType: 'text' },
            options: {
                config: { rules: [RECOMMENDED_RULES] },
                noPhysicFilePath: true,
            },
        });
        for (const message of result.messages) {
            const kind = message.ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
            for (const line of content.slice(...message.range).split('\n')) {
                if (line.trim().length >= MIN_SECRET_CHARS)
                    this.found.set(line.trim(), kind);
            }
        }
        const secrets = [...this.found.keys()].sort((a, b) => b.length - a.length);
        this.foundPattern = secrets.length
            ? new RegExp(secrets.map((secret) => secret.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'g')
            : undefined;
    }
    redact(text) {
        let result = this.foundPattern
            ? text.replace(this.foundPattern, (secret) => {
                const kind = this.found.get(secret) ?? 'secret';
                this.count(kind);
                return `[REDACTED:${kind}]`;
            })
            : text;
        for (const rule of RULES) {
            result = result.replace(rule.pattern, (...args) => {
                const groups = args.at(-1);
                this.count(rule.kind);
                const marker = `[REDACTED:${rule.kind}]`;
                return groups?.keep !== undefined ? `${groups.keep}${marker}` : marker;
            });
        }
        return result.replace(CANDIDATE, (candidate) => {
            if (REDACTED.test(candidate) || !looksRandom(candidate))
                return candidate;
            this.count('high-entropy');
            return '[REDACTED:high-entropy]';
        });
    }
    /** How many findings of each kind were redacted so far. */
    summary() {
        return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
    }
    get total() {
        let total = 0;
        for (const count of this.counts.values())
            total += count;
        return total;
    }
    count(kind) {
        this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    }
}
/**
 * Random-looking: mixes upper case, lower case and digits with high entropy. Hex digests
 * (commit SHAs are everywhere in reviews) and identifiers made of words do not qualify.
 */
function looksRandom(text) {
    if (/^[0-9a-f]+$/i.test(text))
        return false;
    if (!/[A-Z]/.test(text) || !/[a-z]/.test(text) || !/[0-9]/.test(text))
        return false;
    // Identifiers such as someVeryLongFunctionName2 are mostly words; keys are not.
    if (wordiness(text) > 0.5)
        return false;
    return shannonEntropy(text) >= 4.0;
}
/** The share of the text in runs of four or more letters. */
function wordiness(text) {
    const letters = text.match(/[a-z]{4,}/gi)?.join('').length ?? 0;
    return letters / text.length;
}
function shannonEntropy(text) {
    const frequencies = new Map();
    for (const char of text)
        frequencies.set(char, (frequencies.get(char) ?? 0) + 1);
    let entropy = 0;
    for (const count of frequencies.values()) {
        const p = count / text.length;
        entropy -= p * Math.log2(p);
    }
    return entropy;
}

;// CONCATENATED MODULE: ./src/dataset/build.ts







/**
 * Turns a reviewer's history into chat examples with the prompt the review step uses:
 * positives (a hunk they commented on → their comment at that line) and negatives (a hunk of
 * a pull request they reviewed and left alone → NO COMMENT). Newest pull requests go to eval.
 */
function buildDataset(history, filesByPull, options, filesSeen = new Map()) {
    const redactor = options.redactor ?? new Redactor();
    const stats = {
        comments: history.comments.length,
        positives: 0,
        negatives: 0,
        replies: 0,
        empty: 0,
        botLike: 0,
        duplicates: 0,
        unanchored: 0,
        partialHunks: 0,
        unmatched: 0,
        pulls: 0,
        evalPulls: 0,
    };
    const seen = new Set();
    const positives = [];
    for (const comment of history.comments) {
        if (comment.inReplyToId !== null) {
            stats.replies++;
            continue;
        }
        const body = cleanBody(comment.body);
        const rejected = rejection(comment.body, body);
        if (rejected === 'empty')
            stats.empty++;
        if (rejected === 'bot-like')
            stats.botLike++;
        if (rejected)
            continue;
        const whole = wholeHunkFor(comment, comment.line, filesByPull.get(comment.pullNumber)) ??
            wholeHunkFor(comment, comment.originalLine, filesSeen.get(seenAt(comment.pullNumber, comment.originalCommitId)));
        if (!whole && options.wholeHunksOnly) {
            stats.partialHunks++;
            continue;
        }
        const seenHunk = whole ?? diffHunkFor(comment);
        if (!seenHunk) {
            stats.unanchored++;
            continue;
        }
        const messages = [
            ...hunkPrompt(history.reviewer, comment.path, seenHunk, options.maxHunkTokens, redactor),
            {
                role: 'assistant',
                content: formatAnswer({ anchor: seenHunk.anchor, body: redactor.redact(body) }),
            },
        ];
        const key = messages.map((m) => m.content).join('\u0000');
        if (seen.has(key)) {
            stats.duplicates++;
            continue;
        }
        seen.add(key);
        positives.push({
            messages,
            meta: { pr: comment.pullNumber, path: comment.path, kind: 'positive', commentId: comment.id },
        });
    }
    const { negatives, unmatched } = pickNegatives(history, filesByPull, positives, options.negativeRatio, options.maxHunkTokens, redactor);
    const matched = positives.filter((_, index) => !unmatched.has(index));
    stats.unmatched = unmatched.size;
    stats.positives = matched.length;
    stats.negatives = negatives.length;
    const examples = [...matched, ...negatives];
    const evalPulls = heldOutPulls(history, examples, options.evalFraction);
    stats.pulls = new Set(examples.map((e) => e.meta.pr)).size;
    stats.evalPulls = evalPulls.size;
    return {
        train: examples.filter((e) => !evalPulls.has(e.meta.pr)),
        eval: examples.filter((e) => evalPulls.has(e.meta.pr)),
        stats,
        redactions: redactor.summary(),
        redactionsTotal: redactor.total,
    };
}
/**
 * The whole hunk around `line` of the comment's file in `files`: the pull request's current
 * files with the comment's current line, or its files as of the commit the comment was written
 * on with its original line.
 */
function wholeHunkFor(comment, line, files) {
    const patch = files?.find((file) => file.filename === comment.path)?.patch;
    if (!patch || line === null)
        return undefined;
    const anchor = { line, side: comment.side ?? 'RIGHT' };
    for (const hunk of parsePatch(patch)) {
        const row = findRow(hunk, anchor);
        if (row)
            return { hunk, row, anchor };
    }
    return undefined;
}
/**
 * The prompt for a commented hunk, as the review step asks it: the hunk cut to the token budget
 * around the commented row, redacted.
 */
function hunkPrompt(reviewer, path, seen, maxHunkTokens, redactor) {
    const index = seen.hunk.rows.indexOf(seen.row);
    const hunk = redactHunk(windowAround(seen.hunk, index, maxHunkTokens), redactor);
    return buildPrompt({ reviewer, tone: 'reviewer', path, hunk });
}
/** GitHub's diff_hunk of the comment, which ends at the commented line. */
function diffHunkFor(comment) {
    const side = comment.side ?? 'RIGHT';
    const line = comment.originalLine ?? comment.line;
    const [hunk] = parsePatch(comment.diffHunk);
    if (!hunk || line === null)
        return undefined;
    const anchor = { line, side };
    const row = findRow(hunk, anchor);
    return row ? { hunk, row, anchor } : undefined;
}
/** The rows a prompt shows (its user message less the file and hunk header lines). */
function rowsShown(messages) {
    return (messages[1]?.content.split('\n').length ?? 2) - 2;
}
/** How far a negative's length may be from its positive's: a tenth, rounded down. */
function lengthTolerance(rows) {
    return Math.floor(rows / 10);
}
/**
 * Hunks of the pull requests the reviewer reviewed that they left alone, `ratio` for each
 * positive, each of about that positive's length: reviewers comment more often on longer hunks,
 * which have more to comment on, and negatives of the positives' lengths keep a model from
 * deciding by length instead of by content. Candidates come in a stable pseudo-random order that
 * spreads the picks across pull requests and files; each hunk text is used once (the same hunk in
 * two pull requests would otherwise be in training and in the held-out set), and never one that a
 * positive shows. A positive for which no candidate within `lengthTolerance` is left in the first
 * round is returned in `unmatched`, to be left out (unless there is no candidate at all): a
 * reviewer who comments on every long hunk leaves no long negatives, and their long positives
 * alone would be a shortcut.
 */
function pickNegatives(history, filesByPull, positives, ratio, maxHunkTokens, redactor) {
    const wanted = Math.round(positives.length * ratio);
    if (wanted === 0)
        return { negatives: [], unmatched: new Set() };
    const shownByPositives = new Set(positives.map((e) => e.messages[1]?.content));
    const candidates = [];
    const texts = new Set();
    for (const [pr, files] of filesByPull) {
        const commented = history.comments.filter((c) => c.pullNumber === pr);
        for (const file of files) {
            if (!file.patch)
                continue;
            for (const whole of parsePatch(file.patch)) {
                const touched = commented.some((c) => c.path === file.filename &&
                    [c.line, c.originalLine].some((line) => line !== null && whole.rows.some((r) => r.newLine === line || r.oldLine === line)));
                if (touched || whole.rows.length === 0)
                    continue;
                const order = (0,external_node_crypto_.createHash)('sha256')
                    .update(`${pr}\u0000${file.filename}\u0000${whole.header}`)
                    .digest('hex');
                // A hunk over the token budget is cut around a row, as a positive is around its
                // commented row: a window that always starts at the top would tell negatives apart.
                const row = Number.parseInt(order.slice(0, 8), 16) % whole.rows.length;
                const hunk = redactHunk(windowAround(whole, row, maxHunkTokens), redactor);
                const prompt = buildPrompt({
                    reviewer: history.reviewer,
                    tone: 'reviewer',
                    path: file.filename,
                    hunk,
                });
                const text = prompt[1]?.content ?? '';
                if (texts.has(text) || shownByPositives.has(text))
                    continue;
                texts.add(text);
                candidates.push({ order, pr, path: file.filename, prompt });
            }
        }
    }
    // Without any hunk left alone there is no negative to tell a positive from by length.
    if (candidates.length === 0)
        return { negatives: [], unmatched: new Set() };
    candidates.sort((a, b) => a.order.localeCompare(b.order));
    const picked = [];
    const unmatched = new Set();
    let drift = 0;
    for (let slot = 0; slot < wanted; slot++) {
        const positive = slot % positives.length;
        // A positive already left out needs no more negatives.
        if (unmatched.has(positive))
            continue;
        const length = rowsShown(positives[positive]?.messages ?? []);
        const tolerance = lengthTolerance(length);
        // Within the tolerance, the candidate that keeps the negatives' lengths centred on the
        // positives' (nearest when exact lengths run out on one side), then the nearest.
        let best = -1;
        let bestCost = [Infinity, Infinity];
        for (const [index, candidate] of candidates.entries()) {
            const offset = rowsShown(candidate.prompt) - length;
            if (Math.abs(offset) > tolerance)
                continue;
            const cost = [Math.abs(drift + offset), Math.abs(offset)];
            if (cost[0] < bestCost[0] || (cost[0] === bestCost[0] && cost[1] < bestCost[1])) {
                [best, bestCost] = [index, cost];
            }
            if (cost[0] === 0 && cost[1] === 0)
                break;
        }
        if (best < 0) {
            if (slot < positives.length)
                unmatched.add(positive);
            continue;
        }
        drift += rowsShown(candidates[best]?.prompt ?? []) - length;
        picked.push(...candidates.splice(best, 1));
    }
    return {
        negatives: picked.map(({ pr, path, prompt }) => ({
            messages: [...prompt, { role: 'assistant', content: formatAnswer(undefined) }],
            meta: { pr, path, kind: 'negative' },
        })),
        unmatched,
    };
}
/**
 * The pull requests held out for evaluation: the newest ones, taken newest first while they add
 * to a kind of example (positive, negative) that has fewer than `fraction` of its examples held
 * out, so that both kinds are measured. A kind with fewer than two examples stays in training.
 */
function heldOutPulls(history, examples, fraction) {
    const opened = new Map(history.pulls.map((p) => [p.number, p.createdAt]));
    for (const c of history.comments) {
        const known = opened.get(c.pullNumber);
        if (known === undefined || c.createdAt < known)
            opened.set(c.pullNumber, c.createdAt);
    }
    const newestFirst = [...new Set(examples.map((e) => e.meta.pr))].sort((a, b) => (opened.get(b) ?? '').localeCompare(opened.get(a) ?? '') || b - a);
    const held = new Set();
    if (newestFirst.length < 2 || fraction <= 0)
        return held;
    const kinds = ['positive', 'negative'];
    const count = (kind, pulls) => examples.filter((e) => e.meta.kind === kind && (!pulls || pulls.has(e.meta.pr))).length;
    const wanted = new Map(kinds.map((kind) => {
        const total = count(kind);
        return [kind, total < 2 ? 0 : Math.min(total - 1, Math.max(1, Math.round(total * fraction)))];
    }));
    for (const pr of newestFirst) {
        const short = kinds.filter((kind) => count(kind, held) < (wanted.get(kind) ?? 0));
        if (short.length === 0)
            break;
        if (short.some((kind) => count(kind, new Set([pr])) > 0))
            held.add(pr);
    }
    // Training keeps at least one pull request.
    if (held.size === newestFirst.length)
        held.delete(newestFirst.at(-1) ?? 0);
    return held;
}
function toJsonl(examples) {
    return (examples.map((example) => JSON.stringify(example)).join('\n') + (examples.length ? '\n' : ''));
}
/** Content digest of a dataset: the same examples always give the same digest. */
function datasetDigest(dataset) {
    return (0,external_node_crypto_.createHash)('sha256')
        .update(toJsonl(dataset.train))
        .update('\u0000')
        .update(toJsonl(dataset.eval))
        .digest('hex')
        .slice(0, 16);
}

;// CONCATENATED MODULE: ./src/dataset/feedback.ts





/**
 * The dataset with training examples made of the reviewer's feedback on the bot's comments in
 * their voice. Each comment's whole hunk is the one the bot was shown: the pull request's diff as
 * of the comment's commit (`filesSeen`, keyed `seenAt(pullNumber, commitId)`); a comment without
 * it makes no example, since a partial hunk is a shape no other example has (see
 * DatasetOptions.wholeHunksOnly).
 *
 * - turned down: the hunk → NO COMMENT, or → the reviewer's correction at that line, with the
 *   bot's comment as the answer the reviewer refused (`rejected`: a preference pair for DPO);
 * - approved or addressed: the hunk → the bot's comment at its line;
 * - ignored: no example (silence says nothing).
 *
 * They go to training only: the held-out set stays the reviewer's own comments, comparable
 * between adapters. A hunk the dataset already shows (in either split) keeps its example and the
 * feedback one is dropped: the reviewer's own comment, or their leaving the hunk alone, is the
 * primary signal, and a held-out hunk must not be trained on. Of several comments on one hunk,
 * the newest one's feedback counts.
 */
function withFeedback(dataset, feedback, filesSeen, options) {
    const redactor = options.redactor ?? new Redactor();
    const stats = {
        positives: 0,
        negatives: 0,
        corrections: 0,
        ignored: 0,
        unknownHunks: 0,
        duplicates: 0,
    };
    const shown = new Set([...dataset.train, ...dataset.eval].map((e) => e.messages[1]?.content));
    const added = [];
    const newestFirst = [...feedback.items].sort((a, b) => b.comment.createdAt.localeCompare(a.comment.createdAt));
    for (const item of newestFirst) {
        const { comment } = item;
        const answer = answerFor(item);
        if (!answer) {
            stats.ignored++;
            continue;
        }
        const files = filesSeen.get(seenAt(comment.pullNumber, comment.commitId));
        const seen = wholeHunkFor(comment, comment.line, files);
        if (!seen) {
            stats.unknownHunks++;
            continue;
        }
        const prompt = hunkPrompt(options.reviewer, comment.path, seen, options.maxHunkTokens, redactor);
        const text = prompt[1]?.content;
        if (shown.has(text)) {
            stats.duplicates++;
            continue;
        }
        shown.add(text);
        const content = formatAnswer(answer.body === undefined
            ? undefined
            : { anchor: seen.anchor, body: redactor.redact(answer.body) });
        const messages = [...prompt, { role: 'assistant', content }];
        // A correction that repeats the bot's comment word for word makes no pair: it says nothing.
        const refused = answer.kind === 'feedback-positive'
            ? undefined
            : formatAnswer({ anchor: seen.anchor, body: redactor.redact(cleanBody(comment.body)) });
        const rejected = refused === content ? undefined : refused;
        added.push({
            messages,
            ...(rejected === undefined ? {} : { rejected }),
            meta: {
                pr: comment.pullNumber,
                path: comment.path,
                kind: answer.kind,
                commentId: comment.id,
            },
        });
        if (answer.kind === 'feedback-positive')
            stats.positives++;
        else if (answer.kind === 'feedback-negative')
            stats.negatives++;
        else
            stats.corrections++;
    }
    return {
        ...dataset,
        train: [...dataset.train, ...added],
        stats: { ...dataset.stats, feedback: stats },
        redactions: redactor.summary(),
        redactionsTotal: redactor.total,
    };
}
/** What the reviewer's feedback says the answer should have been; undefined when it says nothing. */
function answerFor(item) {
    switch (item.verdict) {
        case 'turned-down': {
            const raw = item.correction ?? '';
            const correction = remark(cleanBody(raw));
            // A reply that only says no ("No.", "Nope!") turns the comment down and says nothing else.
            return rejection(raw, correction)
                ? { kind: 'feedback-negative' }
                : { kind: 'feedback-correction', body: correction };
        }
        case 'approved':
        case 'addressed':
            return { kind: 'feedback-positive', body: cleanBody(item.comment.body) };
        case 'ignored':
            return undefined;
    }
}
/**
 * A correction as a first comment would say it. Collection already took the refusal off the reply
 * ("No: the real problem is …" → "the real problem is …", readReply); what is left is the
 * reviewer's own words, so a correction that itself opens with "No need …" keeps them.
 */
function remark(correction) {
    return correction.charAt(0).toUpperCase() + correction.slice(1);
}

;// CONCATENATED MODULE: ./src/prompt/few-shot.ts




/**
 * A few of the reviewer's past comments as (user, assistant) turns, for a base model without
 * their adapter: each on the hunk as GitHub showed it to them (`diff_hunk`), in the same
 * prompt and answer format as training, newest first.
 */
function fewShotExamples(comments, options) {
    const examples = [];
    const newestFirst = [...comments].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    for (const comment of newestFirst) {
        if (examples.length / 2 >= options.count)
            break;
        const body = cleanBody(comment.body);
        if (comment.inReplyToId !== null || rejection(comment.body, body))
            continue;
        const [hunk] = parsePatch(comment.diffHunk);
        const line = comment.originalLine ?? comment.line;
        if (!hunk || line === null)
            continue;
        const anchor = { line, side: comment.side ?? 'RIGHT' };
        const row = findRow(hunk, anchor);
        if (!row)
            continue;
        const window = windowAround(hunk, hunk.rows.indexOf(row), options.maxHunkTokens);
        examples.push({ role: 'user', content: userMessage(comment.path, redactHunk(window, options.redactor)) }, {
            role: 'assistant',
            content: formatAnswer({ anchor, body: options.redactor.redact(body) }),
        });
    }
    return examples;
}
/** Past comments the base model is shown when the reviewer has no adapter. */
const FEW_SHOT_EXAMPLES = 3;
/** The reviewer's most recent comments the review step collects to pick them from. */
const FEW_SHOT_HISTORY = 30;
/** Examples only show the reviewer's words: a short window of their hunk is enough. */
const FEW_SHOT_HUNK_TOKENS = 256;
/**
 * The turns of the reviewer's `FEW_SHOT_EXAMPLES` most recent usable comments among the first
 * `FEW_SHOT_HISTORY` of `history` (newest first). The review step's base-model fallback sends
 * them before each hunk; the prepare step writes the same turns (from the history outside the
 * held-out pull requests) into the dataset's meta.json, so that the trainer's base-few-shot
 * baseline is asked exactly what users would get.
 */
function fewShotTurns(history, redactor) {
    return fewShotExamples(history.comments.slice(0, FEW_SHOT_HISTORY), {
        count: FEW_SHOT_EXAMPLES,
        maxHunkTokens: FEW_SHOT_HUNK_TOKENS,
        redactor,
    });
}
/** The few-shot turns for a dataset: from the history without its held-out pull requests. */
function fewShotOutside(history, heldOut, redactor) {
    const held = new Set(heldOut);
    return fewShotTurns({ ...history, comments: history.comments.filter((comment) => !held.has(comment.pullNumber)) }, redactor);
}

;// CONCATENATED MODULE: ./src/steps/training-set.ts







const EVAL_FRACTION = 0.1;
/**
 * The prepare job's second half, when a new adapter is needed (DESIGN.md, "prepare"): collect
 * the reviewer's history, build the dataset, upload it next to the reviewer's manifest and mark
 * it pending. Returns the dataset's URI and the adapter's name for the `train` job, or
 * undefined when the history is too small to train on (the caller then stops; the lock is
 * released here, the status comment says why). With `feedback` (the reviewer's feedback on the
 * bot's comments in their voice), the training split also learns from it (withFeedback).
 */
async function prepareTrainingSet(settings, octokit, request, store, progress, feedback) {
    const { ref, reviewer } = request;
    core/* startGroup */.Oh(`Collect ${reviewer}'s review comments`);
    const history = await collectHistory(octokit, ref, reviewer, {
        maxComments: settings.history.maxComments,
    }).finally(() => core/* endGroup */.N4());
    core/* info */.pq(`${history.comments.length} comments on ${history.pulls.length} pull requests, ${history.requests} requests (${history.route}).`);
    // Fewer comments than the cap in a cut history: the REST fallback's page cap cut it.
    const capped = !history.truncated
        ? ''
        : history.comments.length < settings.history.maxComments
            ? ' (the most recent only: the REST fallback stopped at its page cap, see the job log)'
            : ` (the most recent ${settings.history.maxComments}, the max-history-comments cap)`;
    await progress.report({
        state: 'done',
        text: `Found ${history.comments.length} review comments${capped} by \`${reviewer}\` on ${history.pulls.length} pull requests.`,
    }, { state: 'next', text: 'Next: build the training set.' });
    core/* startGroup */.Oh('Build the dataset');
    let dataset;
    // secretlint's rules run over everything the dataset is made of before any of it is written.
    const redactor = new Redactor();
    try {
        const feedbackItems = feedback?.items ?? [];
        // Only a comment that makes an example needs its diff: an ignored one says nothing.
        const { files, seen } = await collectDatasetFiles(octokit, ref, history, feedbackItems.filter((item) => item.verdict !== 'ignored').map(({ comment }) => comment));
        await redactor.scan([
            ...history.comments.flatMap((comment) => [comment.body, comment.diffHunk]),
            ...feedbackItems.flatMap((item) => [item.comment.body, item.correction ?? '']),
            ...[...files.values(), ...seen.values()].flat().map((file) => file.patch ?? ''),
        ]);
        const built = buildDataset(history, files, {
            redactor,
            maxHunkTokens: settings.maxHunkTokens,
            negativeRatio: settings.history.negativeRatio,
            evalFraction: EVAL_FRACTION,
            wholeHunksOnly: true,
        }, seen);
        dataset = feedback
            ? withFeedback(built, feedback, seen, {
                reviewer: history.reviewer,
                maxHunkTokens: settings.maxHunkTokens,
                redactor,
            })
            : built;
    }
    finally {
        core/* endGroup */.N4();
    }
    const { stats } = dataset;
    if (stats.positives < settings.history.minComments) {
        await store.releaseTrainingLock(request.runUrl);
        const message = `Only ${stats.positives} usable review comments by \`${reviewer}\` in this repository (of ${stats.comments} found; at least ${settings.history.minComments} are needed, the min-history-comments input), so no adapter is trained.`;
        core/* warning */.$e(message.replace(/`/g, ''), { title: 'Not enough review history' });
        await progress.fail(message);
        return undefined;
    }
    const digest = datasetDigest(dataset);
    const adapterId = ReviewerStore.adapterId(digest, settings.baseModel, request.runUrl);
    const adapterName = store.adapterName(adapterId);
    const datasetUri = await store.uploadDataset(digest, {
        'train.jsonl': toJsonl(dataset.train),
        'eval.jsonl': toJsonl(dataset.eval),
        'meta.json': `${JSON.stringify({
            reviewer,
            repository: `${ref.owner}/${ref.repo}`,
            baseModel: settings.baseModel,
            adapterId,
            adapterName,
            stats,
            // What the review step's base-model fallback would show: the trainer's baseline.
            fewShot: fewShotOutside(history, dataset.eval.map((example) => example.meta.pr), redactor),
            redactions: dataset.redactions,
            retain: settings.history.retainDatasets,
            createdAt: new Date().toISOString(),
        }, null, 2)}\n`,
    });
    await store.updateManifest((m) => ({
        ...m,
        pending: {
            adapterId,
            adapterName,
            baseModel: settings.baseModel,
            datasetDigest: digest,
            datasetUri,
            comments: stats.comments,
            requestedAt: new Date().toISOString(),
            runUrl: request.runUrl,
        },
    }));
    const skipped = [
        [stats.replies, 'replies'],
        [stats.empty, 'without words'],
        [stats.botLike, 'bot-like'],
        [stats.duplicates, 'duplicates'],
        [stats.unanchored, 'not on a line of their hunk'],
        [stats.partialHunks, 'outdated or without their whole hunk'],
        [stats.unmatched, 'without a hunk left alone of their length'],
    ]
        .filter(([count]) => Number(count) > 0)
        .map(([count, what]) => `${count} ${what}`);
    await progress.report({
        state: 'done',
        text: `Built ${dataset.train.length} training and ${dataset.eval.length} evaluation examples (${stats.positives} comments, ${stats.negatives} hunks left alone${fromFeedback(stats.feedback)}) from ${stats.pulls} pull requests${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}; redacted ${dataset.redactionsTotal} secrets.`,
    }, {
        state: 'next',
        text: `Next: train \`${reviewer}\`'s adapter on the GPU runner, then review.`,
    });
    return { datasetUri, adapterName };
}
/** What the feedback added, for the status line: ", 7 from feedback on the bot's comments". */
function fromFeedback(stats) {
    if (!stats)
        return '';
    const added = stats.positives + stats.negatives + stats.corrections;
    return `, ${added} from feedback on the bot's comments`;
}

;// CONCATENATED MODULE: ./src/steps/prepare.ts















/**
 * The first job (DESIGN.md, "prepare"): understand the comment, check who asked and whose style
 * they want, acknowledge, look the reviewer's adapter up in S3 and, when a new one is needed,
 * prepare its training set (training-set.ts). Everything addressed to the bot gets an answer on
 * the pull request; everything else ends quietly with one log line.
 */
async function prepare(settings, octokit, context) {
    core/* setOutput */.uH('triggered', 'false');
    core/* startGroup */.Oh('Read the command');
    const accepted = await gate(settings, octokit, context).finally(() => core/* endGroup */.N4());
    if (accepted === undefined)
        return;
    let progress;
    try {
        const { event, reviewer } = accepted;
        core/* startGroup */.Oh('Acknowledge');
        try {
            await reactToComment(octokit, event.ref, event.comment.id, 'eyes');
            const status = await StatusComment.find(octokit, event.ref, reviewer);
            progress = new Progress(status, reviewer, event.runUrl, (reaction) => reactToComment(octokit, event.ref, event.comment.id, reaction));
            await acknowledge(accepted, progress);
        }
        finally {
            core/* endGroup */.N4();
        }
        await lookUpAdapter(settings, octokit, accepted, progress);
    }
    catch (error) {
        await reportFailure(octokit, accepted, progress, error);
        throw error;
    }
}
/**
 * Decides between reusing the reviewer's adapter and training a new one; for a new one, takes
 * the training lock and prepares the training set. Sets the outputs the `train` and `review`
 * jobs read, and returns what comes next.
 */
async function lookUpAdapter(settings, octokit, accepted, progress) {
    if (!settings.s3) {
        throw new ActionError('The s3-uri input is missing: set it to where adapters are kept, for example s3://my-bucket/tech-lead-bot.');
    }
    const { reviewer, event } = accepted;
    const { ref, runUrl } = event;
    const store = new ReviewerStore(new ObjectStore(settings.s3), ref.owner, ref.repo, reviewer);
    core/* startGroup */.Oh(`Look up ${reviewer}'s adapter`);
    const found = await store.readManifest().finally(() => core/* endGroup */.N4());
    const feedback = found && (await collectAcceptance(settings, octokit, accepted, found.manifest));
    const manifest = feedback
        ? await store.updateManifest((m) => withAcceptance(m, feedback))
        : found?.manifest;
    const current = manifest?.current;
    if (manifest && current && current.baseModel === settings.baseModel && !accepted.forceReload) {
        return reuse(settings, octokit, accepted, store, manifest, current, progress);
    }
    const lock = await store.acquireTrainingLock(runUrl);
    if (!lock.acquired) {
        await progress.report({
            state: 'note',
            text: `\`${reviewer}\`'s adapter is already being trained by [another run](${lock.lock.runUrl}) (since ${lock.lock.acquiredAt}). Ask again once it has finished.`,
        });
        return finish('stop');
    }
    try {
        const prepared = await prepareTrainingSet(settings, octokit, { ref, reviewer, runUrl }, store, progress, feedback);
        if (!prepared)
            return finish('stop');
        core/* setOutput */.uH('dataset-uri', prepared.datasetUri);
        core/* setOutput */.uH('adapter-name', prepared.adapterName);
        return finish('train');
    }
    catch (error) {
        await store.releaseTrainingLock(runUrl).catch((releaseError) => {
            core/* warning */.$e(`Could not release the training lock: ${String(releaseError)}`);
        });
        throw error;
    }
}
/**
 * The feedback on what the bot said in the reviewer's voice on the pull requests the manifest
 * records, or undefined when it reviewed none. Feedback only improves the next adapter: when it
 * cannot be collected, the run goes on without it and says so.
 */
async function collectAcceptance(settings, octokit, accepted, manifest) {
    const pulls = [...new Set((manifest.reviews ?? []).map((r) => r.pullNumber))];
    if (pulls.length === 0)
        return undefined;
    core/* startGroup */.Oh(`Collect feedback on the bot's comments in ${accepted.reviewer}'s voice`);
    try {
        const feedback = await collectFeedback(octokit, accepted.event.ref, accepted.reviewer, pulls, {
            from: settings.feedbackFrom,
        });
        core/* info */.pq(`${feedback.items.length} comments on ${pulls.length} pull requests, in ${feedback.requests} requests.`);
        return feedback;
    }
    catch (error) {
        core/* warning */.$e(`Could not collect the feedback on the bot's earlier comments (${errorMessage(error)}); going on without it.`, { title: 'Feedback not collected' });
        return undefined;
    }
    finally {
        core/* endGroup */.N4();
    }
}
/** The manifest with each adapter's acceptance counts as of this collection. */
function withAcceptance(manifest, feedback) {
    const checkedAt = new Date().toISOString();
    const adapters = [manifest.current, ...manifest.previous].flatMap((a) => (a ? [a.id] : []));
    return adapters.reduce((m, id) => recordAcceptance(m, id, acceptance(feedback.items, id), checkedAt), manifest);
}
async function reuse(settings, octokit, accepted, store, manifest, current, progress) {
    // Counting restarts whenever the adapter changed since the last count.
    const known = manifest.freshness?.adapterId === current.id ? manifest.freshness : undefined;
    core/* startGroup */.Oh('Count new review comments');
    const fresh = await countNewComments(octokit, accepted.event.ref, accepted.reviewer, known?.cursor ?? { since: current.createdAt }).finally(() => core/* endGroup */.N4());
    const newComments = (known?.newComments ?? 0) + fresh.count;
    if (fresh.count > 0 || known?.cursor.etag !== fresh.cursor.etag) {
        await store.updateManifest((m) => ({
            ...m,
            freshness: { adapterId: current.id, newComments, cursor: fresh.cursor },
        }));
    }
    core/* setOutput */.uH('adapter-name', current.name);
    const lines = [
        {
            state: 'done',
            text: `Using \`${accepted.reviewer}\`'s adapter \`${current.id}\`, trained ${current.createdAt.slice(0, 10)} on ${current.comments} review comments.`,
        },
    ];
    const reload = `\`@${settings.handle} ${accepted.reviewer} --force-reload\``;
    if (newComments >= settings.history.staleAfterComments) {
        lines.push({
            state: 'note',
            text: `${newComments} new review comments by \`${accepted.reviewer}\` since then: comment ${reload} to train a fresher adapter.`,
        });
    }
    const { acceptance } = current;
    if (acceptance) {
        lines.push({
            state: 'note',
            text: acceptanceLine(acceptance.counts, acceptance.checkedAt),
        });
        // Its own comments' feedback is all news to the adapter: it was built before any of them.
        const received = feedbackReceived(acceptance.counts);
        if (received >= settings.history.staleAfterFeedback) {
            lines.push({
                state: 'note',
                text: `${received} of its comments were approved, turned down or addressed: comment ${reload} to train an adapter that learns from that feedback.`,
            });
        }
    }
    await progress.report(...lines, { state: 'next', text: 'Next: review this pull request.' });
    return finish('review');
}
async function gate(settings, octokit, context) {
    const event = readCommentEvent(context);
    if ('skip' in event)
        return ignore(event.skip);
    if (event.action !== 'created') {
        return ignore(`The comment was ${event.action}, not created: only new comments start a review.`);
    }
    if (event.comment.authorIsBot) {
        return ignore(`The comment is by the bot ${event.comment.author}: bots cannot start a review.`);
    }
    const command = parseCommand(event.comment.body, settings.handle);
    if (command.kind === 'none') {
        return ignore(`No line of the comment starts with @${settings.handle}; nothing to do.`);
    }
    // From here on the comment is addressed to the bot, so every outcome is answered.
    const { ref, comment } = event;
    const refuse = async (message) => {
        core/* warning */.$e(message, { title: 'tech-lead-bot did not start' });
        await replyTo(octokit, ref, command.line, message);
        return undefined;
    };
    if (!event.isPullRequest) {
        return refuse('I review pull requests only: comment on a pull request to start a review.');
    }
    const commenterAccess = await repositoryAccess(octokit, ref, comment.author);
    if (commenterAccess !== 'write') {
        return refuse(`Sorry, ${comment.author}, only people with write access to this repository can start a review.`);
    }
    if (command.kind === 'invalid') {
        await reactToComment(octokit, ref, comment.id, 'confused');
        return refuse(`${command.problem} Usage: ${usage(settings.handle)}`);
    }
    const { reviewer } = command;
    const refusal = await reviewerRefusal(settings, octokit, event, reviewer);
    if (refusal !== undefined)
        return refuse(refusal);
    core/* info */.pq(`${comment.author} asked for a review in the style of ${reviewer}.`);
    return { event, reviewer, forceReload: command.forceReload, line: command.line };
}
/** Why the reviewer's style may not be used, or undefined when it may. */
async function reviewerRefusal(settings, octokit, event, reviewer) {
    const allowed = settings.allowedReviewers;
    if (allowed.length > 0) {
        if (!allowed.some((login) => login.toLowerCase() === reviewer.toLowerCase())) {
            return `Sorry, ${reviewer} is not among the reviewers this repository allows (${allowed.join(', ')}).`;
        }
        if (!(await userExists(octokit, reviewer))) {
            return `I cannot find a GitHub user called ${reviewer}. Check the spelling of the login.`;
        }
        return undefined;
    }
    const access = await repositoryAccess(octokit, event.ref, reviewer);
    if (access === 'unknown-user') {
        return `I cannot find ${reviewer} among this repository's users. Check the spelling of the login.`;
    }
    if (access === 'read-only') {
        return `Sorry, ${reviewer} has no write access to this repository, so their review style is not used here. A maintainer can list them in the \`allowed-reviewers\` input.`;
    }
    return undefined;
}
/** The first status, and the outputs that say who asked for whom. */
async function acknowledge(accepted, progress) {
    const { event, reviewer, forceReload } = accepted;
    const { ref, comment } = event;
    const statusId = await progress.report({
        state: 'done',
        text: `${comment.author} asked for a review in the style of \`${reviewer}\`${forceReload ? ', with a freshly trained adapter (`--force-reload`)' : ''}.`,
    }, {
        state: 'next',
        text: `Next: find \`${reviewer}\`'s adapter, train one if needed, then review this pull request.`,
    });
    core/* setOutput */.uH('triggered', 'true');
    core/* setOutput */.uH('reviewer', reviewer);
    core/* setOutput */.uH('force-reload', String(forceReload));
    core/* setOutput */.uH('pull-number', String(ref.issueNumber));
    core/* setOutput */.uH('comment-id', String(comment.id));
    core/* setOutput */.uH('status-comment-id', String(statusId));
    await core/* summary */.z
        .addHeading('tech-lead-bot', 3)
        .addTable([
        [
            { data: 'Pull request', header: true },
            { data: 'Asked by', header: true },
            { data: 'Reviewer', header: true },
            { data: 'Force reload', header: true },
        ],
        [`#${ref.issueNumber}`, comment.author, reviewer, forceReload ? 'yes' : 'no'],
    ])
        .write();
}
/** Best effort: say on the pull request what went wrong; the log has it in any case. */
async function reportFailure(octokit, accepted, progress, error) {
    const { event } = accepted;
    try {
        if (progress)
            await progress.fail(errorMessage(error));
        else {
            await reactToComment(octokit, event.ref, event.comment.id, 'confused');
            await replyTo(octokit, event.ref, accepted.line, errorMessage(error));
        }
    }
    catch (reportError) {
        core/* warning */.$e(`Could not report the failure on the pull request: ${errorMessage(reportError)}`);
    }
}
function ignore(reason) {
    core/* info */.pq(reason);
    return undefined;
}
function finish(next) {
    core/* setOutput */.uH('next', next);
    core/* setOutput */.uH('needs-training', String(next === 'train'));
    return next;
}

;// CONCATENATED MODULE: ./src/review/confidence.ts

/** How many alternatives per answer token the server is asked for (vLLM allows up to 20). */
const TOP_LOGPROBS = 5;
/**
 * The comment-less review threshold when no calibrated one exists: the base model, or an
 * adapter trained before calibration or without a comment answer on its held-out set.
 */
const BASE_MODEL_MIN_CONFIDENCE = 0.5;
/**
 * The probability that the hunk deserves a comment: 1 − P(the answer starts with NO COMMENT),
 * read off the answer's first tokens as contracts/confidence.md specifies. Where the answer
 * leaves the NO COMMENT path and no top alternative continues it, the probability mass outside
 * the top alternatives bounds P(NO COMMENT) from above, so the result never overstates.
 */
function commentProbability(tokens) {
    let seen = '';
    let noComment = 1;
    for (const step of tokens) {
        if (continuesNoComment(seen, step.token)) {
            noComment *= Math.exp(step.logprob);
            seen += step.token;
            if (coversNoComment(seen))
                break;
            continue;
        }
        const continuing = step.top_logprobs.filter((t) => continuesNoComment(seen, t.token));
        const listed = step.top_logprobs.reduce((sum, t) => sum + Math.exp(t.logprob), 0);
        noComment *= continuing.length
            ? continuing.reduce((sum, t) => sum + Math.exp(t.logprob), 0)
            : Math.max(0, 1 - listed);
        break;
    }
    return Math.min(1, Math.max(0, 1 - noComment));
}
function normalized(text) {
    return text.trimStart().toUpperCase();
}
function continuesNoComment(seen, token) {
    const text = normalized(seen + token);
    return NO_COMMENT.startsWith(text) || text.startsWith(NO_COMMENT);
}
function coversNoComment(seen) {
    return normalized(seen).startsWith(NO_COMMENT);
}

// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(370);
// EXTERNAL MODULE: ./node_modules/openai/index.mjs + 152 modules
var openai = __webpack_require__(3674);
;// CONCATENATED MODULE: ./src/review/model-client.ts


/**
 * The server is up and answered, but cannot serve this model name: vLLM answers 404 for an
 * adapter no resolver finds (our resolver also says "not found" for one that fails its checks:
 * rank above --max-lora-rank, another base model) and 400 for one it found but could not load.
 */
class ModelRefusedError extends Error {
    model;
    status;
    name = 'ModelRefusedError';
    constructor(model, status, serverMessage) {
        super(`The model server refused the model \`${model}\` (${status}: ${serverMessage})`);
        this.model = model;
        this.status = status;
    }
}
/** A review comment is one line: this many tokens are plenty. */
const MAX_ANSWER_TOKENS = 96;
/**
 * The vLLM server through its OpenAI-compatible API. `model` names the reviewer's adapter (or
 * the base model); the openai client retries connection errors, 408/409/429 and 5xx with backoff.
 */
function openAIModelClient(options) {
    const client = new openai/* default */.Ay({
        baseURL: options.baseURL,
        // vLLM without --api-key accepts any key; the client insists on one.
        apiKey: options.apiKey ?? 'no-key',
        timeout: options.timeoutMs,
        maxRetries: options.maxRetries,
    });
    return {
        async complete(model, messages) {
            const completion = await client.chat.completions
                .create({
                model,
                messages,
                max_tokens: MAX_ANSWER_TOKENS,
                temperature: 0,
                logprobs: true,
                top_logprobs: TOP_LOGPROBS,
            })
                .catch((error) => {
                throw model_client_explain(error, model, options.baseURL);
            });
            const choice = completion.choices[0];
            return {
                text: choice?.message.content ?? '',
                confidence: commentProbability(choice?.logprobs?.content ?? []),
            };
        },
    };
}
/** The error with a message that says what to check: the adapter, the key, or the server. */
function model_client_explain(error, model, baseURL) {
    if (!(error instanceof openai/* default.APIError */.Ay.APIError))
        return error;
    const message = serverMessage(error);
    // A 400 about something else (a prompt too long, say) does not name the model.
    if (error instanceof openai/* default.NotFoundError */.Ay.NotFoundError ||
        (error instanceof openai/* default.BadRequestError */.Ay.BadRequestError && message.includes(model))) {
        return new ModelRefusedError(model, error.status, message);
    }
    if (error instanceof openai/* default.AuthenticationError */.Ay.AuthenticationError ||
        error instanceof openai/* default.PermissionDeniedError */.Ay.PermissionDeniedError) {
        return new Error(`The model server at ${baseURL} refused the model-api-key (${error.status}: ${message}). Set model-api-key to the server's --api-key.`, { cause: error });
    }
    if (error instanceof openai/* default.APIConnectionError */.Ay.APIConnectionError) {
        return new Error(`Could not reach the model server at ${baseURL} (${error.message}). Check that it is up and that model-server-url is right.`, { cause: error });
    }
    return new Error(`The model server at ${baseURL} answered ${error.status ?? '?'}: ${message}`, {
        cause: error,
    });
}
function serverMessage(error) {
    const detail = error.error;
    return typeof detail?.message === 'string' ? detail.message : error.message;
}

;// CONCATENATED MODULE: ./src/review/engine.ts






/**
 * Asks the model about every hunk (window) with bounded concurrency. A failed or unreadable
 * answer costs that hunk only; the rest of the review goes on.
 */
async function reviewHunks(files, options) {
    const limit = (0,p_limit/* default */.A)(options.concurrency);
    const result = {
        candidates: [],
        hunks: 0,
        calls: 0,
        silent: 0,
        unreadable: 0,
        failed: 0,
        refused: 0,
        latenciesMs: [],
    };
    const tasks = files.flatMap((file) => file.hunks.flatMap((hunk) => {
        result.hunks++;
        return splitIntoWindows(hunk, options.maxHunkTokens).map((window) => limit(async () => {
            result.calls++;
            const messages = buildPrompt({
                reviewer: options.reviewer,
                tone: options.tone,
                path: file.path,
                hunk: redactHunk(window, options.redactor),
                examples: options.examples,
            });
            const started = Date.now();
            try {
                const answer = await options.client.complete(options.model, messages);
                result.latenciesMs.push(Date.now() - started);
                const parsed = parseAnswer(answer.text, window);
                if (parsed.kind === 'none')
                    result.silent++;
                else if (parsed.kind === 'unreadable')
                    result.unreadable++;
                else {
                    result.candidates.push({
                        path: file.path,
                        anchor: parsed.anchor,
                        lineText: findRow(window, parsed.anchor)?.text ?? '',
                        body: parsed.body,
                        confidence: answer.confidence,
                    });
                }
            }
            catch (error) {
                result.failed++;
                if (error instanceof ModelRefusedError)
                    result.refused++;
                result.firstError ??= errorMessage(error);
            }
        }));
    }));
    await Promise.all(tasks);
    return result;
}

;// CONCATENATED MODULE: ./src/review/post-review.ts



const post_review_PERMISSION = 'pull-requests: write';
/**
 * Posts ONE review with every comment at its line. When GitHub refuses the whole review (422,
 * a line not in the diff, e.g. because the branch moved), the pull request is read again and
 * each comment is placed on the new head only where its line's text still is (moved with it
 * when it shifted); the others go into the review body. As a last resort every comment goes
 * into the body. None is lost. `renderBody` learns which commit the review is on.
 */
async function postReview(octokit, ref, commitId, comments, renderBody, currentPull) {
    let postRequests = 0;
    const attempt = async (commit, inline, inBody) => {
        postRequests++;
        const { data } = await octokit.rest.pulls.createReview({
            owner: ref.owner,
            repo: ref.repo,
            pull_number: ref.pullNumber,
            commit_id: commit,
            event: 'COMMENT',
            body: renderBody(inBody, commit),
            comments: inline.map((c) => ({
                path: c.path,
                line: c.line,
                side: c.side,
                body: c.marker ? markComment(c.body, c.marker) : c.body,
            })),
        });
        return { id: data.id, url: data.html_url, inline, inBody, postRequests };
    };
    try {
        return await attempt(commitId, comments, []);
    }
    catch (error) {
        if (!hasStatus(error, 422) || comments.length === 0) {
            throw gitHubFailure(error, 'post the review', post_review_PERMISSION);
        }
    }
    // Usually the branch moved while the model was thinking: place what is still there.
    const current = await currentPull();
    const placed = [];
    const misplaced = [];
    for (const comment of comments) {
        const line = lineOnHead(current.files, comment);
        if (line === undefined)
            misplaced.push(comment);
        else
            placed.push({ ...comment, line });
    }
    if (placed.length > 0) {
        try {
            return await attempt(current.headSha, placed, misplaced);
        }
        catch (error) {
            if (!hasStatus(error, 422))
                throw gitHubFailure(error, 'post the review', post_review_PERMISSION);
        }
    }
    return callGitHub('post the review', post_review_PERMISSION, () => attempt(current.headSha, [], comments));
}
/**
 * The line of the new head's diff that shows the commented text on the same side: the same
 * line number when the text is still there, else the one place it moved to. Undefined when
 * the text is gone or ambiguous: a comment never lands on other code.
 */
function lineOnHead(files, comment) {
    const patch = files.find((f) => f.filename === comment.path)?.patch;
    if (!patch)
        return undefined;
    const lines = parsePatch(patch)
        .flatMap((hunk) => hunk.rows)
        .filter((row) => row.text === comment.lineText)
        .map((row) => comment.side === 'LEFT'
        ? row.kind === 'add'
            ? undefined
            : row.oldLine
        : anchorOf(row).side === 'RIGHT'
            ? row.newLine
            : undefined)
        .filter((line) => line !== undefined);
    if (lines.includes(comment.line))
        return comment.line;
    return lines.length === 1 ? lines[0] : undefined;
}

;// CONCATENATED MODULE: ./src/review/review-body.ts

/** The trainer's models in the order its metrics table shows them (training-runner report.py). */
const MODELS = [
    ['base-few-shot', 'base model + examples'],
    ['always-comment', 'always comment'],
    ['never-comment', 'never comment'],
];
/**
 * One line of the adapter's held-out numbers beside its baselines': the gate's review score
 * with the comment decision's MCC in brackets. A record without a number shows no model for it.
 */
function comparison(adapter) {
    const shown = (m) => m?.score === undefined
        ? undefined
        : `${m.score.toFixed(3)}${m.mcc === undefined ? '' : ` (${m.mcc.toFixed(2)})`}`;
    const adapterNumbers = shown(adapter.metrics);
    if (!adapterNumbers)
        return undefined;
    const models = [
        `adapter ${adapterNumbers}`,
        ...MODELS.flatMap(([key, label]) => {
            const numbers = shown(adapter.baselines?.[key]);
            return numbers ? [`${label} ${numbers}`] : [];
        }),
    ];
    return `Held-out review score (comment decision MCC): ${models.join(' · ')}.`;
}
function percentile(values, p) {
    if (values.length === 0)
        return 0;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
/** The review's body: whose voice, which adapter, what was looked at, and what could not be placed. */
function renderReviewBody(report, inBody, commit) {
    const { engine, adapter } = report;
    const lines = [`**tech-lead-bot**, reviewing in the style of \`${report.reviewer}\`.`, ''];
    if (adapter) {
        const compared = comparison(adapter);
        lines.push(`Adapter \`${adapter.id}\`, trained ${adapter.createdAt.slice(0, 10)} on ${adapter.comments} review comments.${compared ? ` ${compared}` : ''}`);
        if (adapter.acceptance) {
            lines.push(acceptanceLine(adapter.acceptance.counts, adapter.acceptance.checkedAt));
        }
    }
    if (report.fallback)
        lines.push(`⚠️ ${report.fallback}`);
    const { headMoved } = report;
    if (headMoved) {
        const [from, to] = [headMoved.from.slice(0, 7), headMoved.to.slice(0, 7)];
        lines.push(commit === headMoved.from
            ? `⚠️ The branch moved from ${from} to ${to} during the review: these comments are on ${from}.`
            : `⚠️ The branch moved from ${from} to ${to} during the review: the comments on lines are on ${commit.slice(0, 7)}, where their lines still read the same${inBody.length ? `; the ones below are on ${from}` : ''}.`);
    }
    lines.push('', `Hunks: ${engine.hunks} seen, ${report.posted} commented, ${engine.silent} left alone${engine.unreadable ? `, ${engine.unreadable} unreadable answers dropped` : ''}${engine.failed ? `, ${engine.failed} not reviewed (model errors)` : ''}. Files skipped: ${report.skipped.length}. Latency p50 ${percentile(engine.latenciesMs, 50)} ms, p95 ${percentile(engine.latenciesMs, 95)} ms.`);
    if (report.maxComments === 0) {
        lines.push('', `max-comments is 0, so no comment is posted on a line (${report.overLimit} would have been).`);
    }
    else if (report.overLimit > 0) {
        lines.push('', `${report.overLimit} more comments were left out by max-comments (${report.maxComments}).`);
    }
    if (inBody.length > 0) {
        lines.push('', 'Comments GitHub would not place on a line of the current diff:');
        for (const c of inBody)
            lines.push(`- \`${c.path}\` ${c.side === 'LEFT' ? 'old ' : ''}line ${c.line}: ${c.body}`);
    }
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/review/sanitize.ts
const MAX_COMMENT_CHARS = 280;
/**
 * What never reaches GitHub: control characters, U+FFFD, lone surrogates, and the invisible
 * bidirectional controls that make text read differently from what it is.
 */
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cs}\u{FFFD}\u{061C}\u{200E}\u{200F}\u{202A}-\u{202E}\u{2066}-\u{2069}]/gu;
/**
 * Words GitHub links or notifies on by itself, after markdown: `@login`, `@org/team`, e-mail
 * addresses, URLs and cross-repository references. They go into code, where it does neither.
 */
const LINKABLE_WORD = /@|:\/\/|www\.|[\w.-]+\/[\w.-]+#\d/i;
/** Every ASCII punctuation character: CommonMark lets a backslash make any of them literal. */
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;
/**
 * Model output is untrusted: a pull request's text can steer it. What reaches GitHub is one
 * short line of plain text, rendered so that markdown cannot act on it: every ASCII punctuation
 * character is backslash-escaped (no link, image, HTML, heading, list, table, quote or code
 * span can start), and words GitHub would link or notify on are shown as inline code. The
 * reader sees the model's words unchanged. `redact` removes secrets before anything else.
 */
function sanitizeComment(text, redact) {
    let line = text.replace(UNSAFE_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
    line = redact(line);
    // Cut between code points, never inside a surrogate pair.
    const characters = [...line];
    if (characters.length > MAX_COMMENT_CHARS) {
        line = `${characters
            .slice(0, MAX_COMMENT_CHARS - 1)
            .join('')
            .trimEnd()}…`;
    }
    return line
        .split(' ')
        .map((word) => (LINKABLE_WORD.test(word) ? codeSpan(word) : escapeMarkdown(word)))
        .join(' ');
}
function escapeMarkdown(text) {
    return text.replace(ASCII_PUNCTUATION, '\\$&');
}
/** Inline code whose fence is longer than any run of backticks inside, so nothing closes it early. */
function codeSpan(text) {
    const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(longestRun + 1);
    // A space pads content that starts or ends with a backtick; CommonMark strips one each side.
    const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
    return `${fence}${pad}${text}${pad}${fence}`;
}

// EXTERNAL MODULE: ./node_modules/minimatch/dist/esm/index.js + 7 modules
var esm = __webpack_require__(3581);
;// CONCATENATED MODULE: ./src/review/select-files.ts


/** Files a reviewer reads past: dependency locks, generated and vendored code, build output. */
const NOT_REVIEWED = [
    ['**/{package-lock.json,npm-shrinkwrap.json,yarn.lock,pnpm-lock.yaml,bun.lockb}', 'lockfile'],
    [
        '**/{Cargo.lock,Gemfile.lock,composer.lock,poetry.lock,Pipfile.lock,uv.lock,go.sum,flake.lock}',
        'lockfile',
    ],
    ['**/{vendor,third_party,node_modules}/**', 'vendored'],
    ['**/{dist,build,out,target}/**', 'build output'],
    ['**/*.{min.js,min.css,map,pb.go,snap}', 'generated'],
    ['**/*{_generated,.generated,_pb2}.*', 'generated'],
];
/**
 * Splits a pull request's files into those worth a review (with their hunks) and those skipped,
 * each with the reason a person would give.
 */
function selectFiles(files, excludePaths) {
    const reviewable = [];
    const skipped = [];
    for (const file of files) {
        const reason = skipReason(file, excludePaths);
        if (reason) {
            skipped.push({ path: file.filename, reason });
            continue;
        }
        const hunks = parsePatch(file.patch ?? '').filter((hunk) => hunk.rows.some((row) => row.kind !== 'context'));
        if (hunks.length === 0)
            skipped.push({ path: file.filename, reason: 'no changed lines' });
        else
            reviewable.push({ path: file.filename, hunks });
    }
    return { reviewable, skipped };
}
function skipReason(file, excludePaths) {
    if (file.status === 'removed')
        return 'deleted';
    if (!file.patch)
        return file.status === 'renamed' ? 'renamed without changes' : 'binary or too large for a diff';
    const glob = { dot: true, nocase: true };
    if (excludePaths.some((pattern) => (0,esm/* minimatch */.xF)(file.filename, pattern, glob)))
        return 'excluded by exclude-paths';
    return NOT_REVIEWED.find(([pattern]) => (0,esm/* minimatch */.xF)(file.filename, pattern, glob))?.[1];
}

;// CONCATENATED MODULE: ./src/steps/review.ts




















/** GitHub lists at most this many files of a pull request, however many it changes. */
const MAX_LISTED_FILES = 3000;
/**
 * The last job: review every hunk of the pull request through the model server in the
 * reviewer's voice and post ONE review with the comments worth reading.
 */
async function review(settings, octokit, context) {
    const { reviewer, pullNumber, commentId, statusCommentId } = settings.review;
    if (!reviewer || !pullNumber) {
        throw new ActionError("The review step needs the reviewer and pull-number inputs: pass the prepare step's outputs (see the example workflow).");
    }
    const ref = { ...context.repo, issueNumber: pullNumber };
    const runUrl = `${context.serverUrl}/${ref.owner}/${ref.repo}/actions/runs/${context.runId}`;
    const status = statusCommentId
        ? await StatusComment.fromId(octokit, ref, statusCommentId)
        : await StatusComment.find(octokit, ref, reviewer);
    const react = async (reaction) => {
        if (commentId)
            await reactToComment(octokit, ref, commentId, reaction);
    };
    // What prepare and the train job wrote stays; this step adds its own lines under them.
    const found = parseStatus(status.foundBody ?? '');
    const progress = new Progress(status, reviewer, runUrl, react, found);
    try {
        await runReview(settings, octokit, ref, reviewer, runUrl, progress);
        await react('rocket');
    }
    catch (error) {
        await progress.fail(errorMessage(error)).catch((reportError) => {
            core/* warning */.$e(`Could not report the failure on the pull request: ${errorMessage(reportError)}`);
        });
        throw error;
    }
}
async function runReview(settings, octokit, ref, reviewer, runUrl, progress) {
    const serverUrl = settings.review.modelServerUrl;
    if (!serverUrl) {
        throw new ActionError('The model-server-url input is missing: set it to the vLLM server, e.g. https://vllm.example.com/v1.');
    }
    const pullRef = { owner: ref.owner, repo: ref.repo, pullNumber: ref.issueNumber };
    core/* startGroup */.Oh('Read the pull request');
    // Prompts, few-shot examples and posted comments go through the redaction training used.
    const redactor = new Redactor();
    // The adapter lookup (S3) and the pull request (GitHub) do not depend on each other.
    const [{ headSha, files, unlisted }, firstChoice] = await Promise.all([
        readPull(octokit, pullRef),
        chooseModel(settings, octokit, ref, reviewer, runUrl, redactor),
    ]).finally(() => core/* endGroup */.N4());
    let chosenModel = firstChoice;
    const { reviewable, skipped } = selectFiles(files, settings.review.excludePaths);
    await redactor.scan(reviewable.flatMap((f) => f.hunks.flatMap((h) => h.rows.map((r) => r.text))));
    core/* info */.pq(`${reviewable.length} files to review, ${skipped.length} skipped.`);
    for (const file of skipped)
        core/* info */.pq(`  skipped ${file.path}: ${file.reason}`);
    if (unlisted > 0) {
        const note = `This pull request changes ${files.length + unlisted} files, but GitHub lists only the first ${MAX_LISTED_FILES.toLocaleString('en-US')}: the other ${unlisted} are not reviewed.`;
        core/* warning */.$e(note, { title: 'Files not reviewed' });
        await progress.report({ state: 'note', text: note });
    }
    if (reviewable.length === 0) {
        await progress.report({
            state: 'done',
            text: `Nothing to review: all ${files.length} files were skipped (${summarizeSkips(skipped)}).`,
        });
        return;
    }
    // Comments already on the PR are read while the model works.
    const existing = existingComments(octokit, pullRef);
    existing.catch(() => undefined);
    await progress.report({
        state: 'next',
        text: `Reviewing ${reviewable.reduce((n, f) => n + f.hunks.length, 0)} hunks in ${reviewable.length} files with ${chosenModel.adapter ? `adapter \`${chosenModel.adapter.id}\`` : 'the base model'}…`,
    });
    const client = openAIModelClient({
        baseURL: serverUrl,
        apiKey: settings.review.modelApiKey,
        timeoutMs: settings.review.requestTimeoutMs,
        maxRetries: 3,
    });
    const ask = async (choice) => {
        core/* startGroup */.Oh(`Ask ${choice.model}`);
        // An adapter is asked with the one system prompt it was trained on; another tone would be a
        // prompt it never saw. The tone shapes the base-model fallback only.
        const tone = choice.adapter ? 'reviewer' : settings.review.tone;
        if (tone !== settings.review.tone) {
            core/* notice */.lm(`tone: ${settings.review.tone} applies to the base-model fallback only; ${reviewer}'s adapter answers in the voice it learned.`);
        }
        const result = await reviewHunks(reviewable, {
            client,
            model: choice.model,
            reviewer,
            tone,
            maxHunkTokens: settings.maxHunkTokens,
            concurrency: settings.review.concurrency,
            examples: choice.examples,
            redactor,
        }).finally(() => core/* endGroup */.N4());
        core/* info */.pq(`${result.calls} model calls: ${result.candidates.length} comments, ${result.silent} silent, ${result.unreadable} unreadable, ${result.failed} failed (${result.refused} refused the model).`);
        return result;
    };
    let engine = await ask(chosenModel);
    const refusedAll = engine.calls > 0 && engine.refused === engine.calls;
    if (chosenModel.adapter && refusedAll) {
        // The server is up but cannot serve the adapter: say why, and review with the base model
        // rather than not at all.
        const problem = await adapterProblem(settings, ref, reviewer, chosenModel.adapter, engine);
        core/* warning */.$e(problem.replace(/`/g, ''), { title: 'Adapter refused by the model server' });
        await progress.report({ state: 'failed', text: `${problem} This review uses the base model instead.` }, { state: 'next', text: 'Reviewing with the base model…' });
        chosenModel = await baseModelFallback(settings, octokit, ref, reviewer, problem, redactor);
        engine = await ask(chosenModel);
    }
    else if (refusedAll) {
        throw new ActionError(`${engine.firstError ?? 'The model server refused the base model'}. The base-model input must name the model the server serves (its --served-model-name, or the model it was started with).`);
    }
    if (engine.failed === engine.calls) {
        throw new ActionError(`The model server did not answer for any hunk: ${engine.firstError ?? 'unknown error'}`);
    }
    const { adapter, fallback } = chosenModel;
    const minConfidence = confidenceThreshold(settings.review.minConfidence, adapter);
    core/* info */.pq(`Comments need a confidence of at least ${minConfidence.value}: ${minConfidence.source}.`);
    const { chosen, overLimit } = choose(engine.candidates, await existing, minConfidence.value, settings.review.maxComments);
    await redactor.scan(chosen.map((c) => c.body));
    const comments = chosen.map((c) => ({
        path: c.path,
        line: c.anchor.line,
        side: c.anchor.side,
        lineText: c.lineText,
        body: sanitizeComment(c.body, (text) => redactor.redact(text)),
        // How the bot's comments in this voice are found again to collect feedback on them.
        marker: { reviewer, adapterId: adapter?.id ?? BASE_MODEL_ADAPTER },
    }));
    const latestHead = (await readHead(octokit, pullRef)).sha;
    const report = {
        reviewer,
        adapter,
        fallback,
        engine,
        skipped,
        posted: comments.length,
        maxComments: settings.review.maxComments,
        overLimit,
        ...(latestHead !== headSha ? { headMoved: { from: headSha, to: latestHead } } : {}),
    };
    const posted = await postReview(octokit, pullRef, headSha, comments, (inBody, commit) => renderReviewBody({ ...report, posted: comments.length - inBody.length }, inBody, commit), () => readPull(octokit, pullRef));
    core/* setOutput */.uH('review-url', posted.url);
    if (adapter && settings.s3 && posted.inline.length > 0) {
        await rememberReview(new ReviewerStore(new ObjectStore(settings.s3), ref.owner, ref.repo, reviewer), {
            pullNumber: ref.issueNumber,
            adapterId: adapter.id,
            reviewId: posted.id,
            url: posted.url,
            postedAt: new Date().toISOString(),
            comments: posted.inline.length,
        });
    }
    await progress.report({
        state: 'done',
        text: `[Review posted](${posted.url}): ${posted.inline.length} comments on ${engine.hunks} hunks${settings.review.maxComments === 0 ? ' (max-comments is 0)' : ''}${posted.inBody.length ? `, ${posted.inBody.length} in the review body` : ''}${skipped.length ? `; ${skipped.length} files skipped (${summarizeSkips(skipped)})` : ''}.`,
    });
    await core/* summary */.z
        .addHeading(`tech-lead-bot review as ${reviewer}`, 3)
        .addTable([
        [
            { data: 'Adapter', header: true },
            { data: 'Hunks', header: true },
            { data: 'Comments', header: true },
            { data: 'Skipped files', header: true },
            { data: 'Latency p50 / p95', header: true },
        ],
        [
            adapter?.id ?? 'base model',
            String(engine.hunks),
            String(comments.length),
            String(skipped.length),
            `${percentile(engine.latenciesMs, 50)} / ${percentile(engine.latenciesMs, 95)} ms`,
        ],
    ])
        .addLink('The review', posted.url)
        .write();
}
/**
 * Adds the review to the reviewer's manifest, so that feedback collection knows which pull
 * requests to revisit. The review is posted by then: a failure here only warns.
 */
async function rememberReview(store, review) {
    try {
        await store.updateManifest((manifest) => recordReview(manifest, review));
    }
    catch (error) {
        core/* warning */.$e(`Could not record the review in ${store.uri('manifest.json')}: ${errorMessage(error)}. Feedback on its comments will not be collected.`, { title: 'Review not recorded' });
    }
}
async function readHead(octokit, ref) {
    const { data } = await callGitHub('read the pull request', 'pull-requests: read', () => octokit.rest.pulls.get({ owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber }));
    return { sha: data.head.sha, changedFiles: data.changed_files };
}
/** The head commit and the files GitHub lists, and how many files it leaves out. */
async function readPull(octokit, ref) {
    const head = await readHead(octokit, ref);
    const files = await callGitHub('list the pull request files', 'pull-requests: read', () => octokit.paginate(octokit.rest.pulls.listFiles, {
        owner: ref.owner,
        repo: ref.repo,
        pull_number: ref.pullNumber,
        per_page: 100,
    }));
    return {
        headSha: head.sha,
        files,
        unlisted: Math.max(0, head.changedFiles - files.length),
    };
}
async function existingComments(octokit, ref) {
    const comments = await callGitHub('read the review comments', 'pull-requests: read', () => octokit.paginate(octokit.rest.pulls.listReviewComments, {
        owner: ref.owner,
        repo: ref.repo,
        pull_number: ref.pullNumber,
        per_page: 100,
    }));
    return comments.map((c) => ({ path: c.path, line: c.line ?? null, side: c.side, body: c.body }));
}
/** The min-confidence input when given, else the adapter's calibrated threshold, else the default. */
function confidenceThreshold(input, adapter) {
    if (input !== undefined)
        return { value: input, source: 'the min-confidence input' };
    const calibrated = adapter?.metrics?.min_confidence;
    if (calibrated !== undefined) {
        return { value: calibrated, source: `calibrated for adapter \`${adapter?.id}\`` };
    }
    return {
        value: BASE_MODEL_MIN_CONFIDENCE,
        source: 'the default for models without a calibrated one',
    };
}
/**
 * The comments worth posting: sure enough, not already on the PR at that place, the surest
 * first, at most `maxComments` (0: none). `overLimit` counts those the cap left out.
 */
function choose(candidates, existing, minConfidence, maxComments) {
    const taken = new Set(existing.map((c) => `${c.path}\u0000${c.line}\u0000${c.side ?? 'RIGHT'}`));
    const worthPosting = [];
    for (const c of [...candidates].sort((a, b) => b.confidence - a.confidence)) {
        const place = `${c.path}\u0000${c.anchor.line}\u0000${c.anchor.side}`;
        if (c.confidence < minConfidence || taken.has(place))
            continue;
        taken.add(place);
        worthPosting.push(c);
    }
    return {
        chosen: worthPosting.slice(0, maxComments),
        overLimit: Math.max(0, worthPosting.length - maxComments),
    };
}
/** The reviewer's adapter when it exists for the served base model, else the base model with a few of their comments as examples. */
async function chooseModel(settings, octokit, ref, reviewer, runUrl, redactor) {
    const trainingFailed = settings.review.trainingResult === 'failure';
    let reason = 'No S3 location is configured, so no adapter can be found.';
    if (settings.s3) {
        const store = new ReviewerStore(new ObjectStore(settings.s3), ref.owner, ref.repo, reviewer);
        if (trainingFailed)
            await releaseLockOfFailedTraining(store, runUrl);
        const current = (await store.readManifest())?.manifest.current;
        if (current && current.baseModel === settings.baseModel) {
            const note = 'Training a new adapter failed (see the train job), so the previous one reviews.';
            return {
                model: current.name,
                adapter: current,
                ...(trainingFailed ? { fallback: note } : {}),
            };
        }
        if (trainingFailed)
            reason = `Training \`${reviewer}\`'s adapter failed (see the train job).`;
        else if (current) {
            reason = `\`${reviewer}\`'s adapter was trained on ${current.baseModel}, not ${settings.baseModel}.`;
        }
        else {
            reason = `\`${reviewer}\` has no trained adapter yet (training failed or did not pass the quality gate).`;
        }
    }
    return baseModelFallback(settings, octokit, ref, reviewer, reason, redactor);
}
/** The base model, with a few of the reviewer's past comments as examples of their voice. */
async function baseModelFallback(settings, octokit, ref, reviewer, reason, redactor) {
    const history = await collectHistory(octokit, ref, reviewer, { maxComments: FEW_SHOT_HISTORY });
    await redactor.scan(history.comments.flatMap((comment) => [comment.body, comment.diffHunk]));
    const examples = fewShotTurns(history, redactor);
    return {
        model: settings.baseModel,
        fallback: `${reason} This review uses the base model with ${examples.length / 2} of \`${reviewer}\`'s past comments as examples, so it sounds less like them.`,
        examples,
    };
}
/**
 * The train job releases its lock on every path it runs; when its Python environment could not
 * be built or its runner died, it never ran, and this job (same workflow run) releases it.
 */
async function releaseLockOfFailedTraining(store, runUrl) {
    try {
        if (await store.releaseTrainingLock(runUrl))
            core/* info */.pq('Released the training lock of the failed train job.');
    }
    catch (error) {
        core/* warning */.$e(`Could not release the training lock: ${errorMessage(error)}`);
    }
}
/** Why the server refused the adapter, from what it said and from the adapter's own config. */
async function adapterProblem(settings, ref, reviewer, adapter, engine) {
    const facts = [];
    if (settings.s3) {
        const store = new ReviewerStore(new ObjectStore(settings.s3), ref.owner, ref.repo, reviewer);
        const config = await store.readAdapterConfig(adapter.id).catch((error) => {
            core/* warning */.$e(`Could not read the adapter's config: ${errorMessage(error)}`);
            return null;
        });
        if (config === undefined) {
            facts.push(`its files are missing from ${store.uri(`adapters/${adapter.id}/`)}; ask again with --force-reload to train a new one`);
        }
        else if (config) {
            facts.push(config.baseModel === settings.baseModel
                ? `it was trained on ${config.baseModel}, so the server must serve that model`
                : `it was trained on ${config.baseModel ?? 'an unknown base model'}, but this review uses ${settings.baseModel}`);
            if (config.rank !== undefined) {
                facts.push(`its LoRA rank is ${config.rank}, so the server's --max-lora-rank must be ${config.rank} or more`);
            }
        }
    }
    const refusal = engine.firstError ?? `The model server refused \`${adapter.name}\``;
    return `${refusal}. The adapter \`${adapter.id}\`: ${facts.length ? facts.join('; ') : 'nothing in S3 explains it'}. The server's log (lines from tlb_lora_resolver) names the check that failed.`;
}
function summarizeSkips(skipped) {
    const counts = new Map();
    for (const s of skipped)
        counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
    return [...counts].map(([reason, n]) => `${n} ${reason}`).join(', ');
}

;// CONCATENATED MODULE: ./src/main.ts







/** Runs the step the workflow asked for; every failure ends here, in one clear message. */
async function run() {
    try {
        const settings = getSettings();
        const octokit = createOctokit(settings.githubToken);
        switch (settings.step) {
            case 'prepare':
                await prepare(settings, octokit, github/* context */._);
                break;
            case 'review':
                await review(settings, octokit, github/* context */._);
                break;
        }
    }
    catch (error) {
        core/* setFailed */.C1(errorMessage(error));
    }
}


/***/ })

};
