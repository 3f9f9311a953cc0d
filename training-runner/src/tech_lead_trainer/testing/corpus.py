"""Text the tiny tokenizer is trained on.

It looks like what the trainer sees: review prompts, unified-diff hunks of
TypeScript and Python, and short review comments, so that the tiny BPE
vocabulary holds the kind of tokens a real dataset is made of.
"""

CORPUS = r'''You are a senior engineer reviewing a pull request. Read the hunk and answer
with one short review comment that names the line, or with NO COMMENT when the
hunk needs none.

File: src/a.ts
@@ -10,7 +10,9 @@ export async function fetchUser(id: string): Promise<User> {
   const response = await fetch(`${baseUrl}/users/${id}`);
-  return response.json();
+  if (!response.ok) {
+    throw new Error(`GET /users/${id} failed with ${response.status}`);
+  }
+  return (await response.json()) as User;
 }

line 42: This swallows the error; log it or rethrow so the caller knows.
line 12: Prefer `const` here, the value is never reassigned.
line 7: Please add a test for the empty list case.
line 30: Nit: the name `data` says nothing. What about `pendingReviews`?
line 18: This runs once per item; move the query out of the loop.
NO COMMENT

File: src/store/s3-client.ts
@@ -1,12 +1,15 @@
 import { S3Client, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
+import type { Readable } from 'node:stream';

 export interface StoreSettings {
   bucket: string;
   prefix: string;
   region?: string;
   endpoint?: string;
 }

 export function createClient(settings: StoreSettings): S3Client {
-  return new S3Client({ region: settings.region });
+  return new S3Client({
+    region: settings.region ?? 'us-east-1',
+    endpoint: settings.endpoint,
+    forcePathStyle: settings.endpoint !== undefined,
+  });
 }

line 14: Why force path style only with a custom endpoint? A comment would help.
line 3: Unused import.
line 9: `region` should not be optional if we default it below.

File: training/metrics.py
@@ -20,6 +20,14 @@ def precision_recall_f1(predicted: list[bool], expected: list[bool]) -> Scores:
     true_positive = sum(1 for p, e in zip(predicted, expected) if p and e)
     false_positive = sum(1 for p, e in zip(predicted, expected) if p and not e)
     false_negative = sum(1 for p, e in zip(predicted, expected) if e and not p)
+    if true_positive == 0:
+        return Scores(precision=0.0, recall=0.0, f1=0.0)
+    precision = true_positive / (true_positive + false_positive)
+    recall = true_positive / (true_positive + false_negative)
+    f1 = 2 * precision * recall / (precision + recall)
+    return Scores(precision=precision, recall=recall, f1=f1)

line 23: Division by zero is handled, but the early return hides which count was zero.
line 26: Use `statistics.harmonic_mean` instead of writing the formula by hand.
NO COMMENT

File: src/review/post-review.ts
@@ -40,9 +40,11 @@ export async function postReview(
   octokit: Octokit,
   pull: PullRef,
   comments: ReviewComment[],
 ): Promise<void> {
-  for (const comment of comments) {
-    await octokit.rest.pulls.createReviewComment({ ...pull, ...comment });
-  }
+  await octokit.rest.pulls.createReview({
+    ...pull,
+    event: 'COMMENT',
+    comments: comments.map(({ path, line, side, body }) => ({ path, line, side, body })),
+  });
 }

line 43: Good call, one review instead of many comments avoids the rate limit.
line 47: What happens when `comments` is empty? GitHub rejects an empty review.

def tokenize(text: str, vocabulary: dict[str, int]) -> list[int]:
    """Split text into words and map each word to its id."""
    ids = []
    for word in text.split():
        if word not in vocabulary:
            vocabulary[word] = len(vocabulary)
        ids.append(vocabulary[word])
    return ids


class RetryPolicy:
    def __init__(self, attempts: int = 3, backoff_seconds: float = 0.5) -> None:
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds

    def delays(self) -> list[float]:
        return [self.backoff_seconds * 2**i for i in range(self.attempts)]


export function parseCommand(body: string): Command | undefined {
  const match = /^@tech-lead-bot\s+([A-Za-z0-9-]+)\s*$/m.exec(body);
  if (match === null) {
    return undefined;
  }
  return { reviewer: match[1].toLowerCase() };
}

line 2: The regex allows a trailing dash, which GitHub logins cannot have.
line 5: Return a discriminated union so callers see why parsing failed.
line 88: Off by one: the loop never visits the last element.
line 61: This mutates the argument; copy it first.
line 19: Magic number. Name it, e.g. MAX_HUNKS_PER_REQUEST = 20.
line 77: Missing `await`, the promise is dropped and errors are lost.
line 54: Please keep the public API stable; deprecate first, remove later.
line 102: A Map would make this lookup O(1) instead of scanning the array.
line 9: Typo in the log message: "recieved".
line 33: Catch `unknown`, not `any`, and narrow it with a helper.
line 15: This secret ends up in the debug log. Mask it with core.setSecret.
NO COMMENT

const hunks = files.flatMap((file) => file.chunks.map((chunk) => ({ path: file.to, chunk })));
const results = await Promise.all(hunks.map((hunk) => reviewHunk(client, hunk)));
for (let index = 0; index < results.length; index += 1) {
  if (results[index] !== null) {
    comments.push(results[index]);
  }
}

SELECT reviewer, COUNT(*) AS comments FROM review_comments WHERE created_at > $1 GROUP BY reviewer;
{"messages": [{"role": "system", "content": "review"}, {"role": "user", "content": "hunk"}], "meta": {"pr": 12}}
0 1 2 3 4 5 6 7 8 9 10 11 12 42 100 404 500 1024 2048 4096 8192 0x1f 3.14 1e-5
The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs.
'''
