// Finding the accounts file in a checkout (accounts-file.ts) and what it allows (local-documents):
// the nearest one up to the git root, never outside the path given without git, one per run; a
// document addressed to an account or region it does not list is invalid, naming both files.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { findAccountsFile } from '../../functions/reconciler/desired/accounts-file.ts';
import { loadLocalDocuments } from '../../functions/cli/local-documents.ts';
import { accountFiltersFrom, matchesAccount } from '../../functions/cli/selection.ts';

const ACCOUNTS = `accounts:
  - id: "111111111111"
    role: arn:aws:iam::111111111111:role/spoke
    externalId: ext-111
    regions: [eu-west-1]
`;
const ID = 's-0000000000000003a';
const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function tree(files: Record<string, string>, git = true): string {
  const root = mkdtempSync(join(tmpdir(), 'accounts-file-'));
  roots.push(root);
  if (git) mkdirSync(join(root, '.git'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('the accounts file of a run', () => {
  test('the nearest above a document, up to the git root; --accounts and a given file win', () => {
    const root = tree({ 'accounts.yaml': ACCOUNTS, 'org/a/accounts.json': '{}', 'org/a/x.yaml': '', 'other/y.yaml': '' });
    assert.deepEqual(findAccountsFile([join(root, 'other')], [join(root, 'other', 'y.yaml')]), { path: join(root, 'accounts.yaml') });
    assert.deepEqual(findAccountsFile([join(root, 'org')], [join(root, 'org', 'a', 'x.yaml')]), {
      path: join(root, 'org', 'a', 'accounts.json'),
    });
    assert.deepEqual(findAccountsFile([join(root, 'org')], [], '/given.yaml'), { path: '/given.yaml' });
    assert.deepEqual(findAccountsFile([join(root, 'accounts.yaml'), join(root, 'other')], []), { path: join(root, 'accounts.yaml') });
  });

  test('two that apply, or two in one folder, are an error; outside git nothing above the path is read', () => {
    const root = tree({ 'accounts.yaml': ACCOUNTS, 'org/a/accounts.json': '{}', 'org/a/x.yaml': '', 'other/y.yaml': '' });
    const both = findAccountsFile([root], [join(root, 'org', 'a', 'x.yaml'), join(root, 'other', 'y.yaml')]);
    assert.match(both.problem ?? '', /more than one accounts file applies .*accounts\.json.*give --accounts FILE/);
    const twice = tree({ 'accounts.yaml': ACCOUNTS, 'accounts.yml': ACCOUNTS });
    assert.match(findAccountsFile([twice], []).problem ?? '', /two accounts files in one folder; keep one/);
    const bare = tree({ 'accounts.yaml': ACCOUNTS, 'docs/z.yaml': '' }, false);
    assert.deepEqual(findAccountsFile([join(bare, 'docs')], [join(bare, 'docs', 'z.yaml')]), {});
  });

  test('documents of unlisted accounts or regions, or with no accounts file, are invalid and name both files', async () => {
    const doc = 'Protocols: [SFTP]\n';
    const root = tree({
      'accounts.yaml': ACCOUNTS,
      [`docs/111111111111/eu-west-1/${ID}.yaml`]: doc,
      [`docs/111111111111/us-east-1/${ID}.yaml`]: doc,
      [`docs/222222222222/eu-west-1/${ID}.yaml`]: doc,
      [`docs/${ID}.yaml`]: doc,
    });
    const files = await loadLocalDocuments([join(root, 'docs')]);
    assert.deepEqual(
      files.valid.map((f) => f.address),
      [{ accountId: '111111111111', region: 'eu-west-1', serverId: ID }, { serverId: ID }],
    );
    const lines = files.invalid.map((f) => `${f.path}: ${f.issues.map((i) => i.message).join('; ')}`);
    const accounts = join(root, 'accounts.yaml');
    assert.ok(
      lines.some((l) => l.includes(`222222222222/eu-west-1/${ID}.yaml: account 222222222222 is not listed in ${accounts}`)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) =>
        l.includes(`us-east-1/${ID}.yaml: region us-east-1 is not listed for account 111111111111 in ${accounts} (its regions: eu-west-1)`),
      ),
    );
    const none = tree({ [`docs/111111111111/eu-west-1/${ID}.yaml`]: doc });
    const alone = await loadLocalDocuments([join(none, 'docs')]);
    assert.match(
      alone.invalid[0]?.issues[0]?.message ?? '',
      /is for account 111111111111 region eu-west-1 and needs an accounts file listing 111111111111/,
    );
    assert.equal(alone.valid.length, 0);
  });

  test('an invalid accounts file is one more invalid file, and the documents are not judged against it', async () => {
    const root = tree({ 'accounts.yaml': 'accounts:\n  - id: 111111111111\n', [`111111111111/eu-west-1/${ID}.yaml`]: '{}\n' });
    const files = await loadLocalDocuments([root]);
    assert.equal(files.invalid.length, 1);
    assert.equal(files.invalid[0]?.path, join(root, 'accounts.yaml'));
    assert.ok(files.invalid[0]?.issues.some((i) => i.path === '$.accounts[0].id' && /quote it/.test(i.message)));
  });
});

describe('--account filter', () => {
  test('hub, an account, an account in a region; anything else is a usage error', () => {
    const hub = { serverId: ID };
    const a = { accountId: '111111111111', region: 'eu-west-1', serverId: ID };
    const b = { accountId: '111111111111', region: 'us-east-1', serverId: ID };
    const match = (values: string[]) => [hub, a, b].map((x) => matchesAccount(accountFiltersFrom({ account: values }), x));
    assert.deepEqual(match(['hub']), [true, false, false]);
    assert.deepEqual(match(['111111111111']), [false, true, true]);
    assert.deepEqual(match(['111111111111/us-east-1']), [false, false, true]);
    assert.deepEqual(match(['hub', '111111111111/eu-west-1']), [true, true, false]);
    assert.equal(accountFiltersFrom({}), undefined);
    for (const bad of ['11111111111', '111111111111/eu-wst-1', 'eu-west-1', '111111111111/eu-west-1/x', 'HUB'])
      assert.throws(() => accountFiltersFrom({ account: [bad] }), /must be "hub", a 12-digit account id, or <AccountId>\/<Region>/, bad);
  });
});
