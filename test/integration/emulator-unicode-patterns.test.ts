// The emulator matches the models' patterns and SSM AllowedPattern as Java (and so AWS) does,
// Unicode classes included; through the real SDK clients over HTTP. Regression: without the
// `u` flag every SSM tag and any AllowedPattern with \p{L} was refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { CreateServerCommand, ListTagsForResourceCommand, TagResourceCommand } from '@aws-sdk/client-transfer';
import type { TransferClient } from '@aws-sdk/client-transfer';
import { emulatorForTests, ssmClient, transferClient } from '../helpers/emulator.ts';

const emu = await emulatorForTests({ transitionDelayMs: 0 });
const ssm: SSMClient = ssmClient(emu, { maxAttempts: 1 });
const transfer: TransferClient = transferClient(emu, { maxAttempts: 1 });

async function rejectsNamed(promise: Promise<unknown>, name: string): Promise<void> {
  await assert.rejects(promise, (err: Error) => {
    assert.equal(err.name, name, err.message);
    return true;
  });
}

describe('SSM: Unicode patterns', () => {
  test('PutParameter with ordinary tags, in any script, is accepted', async () => {
    const tags = [
      { Key: 'Owner', Value: 'platform-team' },
      { Key: 'cost-center', Value: '4711' },
      { Key: 'Équipe', Value: 'Données clients' },
    ];
    const put = await ssm.send(new PutParameterCommand({ Name: '/unicode/tagged', Value: 'v', Type: 'String', Tags: tags }));
    assert.equal(put.Version, 1);
  });

  test('a tag key outside the model pattern is still a ValidationException', async () => {
    await rejectsNamed(
      ssm.send(new PutParameterCommand({ Name: '/unicode/bad-tag', Value: 'v', Type: 'String', Tags: [{ Key: 'a#b', Value: 'x' }] })),
      'ValidationException',
    );
  });

  test('an AllowedPattern with \\p{L} matches letters of any script and nothing else', async () => {
    const allowed = { Type: 'String' as const, AllowedPattern: '^\\p{L}+$' };
    await ssm.send(new PutParameterCommand({ Name: '/unicode/letters', Value: 'Grüße', ...allowed }));
    const got = await ssm.send(new GetParameterCommand({ Name: '/unicode/letters' }));
    assert.equal(got.Parameter?.Value, 'Grüße');
    await rejectsNamed(
      ssm.send(new PutParameterCommand({ Name: '/unicode/letters', Value: 'abc1', Overwrite: true })),
      'ParameterPatternMismatchException',
    );
  });

  test('an AllowedPattern in Java syntax the u flag would refuse (\\: and [\\w-/]) is matched as Java does', async () => {
    await ssm.send(
      new PutParameterCommand({ Name: '/unicode/java', Value: 'a-b/c:d', Type: 'String', AllowedPattern: '^[\\w-/]+\\:\\w$' }),
    );
    await rejectsNamed(
      ssm.send(new PutParameterCommand({ Name: '/unicode/java', Value: 'a b:d', Overwrite: true })),
      'ParameterPatternMismatchException',
    );
  });

  test('an AllowedPattern that is not a regular expression is InvalidAllowedPatternException', async () => {
    await rejectsNamed(
      ssm.send(new PutParameterCommand({ Name: '/unicode/broken', Value: 'x', Type: 'String', AllowedPattern: '[a' })),
      'InvalidAllowedPatternException',
    );
  });
});

describe('Transfer: tags with non-ASCII letters', () => {
  test('the model sets no pattern on Transfer tag keys and values: CreateServer and TagResource accept them', async () => {
    const { ServerId } = await transfer.send(new CreateServerCommand({ Tags: [{ Key: 'équipe', Value: 'Données clients' }] }));
    const arn = `arn:aws:transfer:${emu.region}:${emu.accountId}:server/${ServerId}`;
    await transfer.send(new TagResourceCommand({ Arn: arn, Tags: [{ Key: 'チーム', Value: '東京' }] }));
    const listed = await transfer.send(new ListTagsForResourceCommand({ Arn: arn }));
    assert.deepEqual(listed.Tags, [
      { Key: 'équipe', Value: 'Données clients' },
      { Key: 'チーム', Value: '東京' },
    ]);
  });
});
