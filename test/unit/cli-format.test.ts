// The CLI's text forms: plan lines and summary, the Markdown for pull requests, reconcile's
// table, push lines, colour rules and the progress bar.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { colourEnabled, paint } from '../../functions/cli/format/colour.ts';
import { codeSpan, escapeMarkdown, fencedBlock } from '../../functions/cli/format/markdown.ts';
import { outcomeVerboseLines } from '../../functions/cli/format/outcome-text.ts';
import { planMarkdown } from '../../functions/cli/format/plan-markdown.ts';
import { planStatus, planSummaryLine } from '../../functions/cli/format/plan-summary.ts';
import { planChangeLine, planServerLines } from '../../functions/cli/format/plan-text.ts';
import { pushLine, pushSummaryLine } from '../../functions/cli/format/push-text.ts';
import { summaryTable } from '../../functions/cli/format/summary-table.ts';
import { ProgressBar } from '../../functions/cli/progress.ts';

const plain = paint(false);

function outcome(overrides: Partial<Outcome>): Outcome {
  return {
    serverId: 's-0000000000000000a',
    parameter: { name: '/transfer-reconciler/servers/s-0000000000000000a', version: 2 },
    trigger: 'cli',
    mode: 'detect',
    result: 'in-sync',
    changes: [],
    calls: { DescribeServer: 1 },
    durationMs: 12,
    warnings: [],
    ...overrides,
  };
}

const drift = outcome({
  result: 'drift-detected',
  changes: [
    { path: 'ProtocolDetails.PassiveIp', from: 'AUTO', to: '203.0.113.10', requires: 'restart' },
    { path: 'Tags.team', from: undefined, to: 'payments' },
    { path: 'Tags.old', from: 'x', to: undefined },
  ],
});
const blocked = outcome({
  serverId: 's-0000000000000000f',
  result: 'drift-detected',
  changes: [{ path: 'IpAddressType', from: 'IPV4', to: 'DUALSTACK', requires: 'offline' }],
  issues: [{ path: '$.IpAddressType', message: 'needs <AllowOfflineChanges>' }],
});
const invalid = outcome({
  serverId: 's-0000000000000000e',
  result: 'invalid',
  issues: [{ path: '$.Protocol', message: 'unknown key' }],
  error: { code: 'InvalidDesiredState', message: 'x', retryable: false },
});
const failed = outcome({
  serverId: 's-0000000000000000b',
  result: 'not-found',
  error: { code: 'ServerNotFound', message: 'no such server', retryable: false },
});

describe('plan text', () => {
  test('change lines: ~ changed with its note, + added, - removed', () => {
    assert.deepEqual(drift.changes.map(planChangeLine), [
      '~ ProtocolDetails.PassiveIp: "AUTO" → "203.0.113.10" (needs restart)',
      '+ Tags.team: "payments"',
      '- Tags.old: "x"',
    ]);
    assert.equal(
      planChangeLine({ path: 'EndpointType', from: 'PUBLIC', to: 'VPC', requires: 'offline' }),
      '~ EndpointType: "PUBLIC" → "VPC" (needs OFFLINE)',
    );
  });

  test('drift with issues counts as blocked, and the summary counts every kind', () => {
    assert.equal(planStatus(drift), 'change');
    assert.equal(planStatus(blocked), 'blocked');
    assert.equal(planSummaryLine([drift, blocked, invalid, outcome({})]), 'Plan: 1 to change, 1 in sync, 1 blocked, 1 invalid.');
    assert.equal(planSummaryLine([failed], 1), 'Plan: 0 to change, 0 in sync, 0 blocked, 0 invalid, 2 errors.');
  });

  test('a server block: header, changes, blocked reasons; no colour codes when colour is off', () => {
    const lines = planServerLines(blocked, plain);
    assert.match(
      lines[0] ?? '',
      /^s-0000000000000000f {2}blocked: 1 change, nothing will be written {2}\(\/transfer-reconciler\/servers\/s-0000000000000000a v2\)$/,
    );
    assert.equal(lines[1], '    ~ IpAddressType: "IPV4" → "DUALSTACK" (needs OFFLINE)');
    assert.equal(lines[2], '    ! blocked: $.IpAddressType: needs <AllowOfflineChanges>');
    assert.ok(!lines.join('\n').includes('\u001b['));
    assert.deepEqual(planServerLines(invalid, plain).slice(1), ['    ! invalid: $.Protocol: unknown key']);
    assert.deepEqual(planServerLines(failed, plain).slice(1), ['    ! not-found: ServerNotFound: no such server']);
  });

  test('with colour on, lines carry ANSI codes', () => {
    assert.ok(planServerLines(drift, paint(true)).join('\n').includes('\u001b[33m'));
  });
});

