// The composite action (action.yml) run locally: its "Validate, plan, comment" step exactly as the
// runner runs it (bash, the step's env from the inputs, a pull_request event payload), against the
// emulator and a fake GitHub API on 127.0.0.1. Checks the exit codes, that the one sticky comment
// is created once and then updated in place (PATCH, never a second POST, found on a later page),
// what the comment says, and that an invalid document fails the step only after commenting.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { EXAMPLES, IDS, VALID_EXAMPLES, cliWorld } from './cli-fixtures.ts';
import { ACTION_ROOT, readAction, runStep, step } from '../helpers/action-step.ts';
import { fakeGitHub } from '../helpers/fake-github.ts';
import { assertNoKeyMaterial } from '../helpers/secrets.ts';

const world = await cliWorld();
const REPO = 'acme/transfer-servers';
const TOKEN = 'ghs_test-token-for-the-fake-api';
const PR = 7;
const SHA = '0123456789abcdef0123456789abcdef01234567';
const MARKER = '<!-- transfer-reconciler-plan -->';
const gh = await fakeGitHub(REPO, TOKEN);
const action = readAction();
const planStep = step(action, 'plan');

const tmp = mkdtempSync(join(tmpdir(), 'tr-action-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const workspace = join(tmp, 'workspace');
cpSync(VALID_EXAMPLES, join(workspace, 'transfer-servers'), { recursive: true });
const runnerTemp = join(tmp, 'runner-temp');
mkdirSync(runnerTemp);

function eventFile(name: string, payload: unknown): string {
  const file = join(tmp, name);
  writeFileSync(file, JSON.stringify(payload));
  return file;
}
const prEvent = eventFile('pull_request.json', { action: 'synchronize', number: PR, pull_request: { number: PR, head: { sha: SHA } } });

let runs = 0;
async function runAction(inputs: Record<string, string>, event = { name: 'pull_request', path: prEvent }) {
  runs += 1;
  const output = join(tmp, `output-${runs}`);
  const summary = join(tmp, `summary-${runs}`);
  writeFileSync(output, '');
  const r = await runStep(
    action,
    planStep,
    {
      documents: 'transfer-servers/',
      'endpoint-url': world.emu.url,
      region: world.emu.region,
      prefix: '/action/',
      'github-token': TOKEN,
      // The setup step (npm ci + build in the action's folder) is skipped, as it is for any
      // caller that gives `cli`: the test uses the CLI `npm run build` made.
      cli: join(ACTION_ROOT, 'bin', 'transfer-reconciler.mjs'),
      ...inputs,
    },
    {
      GITHUB_EVENT_NAME: event.name,
      GITHUB_EVENT_PATH: event.path,
      GITHUB_REPOSITORY: REPO,
      GITHUB_API_URL: gh.url,
      GITHUB_SERVER_URL: 'https://github.test',
      GITHUB_RUN_ID: '4242',
      GITHUB_SHA: SHA,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: runnerTemp,
    },
    workspace,
  );
  const read = (f: string) => {
    try {
      return readFileSync(f, 'utf8');
    } catch {
      return '';
    }
  };
  assertNoKeyMaterial(`${r.stdout}${r.stderr}${read(summary)}`, world.hostKey);
  return { ...r, output: read(output), summary: read(summary) };
}

const writes = () => gh.requests.filter((r) => r.method === 'POST' || r.method === 'PATCH').map((r) => r.method);
const planComments = () => gh.on(PR).filter((c) => c.body.startsWith(MARKER));

// Others' comments first: 100 of them (a full page) and one that quotes the marker in a reply,
// so the action must page through the list and must not take a quote for its own comment.
for (let i = 0; i < 100; i++) gh.seed(PR, `review comment ${i}`);
gh.seed(PR, `> ${MARKER}\n> the plan said so`);

describe('action.yml', () => {
  test('the setup step runs only without a cli input, and the plan step runs scripts/action/run.sh', () => {
    assert.equal(action.runs.using, 'composite');
    const setup = action.runs.steps[0];
    assert.equal(setup?.if, "inputs.cli == ''");
    assert.match(setup?.run ?? '', /scripts\/action\/setup\.sh/);
    assert.equal(planStep.run, 'bash "$GITHUB_ACTION_PATH/scripts/action/run.sh"');
    assert.equal(action.inputs['comment-marker']?.default, MARKER);
    assert.equal(action.inputs['github-token']?.default, '${{ github.token }}');
    assert.doesNotMatch(readFileSync(join(ACTION_ROOT, 'action.yml'), 'utf8'), /npx /, 'never the registry name');
  });

  test('(a) valid documents with changes: exit 0, one comment created with the plan, outputs set', async () => {
    world.mark();
    const r = await runAction({});
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.deepEqual(writes(), ['POST']);
    const lists = gh.requests.filter((q) => q.method === 'GET').map((q) => q.path);
    assert.deepEqual(lists, [
      `/repos/${REPO}/issues/${PR}/comments?per_page=100&page=1`,
      `/repos/${REPO}/issues/${PR}/comments?per_page=100&page=2`,
    ]);
    assert.ok(gh.requests.every((q) => q.authorization === `Bearer ${TOKEN}`));
    const [c, ...more] = planComments();
    assert.ok(c, 'the comment exists');
    assert.equal(more.length, 0);
    const body = c.body;
    assert.ok(body.startsWith(`${MARKER}\n\n🟡 **Changes pending** (plan exited 2)`), body);
    assert.match(body, /^### transfer-reconciler plan$/m);
    assert.match(body, /^\*\*Plan: 4 to change, 0 in sync, 1 blocked, 0 invalid\.\*\*$/m);
    assert.match(body, /^! ProtocolDetails\.PassiveIp: "AUTO" → "203\.0\.113\.10" \(needs restart\)$/m);
    assert.match(body, new RegExp(`^\\| \`${IDS.dualstack}\` \\| blocked: `, 'm'));
    assert.doesNotMatch(body, /#### Validation/);
    assert.match(
      body,
      /validate exit 0 · plan exit 2 · commit 0123456789ab · \[run\]\(https:\/\/github\.test\/acme\/transfer-servers\/actions\/runs\/4242\)/,
    );
    assert.equal(r.summary, body, 'the job summary holds the same text');
    assert.match(r.output, /^validate-exit-code=0$/m);
    assert.match(r.output, /^plan-exit-code=2$/m);
    assert.match(r.output, /^changes=true$/m);
    assert.match(r.output, new RegExp(`^comment-url=https://github.test/${REPO}/pull/${PR}#issuecomment-${c.id}$`, 'm'));
    assert.match(r.stdout, /plan comment created/);
    // The documents' text reaches the log only between stop-commands markers (no workflow commands).
    assert.match(r.stdout, /^::stop-commands::([0-9a-f-]{36})\n5 valid, 0 invalid\n::\1::$/m);
    assert.ok(!world.calls().some((x) => /^(Put|Delete|Update|Start|Stop|Tag|Untag)/.test(x.operation)), 'a plan writes nothing to AWS');
  });

  test('(b) run again after a change: the same comment is updated in place (PATCH, no second POST)', async () => {
    const [before] = planComments();
    assert.ok(before);
    const id = before.id;
    const total = gh.on(PR).length;
    rmSync(join(workspace, 'transfer-servers', `${IDS.dualstack}.json`));
    const r = await runAction({});
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.deepEqual(writes(), ['POST', 'PATCH']);
    assert.equal(gh.requests.at(-1)?.path, `/repos/${REPO}/issues/comments/${id}`);
    assert.equal(gh.on(PR).length, total, 'no comment added');
    const [c] = planComments();
    assert.equal(c?.id, id);
    assert.match(c?.body ?? '', /^\*\*Plan: 4 to change, 0 in sync, 0 blocked, 0 invalid\.\*\*$/m);
    assert.doesNotMatch(c?.body ?? '', new RegExp(IDS.dualstack));
    assert.match(r.stdout, /plan comment updated/);
    assert.match(gh.on(PR).find((x) => x.body.startsWith('> '))?.body ?? '', /the plan said so/, 'the quoting reply is untouched');
  });

  test('(c) an invalid document: the comment says so, then the step exits 1', async () => {
    mkdirSync(join(workspace, 'broken'));
    cpSync(join(EXAMPLES, 'invalid', `${IDS.invalid}.json`), join(workspace, 'broken', `${IDS.invalid}.json`));
    const r = await runAction({ documents: 'transfer-servers/\n  broken/  \n' });
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.deepEqual(writes(), ['POST', 'PATCH', 'PATCH']);
    const [c, ...more] = planComments();
    assert.equal(more.length, 0);
    const body = c?.body ?? '';
    assert.ok(body.startsWith(`${MARKER}\n\n❌ **Invalid documents** (validate exited 1)`), body);
    assert.match(body, /^#### Validation$/m);
    assert.match(body, /^broken\/s-0000000000000000e\.json: \$\.Protocol: "Protocol" is not a known key; did you mean "Protocols"\?/m);
    assert.match(body, /^\*\*Plan: 4 to change, 0 in sync, 0 blocked, 1 invalid\.\*\*$/m, 'the valid documents are still planned');
    assert.match(body, /validate exit 1 · plan exit 1/);
    assert.match(r.output, /^validate-exit-code=1$/m);
    assert.match(r.output, /^plan-exit-code=1$/m);
    assert.match(r.stdout, /plan comment updated[\s\S]*::error::transfer-reconciler validate exited 1/, 'commented first, failed after');
    rmSync(join(workspace, 'broken'), { recursive: true });
  });

  test('a token that may not comment fails the step, with GitHub’s answer', async () => {
    gh.refuseWrites(403);
    try {
      const r = await runAction({});
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /::error::could not write the plan comment: GitHub API PATCH \/repos\/acme\/transfer-servers\/issues\/comments\/\d+: 403 Resource not accessible by integration/,
      );
    } finally {
      gh.refuseWrites(undefined);
    }
  });

  test('outside a pull request: no GitHub call, the plan goes to the job summary, exit 0', async () => {
    const before = gh.requests.length;
    const r = await runAction({}, { name: 'push', path: eventFile('push.json', { ref: 'refs/heads/main' }) });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.equal(gh.requests.length, before);
    assert.match(r.stdout, /not a pull request \(push\)/);
    assert.match(r.summary, /^\*\*Plan: 4 to change, 0 in sync, 0 blocked, 0 invalid\.\*\*$/m);
    assert.doesNotMatch(r.output, /comment-url/);
  });

  test('no documents: the step fails at once and says which input', async () => {
    const r = await runAction({ documents: '\n' });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /::error::no documents/);
  });
});
