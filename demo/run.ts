/**
 * `make demo`: the action run the way the Actions runner runs it, against the GitHub emulator,
 * with what happened printed for a person. It grows with each stage of the workflow; today it
 * shows the `prepare` step answering a comment on a pull request.
 */
import { GitHubEmulator } from '../test/emulator/index.js';
import { issueCommentEvent } from '../test/harness/events.js';
import { runAction } from '../test/harness/run-action.js';

const REPO = 'acme/widgets';
const TOKEN = 'ghs_demo0000000000000000000000000000000';

const gh = await GitHubEmulator.start();
try {
  gh.addRepo(REPO);
  for (const login of ['alice', 'bob', 'carol']) gh.addUser(login);
  gh.setPermission(REPO, 'alice', 'admin');
  gh.setPermission(REPO, 'bob', 'write');
  gh.addToken(TOKEN, { issues: 'write', 'pull-requests': 'write', contents: 'read' });
  const pr = gh.addPullRequest(REPO, {
    title: 'Cache widget lookups',
    user: 'carol',
    files: [
      {
        filename: 'src/widgets.ts',
        status: 'modified',
        patch:
          '@@ -10,4 +10,6 @@ export function find(id: string) {\n   const all = load();\n-  return all.find((w) => w.id === id);\n+  const hit = cache.get(id);\n+  if (hit) return hit;\n+  return all.find((w) => w.id === id);\n }',
      },
    ],
  });

  const body = 'Thanks! Before I merge:\n@tech-lead-bot alice';
  const comment = gh.addIssueComment(REPO, pr.number, { user: 'bob', body });
  section(`bob comments on ${REPO}#${pr.number} "${pr.title}"`);
  console.log(indent(body));

  const run = await runAction({
    eventName: 'issue_comment',
    payload: issueCommentEvent({
      repository: REPO,
      issueNumber: pr.number,
      isPullRequest: true,
      comment: { id: comment.id, body, user: { login: 'bob' } },
    }),
    repository: REPO,
    apiUrl: gh.url,
    graphqlUrl: gh.graphqlUrl,
    token: TOKEN,
    inputs: { step: 'prepare' },
  });

  section(`prepare step: exit code ${run.exitCode}, ${run.durationMs} ms`);
  console.log(indent(run.log.trim()));
  section('reactions on the comment');
  console.log(
    indent(
      gh
        .reactions(REPO, comment.id)
        .map((r) => r.content)
        .join(' ') || '(none)',
    ),
  );
  section('the status comment on the pull request');
  for (const c of gh.issueComments(REPO, pr.number).filter((c) => c.user.type === 'Bot')) {
    console.log(indent(c.body ?? ''));
  }
  section('outputs for the next jobs');
  for (const [name, value] of Object.entries(run.outputs)) console.log(`  ${name} = ${value}`);
  section('GitHub API requests');
  for (const r of gh.requests) console.log(`  ${r.status} ${r.method} ${r.path}`);
  if (run.exitCode !== 0) process.exitCode = 1;
} finally {
  await gh.stop();
}

function section(title: string): void {
  console.log(`\n== ${title}`);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
