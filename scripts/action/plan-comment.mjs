// node plan-comment.mjs <work-dir> <validate-exit> <plan-exit> — the comment step of run.sh.
// Builds the comment from the files run.sh left in <work-dir> (validate.txt, plan.md, plan.err),
// writes it to the job summary, and on a pull request creates or updates the one sticky comment.
// Exit 0 when that is done (or there is no pull request to comment on), 1 when it could not be.
// Node 20 runs it as is: no dependencies and no TypeScript, since it runs before anything is built.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commentBody } from './comment-body.mjs';
import { upsertComment } from './github-comments.mjs';

const [work, validateArg, planArg] = process.argv.slice(2);
if (!work || validateArg === undefined || planArg === undefined) {
  console.error('usage: node plan-comment.mjs <work-dir> <validate-exit> <plan-exit>');
  process.exit(1);
}
const env = process.env;
const read = (name) => {
  try {
    return readFileSync(join(work, name), 'utf8');
  } catch {
    return '';
  }
};
const marker = (env.TR_COMMENT_MARKER ?? '').trim();
if (marker === '' || marker.includes('\n')) {
  console.error('::error::comment-marker must be one non-empty line, e.g. <!-- transfer-reconciler-plan -->');
  process.exit(1);
}

const event = readEvent(env.GITHUB_EVENT_PATH);
const pr = event.pull_request;
const issue = pr?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
const runUrl =
  env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
    ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
    : undefined;
const body = commentBody({
  marker,
  validateCode: Number(validateArg),
  validateOutput: read('validate.txt'),
  planCode: Number(planArg),
  planMarkdown: read('plan.md'),
  planStderr: read('plan.err'),
  sha: pr?.head?.sha ?? env.GITHUB_SHA,
  runUrl,
});
if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, body);

if (issue === undefined) {
  console.log(`not a pull request (${env.GITHUB_EVENT_NAME ?? 'no event'}): the plan is in the job summary, no comment written`);
  process.exit(0);
}
if (!env.GITHUB_TOKEN) {
  console.error('::error::no github-token: the action needs one with pull-requests: write to comment');
  process.exit(1);
}
if (!env.GITHUB_REPOSITORY) {
  console.error('::error::GITHUB_REPOSITORY is not set');
  process.exit(1);
}
try {
  const c = await upsertComment({
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    token: env.GITHUB_TOKEN,
    repository: env.GITHUB_REPOSITORY,
    issue,
    marker,
    body,
  });
  console.log(`plan comment ${c.action}: ${c.html_url}`);
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `comment-id=${c.id}\ncomment-url=${c.html_url}\n`);
} catch (err) {
  console.error(`::error::could not write the plan comment: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

function readEvent(path) {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    console.error(`::warning::could not read the event payload ${path}: ${err instanceof Error ? err.message : String(err)}`);
    return {};
  }
}
