// The composite action (action.yml) on a pull request that touches the whole organisation
// (cli-org-fixtures.ts: the hub and two spoke accounts in two regions): one sticky comment with
// one plan across every account — the org summary, a section per account-region — while every
// call about a server is made in its own account and nothing is written to AWS.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { A, B, HUB, WRITE_OPERATIONS, misplacedCalls, orgWorld } from './cli-org-fixtures.ts';
import { ACTION_ROOT, readAction, runStep, step } from '../helpers/action-step.ts';
import { fakeGitHub } from '../helpers/fake-github.ts';

const world = await orgWorld();
const REPO = 'acme/transfer-servers';
const TOKEN = 'ghs_test-token-for-the-fake-api';
const PR = 11;
const MARKER = '<!-- transfer-reconciler-plan -->';
const gh = await fakeGitHub(REPO, TOKEN);
const action = readAction();
const tmp = world.tmp();
const workspace = join(tmp, 'workspace');
cpSync(world.dir, join(workspace, 'transfer-servers'), { recursive: true });
mkdirSync(join(tmp, 'runner-temp'));
const event = join(tmp, 'pull_request.json');
writeFileSync(event, JSON.stringify({ action: 'opened', number: PR, pull_request: { number: PR, head: { sha: 'f'.repeat(40) } } }));

describe('action.yml across accounts', () => {
  test('one comment for the pull request: the plan of every account and region, nothing written', async () => {
    const output = join(tmp, 'output');
    const summary = join(tmp, 'summary');
    writeFileSync(output, '');
    world.mark();
    const inputs = {
      documents: 'transfer-servers/',
      'endpoint-url': world.emu.url,
      region: 'us-east-1',
      prefix: '/action/',
      'github-token': TOKEN,
      cli: join(ACTION_ROOT, 'bin', 'transfer-reconciler.mjs'),
    };
    const github = {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_REPOSITORY: REPO,
      GITHUB_API_URL: gh.url,
      GITHUB_SERVER_URL: 'https://github.test',
      GITHUB_RUN_ID: '77',
      GITHUB_SHA: 'f'.repeat(40),
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: join(tmp, 'runner-temp'),
    };
    const r = await runStep(action, step(action, 'plan'), inputs, github, workspace);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const comments = gh.on(PR).filter((c) => c.body.startsWith(MARKER));
    assert.equal(comments.length, 1);
    const body = comments[0]?.body ?? '';
    assert.ok(body.startsWith(`${MARKER}\n\n🟡 **Changes pending** (plan exited 2)`), body);
    assert.equal(body.match(/^### transfer-reconciler plan$/gm)?.length, 1);
    assert.match(body, /^\*\*Plan: 5 to change, 0 in sync, 0 blocked, 0 invalid\.\*\*$/m);
    assert.match(body, /^5 account-regions, 5 servers\.$/m);
    assert.deepEqual(
      body.split('\n').filter((l) => l.startsWith('#### ')),
      [
        `#### this account (${HUB}/us-east-1)`,
        `#### ${A}/eu-west-1 (payments)`,
        `#### ${A}/us-east-1 (payments)`,
        `#### ${B}/eu-west-1 (analytics)`,
        `#### ${B}/us-east-1 (analytics)`,
      ],
    );
    assert.equal(readFileSync(summary, 'utf8'), body);
    assert.match(readFileSync(output, 'utf8'), /^plan-exit-code=2$/m);
    assert.deepEqual(misplacedCalls(world.calls(), world.places), []);
    assert.deepEqual(
      world.calls().filter((c) => WRITE_OPERATIONS.has(c.operation)),
      [],
    );
  });
});
