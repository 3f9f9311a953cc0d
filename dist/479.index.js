export const id = 479;
export const ids = [479];
export const modules = {

/***/ 4479:
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
        handle: handle(core/* getInput */.V4('handle') || 'tech-lead-bot'),
        allowedReviewers: allowedReviewers(core/* getMultilineInput */.q3('allowed-reviewers')),
        s3: s3Settings(),
        baseModel: core/* getInput */.V4('base-model') || 'meta-llama/Llama-3.1-8B-Instruct',
        history: {
            maxComments: integer('max-history-comments', 1),
            minComments: integer('min-history-comments', 1),
            negativeRatio: number('negative-ratio', 0, 10),
            staleAfterComments: integer('stale-after-comments', 1),
            retainDatasets: core/* getBooleanInput */.Vt('retain-datasets'),
        },
        review: {
            modelServerUrl: url('model-server-url'),
            modelApiKey,
            maxComments: integer('max-comments', 0),
            minConfidence: number('min-confidence', 0, 1),
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
    const sse = oneOf('s3-sse', ['AES256', 'aws:kms']);
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

;// CONCATENATED MODULE: ./src/github/status-comment.ts

const status_comment_PERMISSION = 'pull-requests: write';
/** The hidden first line that finds a reviewer's status comment again on the next run or step. */
function statusMarker(reviewer) {
    return `<!-- tech-lead-bot:status reviewer=${reviewer.toLowerCase()} -->`;
}
/**
 * The one comment per pull request and reviewer that every step edits, so that progress and
 * errors collect in one place instead of piling up new comments.
 */
class StatusComment {
    octokit;
    ref;
    marker;
    id;
    constructor(octokit, ref, marker, id) {
        this.octokit = octokit;
        this.ref = ref;
        this.marker = marker;
        this.id = id;
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
        return new StatusComment(octokit, ref, marker, existing?.id);
    }
    /** Resumes a status comment whose id an earlier step passed on. */
    static fromId(octokit, ref, reviewer, id) {
        return new StatusComment(octokit, ref, statusMarker(reviewer), id);
    }
    get commentId() {
        return this.id;
    }
    /** Replaces the comment's text (after the marker), creating the comment the first time. */
    async update(text) {
        const body = `${this.marker}\n${text}`;
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

;// CONCATENATED MODULE: ./src/steps/status-text.ts
const ICONS = { done: '✅', next: '⏳', failed: '❌', note: 'ℹ️' };
/** The text of a reviewer's status comment (the hidden marker is added by StatusComment). */
function renderStatus(status) {
    const lines = status.lines.map((line) => `- ${ICONS[line.state]} ${line.text}`);
    return [
        `### tech-lead-bot · reviewing as \`${status.reviewer}\``,
        '',
        ...lines,
        '',
        `<sub>[Workflow run](${status.runUrl})</sub>`,
    ].join('\n');
}

;// CONCATENATED MODULE: ./src/steps/progress.ts

/**
 * What the PR's status comment says, line by line: each step adds lines as it goes and the
 * comment is edited in place, so the person who asked can follow along.
 */
class Progress {
    status;
    reviewer;
    runUrl;
    lines = [];
    constructor(status, reviewer, runUrl) {
        this.status = status;
        this.reviewer = reviewer;
        this.runUrl = runUrl;
    }
    get commentId() {
        return this.status.commentId;
    }
    /** Replaces a trailing "next" line (the plan that just happened) and publishes. */
    async report(...lines) {
        while (this.lines.at(-1)?.state === 'next')
            this.lines.pop();
        this.lines.push(...lines);
        return this.status.update(renderStatus({ reviewer: this.reviewer, runUrl: this.runUrl, lines: this.lines }));
    }
}

;// CONCATENATED MODULE: ./src/steps/prepare.ts









/**
 * The first job: understand the comment, check who asked and whose style they want, and
 * acknowledge. Everything addressed to the bot gets an answer on the pull request; everything
 * else ends quietly with one log line.
 */
async function prepare(settings, octokit, context) {
    core/* setOutput */.uH('triggered', 'false');
    core/* startGroup */.Oh('Read the command');
    const accepted = await gate(settings, octokit, context).finally(() => core/* endGroup */.N4());
    if (accepted === undefined)
        return;
    core/* startGroup */.Oh('Acknowledge');
    let progress;
    try {
        const { event, reviewer } = accepted;
        await reactToComment(octokit, event.ref, event.comment.id, 'eyes');
        const status = await StatusComment.find(octokit, event.ref, reviewer);
        progress = new Progress(status, reviewer, event.runUrl);
        await acknowledge(accepted, progress);
    }
    catch (error) {
        await reportFailure(octokit, accepted, progress, error);
        throw error;
    }
    finally {
        core/* endGroup */.N4();
    }
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
        await reactToComment(octokit, event.ref, event.comment.id, 'confused');
        if (progress)
            await progress.report({ state: 'failed', text: errorMessage(error) });
        else
            await replyTo(octokit, event.ref, accepted.line, errorMessage(error));
    }
    catch (reportError) {
        core/* warning */.$e(`Could not report the failure on the pull request: ${errorMessage(reportError)}`);
    }
}
function ignore(reason) {
    core/* info */.pq(reason);
    return undefined;
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
                throw new Error("The 'review' step is not available in this version of tech-lead-bot yet; only 'prepare' is.");
        }
    }
    catch (error) {
        core/* setFailed */.C1(errorMessage(error));
    }
}


/***/ })

};
