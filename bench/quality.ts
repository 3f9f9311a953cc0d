/**
 * The reviewer benchmark, first half: the built action's prepare step on the synthetic
 * repository (test/emulator/synthetic-repo.ts: real diffs, two reviewers of known habits), one
 * run per reviewer, started as the runner starts it, with S3 on moto. It reports what each
 * dataset holds and what its collection cost.
 *
 * NEXT STEP (not built yet): train each dataset with the trainer (SmolLM2 on the CPU) and print
 * the trainer's metrics.json as `{"metric": "quality", "reviewer", "model", ...}` lines, the
 * adapter beside base-few-shot, always-comment and never-comment (issue 10, item 1).
 */
import { GitHubEmulator } from '../test/emulator/index.js';
import { seedSyntheticRepo } from '../test/emulator/synthetic-repo.js';
import { issueCommentEvent } from '../test/harness/events.js';
import { MOTO_ENV, MotoServer } from '../test/harness/moto.js';
import { runAction } from '../test/harness/run-action.js';
import { ObjectStore } from '../src/store/object-store.js';
import type { Measurement } from './run.js';

const TOKEN = 'ghs_benchquality0000000000000000000000';
const BUCKET = 'adapters';

export async function quality(): Promise<Measurement[]> {
  const moto = await MotoServer.start();
  const gh = await GitHubEmulator.start({ rateLimit: 100_000 });
  try {
    await moto.createBucket(BUCKET);
    Object.assign(process.env, MOTO_ENV);
    gh.addToken(TOKEN, { issues: 'write', 'pull-requests': 'write', contents: 'read' });
    const synthetic = seedSyntheticRepo(gh);
    const objects = new ObjectStore({
      bucket: BUCKET,
      prefix: 'tlb',
      endpoint: moto.endpoint,
      sse: 'AES256',
    });
    const asking = gh.addPullRequest(synthetic.repo, { user: 'dev-01', files: [] }).number;
    const measurements: Measurement[] = [];
    for (const reviewer of synthetic.reviewers.keys()) {
      const body = `@tech-lead-bot ${reviewer}`;
      const comment = gh.addIssueComment(synthetic.repo, asking, { user: 'dev-02', body });
      gh.resetLog();
      const started = performance.now();
      const run = await runAction({
        eventName: 'issue_comment',
        payload: issueCommentEvent({
          repository: synthetic.repo,
          issueNumber: asking,
          isPullRequest: true,
          comment: { id: comment.id, body, user: { login: 'dev-02' } },
        }),
        repository: synthetic.repo,
        apiUrl: gh.url,
        graphqlUrl: gh.graphqlUrl,
        token: TOKEN,
        inputs: { 's3-uri': `s3://${BUCKET}/tlb`, 's3-endpoint': moto.endpoint },
        env: MOTO_ENV,
      });
      const seconds = (performance.now() - started) / 1000;
      const datasetUri = run.outputs['dataset-uri'];
      if (run.exitCode !== 0 || !datasetUri) {
        throw new Error(`prepare for ${reviewer} failed:\n${run.log.slice(-3000)}`);
      }
      const key = `${datasetUri.replace(`s3://${BUCKET}/tlb/`, '')}meta.json`;
      const meta = JSON.parse((await objects.get(key))?.body ?? '{}') as {
        stats: Record<string, number>;
      };
      measurements.push(
        ...Object.entries(meta.stats).map(([name, value]) => ({
          metric: `quality_dataset_${name}`,
          value,
          unit: 'count',
          reviewer,
        })),
        {
          metric: 'quality_prepare_requests',
          value: gh.requests.length,
          unit: 'requests',
          reviewer,
        },
        {
          metric: 'quality_prepare_wall_s',
          value: Math.round(seconds * 100) / 100,
          unit: 's',
          reviewer,
        },
      );
    }
    return measurements;
  } finally {
    await gh.stop();
    await moto.stop();
  }
}
