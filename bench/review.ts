import { GitHubEmulator, type FileSeed } from '../test/emulator/index.js';
import { FakeModelServer, firstAddedLabel } from '../test/harness/fake-model-server.js';
import { MOTO_ENV, MotoServer } from '../test/harness/moto.js';
import { runReviewStep } from '../test/harness/run-action.js';
import { parsePatch } from '../src/diff/hunks.js';
import { buildPrompt, parseAnswer } from '../src/prompt/prompt.js';
import { openAIModelClient } from '../src/review/model-client.js';
import { ObjectStore } from '../src/store/object-store.js';
import type { Measurement } from './run.js';

const REPO = 'acme/widgets';
const TOKEN = 'ghs_bench00000000000000000000000000000';
const HUNKS = 200;
const LATENCY_MS = 250;
const IN_FLIGHT = 16;

/**
 * A 200-hunk pull request reviewed by the built action against a stand-in model server that
 * answers every request after 250 ms, next to the one-request-at-a-time, one-post-per-hunk way.
 */
export async function review(): Promise<Measurement[]> {
  const files: FileSeed[] = Array.from({ length: HUNKS / 2 }, (_, i) => ({
    filename: `src/module${i}.ts`,
    status: 'modified',
    patch: `@@ -1,3 +1,4 @@\n import { x } from "./x";\n-const a = 1;\n+const a = ${i};\n+const b = a * 2;\n export { a };\n@@ -40,2 +41,3 @@ function tail() {\n   done();\n+  audit(${i});\n }`,
  }));
  const moto = await MotoServer.start();
  const gh = await GitHubEmulator.start({ rateLimit: 100_000 });
  const model = await FakeModelServer.start(
    (request) => `${firstAddedLabel(request) ?? 'line 1'}: Consider a constant here.`,
    {
      delayMs: LATENCY_MS,
    },
  );
  try {
    await moto.createBucket('adapters');
    Object.assign(process.env, MOTO_ENV);
    await new ObjectStore({
      bucket: 'adapters',
      prefix: 'tlb',
      endpoint: moto.endpoint,
      sse: 'AES256',
    }).put(
      'acme/widgets/alice/manifest.json',
      JSON.stringify({
        schemaVersion: 1,
        owner: 'acme',
        repo: 'widgets',
        reviewer: 'alice',
        previous: [],
        updatedAt: '',
        current: {
          id: 'a'.repeat(16),
          name: 'tlb/acme/widgets/alice/aaaaaaaaaaaaaaaa',
          baseModel: 'meta-llama/Llama-3.1-8B-Instruct',
          datasetDigest: 'd',
          createdAt: '2026-01-01T00:00:00Z',
          comments: 100,
        },
      }),
    );
    gh.addRepo(REPO);
    gh.addToken(TOKEN, { issues: 'write', 'pull-requests': 'write', contents: 'read' });
    const pr = gh.addPullRequest(REPO, { user: 'carol', files }).number;

    gh.resetLog();
    const started = Date.now();
    const run = await runReviewStep(gh, {
      repository: REPO,
      token: TOKEN,
      inputs: {
        reviewer: 'alice',
        'pull-number': String(pr),
        's3-uri': 's3://adapters/tlb',
        's3-endpoint': moto.endpoint,
        'model-server-url': model.url,
        concurrency: String(IN_FLIGHT),
      },
      env: MOTO_ENV,
      timeoutMs: 300_000,
    });
    if (run.exitCode !== 0) throw new Error(`review failed:\n${run.log}`);
    const posts = gh.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith(`/pulls/${pr}/reviews`),
    );
    // Until the review is on the pull request; the status comment and 🚀 follow, paced by the
    // throttling plugin's one-second spacing of writes (reported as review_step_wall_s).
    const postedAfter = (Math.max(...posts.map((r) => r.at)) - started) / 1000;

    const seedSeconds = await naiveReview(gh, model.url, pr, files);
    return [
      {
        metric: 'review_wall_s',
        value: round(postedAfter),
        unit: 's',
        limit_value: Math.ceil(HUNKS / IN_FLIGHT) * (LATENCY_MS / 1000),
        seed_value: round(seedSeconds),
      },
      { metric: 'review_step_wall_s', value: round(run.durationMs / 1000), unit: 's' },
      { metric: 'review_post_requests', value: posts.length, unit: 'requests', seed_value: HUNKS },
      {
        metric: 'review_model_max_in_flight',
        value: model.maxInFlight,
        unit: 'requests',
        limit_value: IN_FLIGHT,
      },
    ];
  } finally {
    await model.stop();
    await gh.stop();
    await moto.stop();
  }
}

/** One model request at a time, one review per comment: what the action must beat. */
async function naiveReview(
  gh: GitHubEmulator,
  modelUrl: string,
  pr: number,
  files: FileSeed[],
): Promise<number> {
  const client = openAIModelClient({ baseURL: modelUrl, timeoutMs: 30_000, maxRetries: 0 });
  const started = Date.now();
  for (const file of files) {
    for (const hunk of parsePatch(file.patch ?? '')) {
      const answer = await client.complete(
        'base',
        buildPrompt({ reviewer: 'alice', tone: 'reviewer', path: file.filename, hunk }),
      );
      const parsed = parseAnswer(answer.text, hunk);
      if (parsed.kind !== 'comment') continue;
      await fetch(`${gh.url}/repos/${REPO}/pulls/${pr}/reviews`, {
        method: 'POST',
        headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          event: 'COMMENT',
          comments: [
            {
              path: file.filename,
              line: parsed.anchor.line,
              side: parsed.anchor.side,
              body: parsed.body,
            },
          ],
        }),
      });
    }
  }
  return (Date.now() - started) / 1000;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