describe('colour', () => {
  test('only on a TTY and only when NO_COLOR is unset or empty', () => {
    assert.equal(colourEnabled({ isTTY: true }, {}), true);
    assert.equal(colourEnabled({ isTTY: false }, {}), false);
    assert.equal(colourEnabled({}, {}), false);
    assert.equal(colourEnabled({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(colourEnabled({ isTTY: true }, { NO_COLOR: '' }), true);
  });
});

describe('plan markdown', () => {
  const md = planMarkdown(
    [drift, blocked, invalid, outcome({ serverId: 's-0000000000000000c' })],
    [{ name: '/transfer-reconciler/servers/bad', message: 'not a <ServerId>' }],
  );

  test('has a heading, the summary, a table row per server and a diff block per server with changes', () => {
    assert.match(md, /^### transfer-reconciler plan\n\n\*\*Plan: 1 to change, 1 in sync, 1 blocked, 1 invalid, 1 error\.\*\*\n/);
    assert.match(md, /\| Server \| Plan \| Changes \| Document \|\n\| --- \| --- \| --- \| --- \|\n/);
    assert.match(md, /\| `s-0000000000000000c` \| in sync \| 0 \|/);
    assert.ok(
      md.includes(
        '```diff\n! ProtocolDetails.PassiveIp: "AUTO" → "203.0.113.10" (needs restart)\n+ Tags.team: "payments"\n- Tags.old: "x"\n```',
      ),
    );
    assert.equal((md.match(/```diff/g) ?? []).length, 2, 'in-sync and invalid servers have no diff block');
    assert.ok(!md.includes('#### `s-0000000000000000c`'), 'no section for an in-sync server');
  });

  test('blocked and invalid reasons are listed with their paths; HTML-like text is escaped', () => {
    assert.ok(md.includes('- **Blocked** `$.IpAddressType`: needs &lt;AllowOfflineChanges&gt;'));
    assert.ok(md.includes('- **Invalid** `$.Protocol`: unknown key'));
    assert.ok(md.includes('- `/transfer-reconciler/servers/bad`: not a &lt;ServerId&gt;'));
    assert.ok(!md.includes('\u001b['));
  });

  test('a value holding backticks cannot break out of its fence or code span', () => {
    const banner = outcome({ result: 'drift-detected', changes: [{ path: 'PreAuthenticationLoginBanner', from: '', to: '```\n# hi' }] });
    const text = planMarkdown([banner]);
    assert.ok(text.includes('```diff\n! PreAuthenticationLoginBanner: "" → "```\\n# hi"\n```'), text);
    assert.equal(fencedBlock('diff', ['a ``` b']), '````diff\na ``` b\n````');
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`x'), '`` `x ``');
    assert.equal(escapeMarkdown('a|b *c* <d>\nline'), 'a\\|b \\*c\\* &lt;d&gt; line');
  });
});

describe('reconcile output', () => {
  test('the summary table has a row per server with result, changes, calls and ms', () => {
    const rows = summaryTable([
      outcome({ result: 'updated', changes: drift.changes, calls: { DescribeServer: 2, UpdateServer: 1 }, durationMs: 450 }),
      failed,
    ]);
    assert.deepEqual(rows, [
      'SERVER               RESULT     CHANGES  CALLS   MS',
      's-0000000000000000a  updated          3      3  450',
      's-0000000000000000b  not-found        0      1   12',
    ]);
  });

  test('verbose lines add mode, trigger, each call and retries', () => {
    const lines = outcomeVerboseLines(
      outcome({
        result: 'updated',
        mode: 'enforce',
        done: ['UpdateServer(LoggingRole)'],
        calls: { UpdateServer: 1, DescribeServer: 2 },
        retries: 1,
      }),
    );
    assert.ok(lines.includes('    done: UpdateServer(LoggingRole)'));
    assert.ok(lines.includes('    mode: enforce, trigger: cli'));
    assert.ok(lines.includes('    calls: DescribeServer×2, UpdateServer×1; retries: 1'));
  });
});

describe('push output', () => {
  const create = {
    kind: 'create' as const,
    serverId: 's-0000000000000000a',
    name: '/p/s-0000000000000000a',
    file: 'examples/a.json',
    text: '{}',
    tier: 'Standard' as const,
  };
  const del = { kind: 'delete' as const, serverId: 's-0000000000000000b', name: '/p/s-0000000000000000b' };

  test('lines say what was done (or would be), with version, tier and the file', () => {
    assert.equal(
      pushLine({ action: create, version: 1, tier: 'Standard' }, false, plain),
      '+ created      /p/s-0000000000000000a  (v1, Standard, from examples/a.json)',
    );
    assert.equal(pushLine({ action: create }, true, plain), '+ would create /p/s-0000000000000000a  (Standard, from examples/a.json)');
    assert.equal(pushLine({ action: del }, false, plain), '- deleted      /p/s-0000000000000000b  (its file is gone)');
    assert.equal(
      pushLine({ action: create, error: { code: 'AccessDeniedException', message: 'no' } }, false, plain),
      '! failed     /p/s-0000000000000000a: AccessDeniedException: no',
    );
  });

  test('the summary counts each kind; deletions only when pruning', () => {
    assert.equal(
      pushSummaryLine([{ action: create }, { action: del }], false, true),
      'Push: 1 created, 0 updated, 0 unchanged, 1 deleted.',
    );
    assert.equal(
      pushSummaryLine([{ action: create }], true, false),
      'Push (dry run): 1 to create, 0 to update, 0 unchanged. Nothing was written.',
    );
  });
});

describe('progress bar', () => {
  function fakeStream(isTTY: boolean): { isTTY: boolean; out: string; write(t: string): boolean } {
    return {
      isTTY,
      out: '',
      write(t: string) {
        this.out += t;
        return true;
      },
    };
  }

  test('draws with a carriage return, clears itself around other output and at the end', () => {
    const s = fakeStream(true);
    const bar = new ProgressBar(s);
    bar.start(4);
    bar.tick();
    bar.print(() => {
      s.out += 'RESULT\n';
    });
    bar.end();
    assert.equal(ProgressBar.render(1, 4, 8), '[##------] 1/4');
    assert.ok(s.out.startsWith('\r[------------------------------] 0/4\r[########----------------------] 1/4'));
    assert.ok(s.out.includes('\r\u001b[2KRESULT\n\r[########'));
    assert.ok(s.out.endsWith('\r\u001b[2K'));
  });

  test('writes nothing when the stream is not a terminal', () => {
    const s = fakeStream(false);
    const bar = new ProgressBar(s);
    bar.start(2);
    bar.tick();
    bar.print(() => {});
    bar.end();
    assert.equal(s.out, '');
  });
});
