// The CLI's output across accounts (format/places.ts): groups by account-region with the hub first
// and labelled, the accounts file's names, the grouped table and Markdown, the status table; and
// output with no other account's outcome stays exactly as it was.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { paint } from '../../functions/cli/format/colour.ts';
import { groupedPlanLines } from '../../functions/cli/format/grouped-text.ts';
import { groupByPlace, placeLabel, serverKey } from '../../functions/cli/format/places.ts';
import type { PlaceInfo } from '../../functions/cli/format/places.ts';
import { planMarkdown } from '../../functions/cli/format/plan-markdown.ts';
import { statusCounts, statusRows, statusSummaryLine, statusTable } from '../../functions/cli/format/status-table.ts';
import { summaryTable } from '../../functions/cli/format/summary-table.ts';

const places: PlaceInfo = { hub: { accountId: '000000000000', region: 'us-east-1' }, names: new Map([['111111111111', 'payments']]) };

function outcome(serverId: string, result: Outcome['result'], at?: [string, string], extra: Partial<Outcome> = {}): Outcome {
  return {
    serverId,
    ...(at ? { accountId: at[0], region: at[1] } : {}),
    parameter: { name: `/p/${serverId}` },
    trigger: 'cli',
    mode: 'detect',
    result,
    changes: result === 'drift-detected' ? [{ path: 'Tags.team', from: undefined, to: 'x' }] : [],
    calls: { DescribeServer: 1 },
    durationMs: 5,
    warnings: [],
    ...extra,
  };
}

const spokeB = outcome('s-0000000000000000b', 'drift-detected', ['222222222222', 'eu-west-1']);
const spokeA = outcome('s-0000000000000000c', 'failed', ['111111111111', 'us-east-1'], {
  error: { code: 'AccountRoleUnavailable', message: 'cannot assume', retryable: false },
});
const hub = outcome('s-0000000000000000a', 'in-sync');
const blocked = outcome('s-0000000000000000d', 'drift-detected', ['111111111111', 'us-east-1'], {
  issues: [{ path: '$.State', message: 'needs OFFLINE' }],
});
const org = [spokeB, spokeA, hub, blocked];

describe('places', () => {
  test('groups: the hub first, then account-regions in key order; labels with the known account and names', () => {
    const groups = groupByPlace(org, places);
    assert.deepEqual(
      groups.map((g) => [g.key, g.label, g.outcomes.map((o) => o.serverId)]),
      [
        ['hub', 'this account (000000000000/us-east-1)', ['s-0000000000000000a']],
        ['111111111111/us-east-1', '111111111111/us-east-1 (payments)', ['s-0000000000000000c', 's-0000000000000000d']],
        ['222222222222/eu-west-1', '222222222222/eu-west-1', ['s-0000000000000000b']],
      ],
    );
    assert.equal(placeLabel({}, { names: new Map() }), 'hub');
    assert.equal(placeLabel({}, { hub: { region: 'eu-west-1' }, names: new Map() }), 'this account (eu-west-1)');
    assert.equal(serverKey(spokeB), '222222222222/eu-west-1/s-0000000000000000b');
    assert.equal(serverKey(hub), 's-0000000000000000a');
  });

  test('plan text: a header per account-region with its own counts', () => {
    const lines = groupedPlanLines(org, places, paint(false)).filter((l) => l.startsWith('== '));
    assert.deepEqual(lines, [
      '== this account (000000000000/us-east-1): 0 to change, 1 in sync, 0 blocked, 0 invalid',
      '== 111111111111/us-east-1 (payments): 0 to change, 0 in sync, 1 blocked, 0 invalid, 1 error',
      '== 222222222222/eu-west-1: 1 to change, 0 in sync, 0 blocked, 0 invalid',
    ]);
  });

  test('the summary table: grouped under ACCOUNT/REGION across accounts, unchanged for the hub alone', () => {
    assert.deepEqual(summaryTable([hub, spokeB], places), [
      'ACCOUNT/REGION          SERVER               RESULT          CHANGES  CALLS  MS',
      'hub                     s-0000000000000000a  in-sync               0      1   5',
      '222222222222/eu-west-1  s-0000000000000000b  drift-detected        1      1   5',
    ]);
    assert.deepEqual(summaryTable([hub], places), [
      'SERVER               RESULT   CHANGES  CALLS  MS',
      's-0000000000000000a  in-sync        0      1   5',
    ]);
  });

  test('Markdown: the org summary, a row and a section per account-region; the hub alone as before', () => {
    const md = planMarkdown(org, [], places);
    assert.match(md, /^\*\*Plan: 1 to change, 1 in sync, 1 blocked, 0 invalid, 1 error\.\*\*$/m);
    assert.match(md, /^\| 111111111111\/us-east-1 \(payments\) \| 2 \| 0 \| 0 \| 1 \| 0 \| 1 \|$/m);
    assert.deepEqual(
      md.split('\n').filter((l) => l.startsWith('#### ')),
      ['#### this account (000000000000/us-east-1)', '#### 111111111111/us-east-1 (payments)', '#### 222222222222/eu-west-1'],
    );
    assert.match(md, /^- \*\*Error\*\* `AccountRoleUnavailable`: cannot assume$/m);
    assert.equal(planMarkdown([hub], [], places), planMarkdown([hub]));
    assert.doesNotMatch(planMarkdown([hub], [], places), /account-regions/);
  });

  test('status: one row per account-region by result, TOTAL, and the summary line', () => {
    const rows = statusRows(org, places);
    const totals = statusCounts(org);
    assert.deepEqual(statusTable(rows, totals), [
      'ACCOUNT/REGION                         NAME      SERVERS  IN-SYNC  DRIFT  BLOCKED  INVALID  FAILED',
      'this account (000000000000/us-east-1)                  1        1      0        0        0       0',
      '111111111111/us-east-1                 payments        2        0      0        1        0       1',
      '222222222222/eu-west-1                                 1        0      1        0        0       0',
      'TOTAL                                                  4        1      1        1        0       1',
    ]);
    assert.equal(
      statusSummaryLine(rows, totals),
      'Status: 4 servers in 3 account-regions: 1 in sync, 1 drift, 1 blocked, 0 invalid, 1 failed.',
    );
  });
});
