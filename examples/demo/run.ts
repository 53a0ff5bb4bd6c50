// `npm start`: the whole product, end to end, on the embedded local emulator — no AWS account,
// no network — with the deployed pipeline (EventBridge rules → router → SQS FIFO queue → worker)
// running inside it. It tells the GitOps story step by step: review (validate, plan), merge (push
// → Parameter Store events → reconciled), a change made "in the console" (its CloudTrail event
// reverts it within seconds), a document that bypassed review, a blocked offline change and how to
// allow it. `npm start -- --keep` leaves it running (the hourly enumerator as the backstop).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { DescribeServerCommand, UntagResourceCommand, UpdateServerCommand } from '@aws-sdk/client-transfer';
import { run as plan } from '../../functions/cli/commands/plan.ts';
import { run as push } from '../../functions/cli/commands/push.ts';
import { run as validate } from '../../functions/cli/commands/validate.ts';
import { outcomeLines } from '../../functions/cli/format/outcome-text.ts';
import { table } from '../../functions/cli/format/summary-table.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { createWorld } from './world.ts';
import type { World } from './world.ts';

// Relative to where the user stands, so the commands shown are the ones they would type.
const EXAMPLES = relative(process.cwd(), fileURLToPath(new URL('..', import.meta.url))) || '.';
const started = Date.now();
const keep = process.argv.includes('--keep');
const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;

const bold = process.stdout.isTTY && !process.env.NO_COLOR ? (s: string) => `\x1b[1m${s}\x1b[0m` : (s: string) => s;
let stepNo = 0;
function step(title: string, why: string): void {
  stepNo++;
  console.log(`\n${bold(`${stepNo}. ${title}`)}\n   ${why}\n`);
}
function say(line = ''): void {
  console.log(line ? `   ${line}` : '');
}
async function cli(args: string[], runCommand: (argv: string[]) => Promise<number>, endpoint: string | undefined): Promise<number> {
  console.log(`   $ transfer-reconciler ${args.join(' ')}`);
  const rest = args.slice(1);
  const code = await runCommand(endpoint ? [...rest, '--endpoint-url', endpoint] : rest);
  console.log(`   (exit ${code})`);
  return code;
}
const WRITE = /^(Update|Start|Stop|Tag|Untag|Put|Delete|Import)/;
function showOutcomes(outcomes: Outcome[]): void {
  for (const o of outcomes) for (const l of outcomeLines(o)) say(l);
}

async function story(world: World): Promise<Map<string, Outcome>> {
  const { emu } = world;
  const url = emu.url;
  const last = new Map<string, Outcome>();
  const take = (): Outcome[] => {
    const fresh = world.outcomes.splice(0);
    for (const o of fresh) last.set(o.serverId, o);
    return fresh;
  };
  const work = mkdtempSync(join(tmpdir(), 'transfer-reconciler-demo-'));
  try {
    step('The world as it is', 'A local AWS emulator with six Transfer Family servers, each a little off what its owners wrote down.');
    say(`emulator: ${url} (Transfer Family + SSM Parameter Store + SQS + EventBridge events)`);
    say(`pipeline, as deployed: EventBridge rules ${world.pipeline.rules.map((r) => r.name).join(', ')}`);
    say(`  → router Lambda → SQS FIFO ${world.pipeline.queueUrl.replace(/^.*\//, '')} (one message group per server)`);
    say(`  → worker Lambda (event source mapping, at most ${world.pipeline.config.workerMaxConcurrency} at once)`);
    await world.allOnline();
    const servers = await Promise.all(
      ['a', 'b', 'c', 'd', 'e', 'f'].map(
        async (x) => (await world.clients.transfer.send(new DescribeServerCommand({ ServerId: `s-0000000000000000${x}` }))).Server,
      ),
    );
    for (const l of table(
      ['SERVER', 'PROTOCOLS', 'ENDPOINT', 'STATE'],
      servers.map((s) => [s?.ServerId ?? '', (s?.Protocols ?? []).join('+'), s?.EndpointType ?? '', s?.State ?? '']),
    ))
      say(l);

    step('Pull request: validate and plan', 'CI checks every document offline, then shows what would change before anything is merged.');
    await cli(['validate', join(EXAMPLES, 'servers'), join(EXAMPLES, 'invalid')], validate, undefined);
    say('→ the invalid document is caught in review, with every problem and where it is.');
    say();
    await cli(['plan', '--dir', join(EXAMPLES, 'servers')], plan, url);

    step(
      'Merge: push the documents to SSM',
      'push writes only what changed; every write is a "Parameter Store Change" event: router → queue → worker.',
    );
    await cli(['push', join(EXAMPLES, 'servers')], push, url);
    await world.settled();
    say();
    say('worker outcomes:');
    showOutcomes(take());

    step(
      'Someone changes a server "in the console"',
      'A banner edited and a tag removed by hand on s-0000000000000000d: no document changed, but CloudTrail saw both calls.',
    );
    const d = 's-0000000000000000d';
    const arn = (await world.clients.transfer.send(new DescribeServerCommand({ ServerId: d }))).Server?.Arn ?? '';
    const since = world.emu.calls.list().at(-1)?.seq ?? 0;
    const before = { ...world.pipeline.counters };
    const editedAt = Date.now();
    await world.clients.transfer.send(
      new UpdateServerCommand({ ServerId: d, PreAuthenticationLoginBanner: 'temporary banner, back soon' }),
    );
    await world.clients.transfer.send(new UntagResourceCommand({ Arn: arn, TagKeys: ['env'] }));
    await world.settled();
    const took = ((Date.now() - editedAt) / 1000).toFixed(1);
    const repaired = take();
    showOutcomes(repaired.filter((o) => o.result !== 'in-sync'));
    say(`(${repaired.length} reconciles for the person's 2 calls: ${repaired.map((o) => o.result).join(', ')})`);
    say(`→ reverted ${took} s after the edit: CloudTrail event → router → queue → worker, no sweep.`);
    say('who wrote to the server (the emulator call log):');
    for (const c of world.emu.calls.list(since).filter((c) => c.target?.includes(d) && c.status === 200 && WRITE.test(c.operation)))
      say(`  ${c.operation.padEnd(14)} ${c.principal ?? '?'}`);
    const c = world.pipeline.counters;
    say(
      `→ ${c.eventsMatched - before.eventsMatched} CloudTrail events routed (the person's); the worker's own ${c.eventsIgnored - before.eventsIgnored} writes were ignored by the rules: no further reconcile.`,
    );

    step('A document that bypassed review', "Someone writes s-0000000000000000e's invalid document straight into SSM.");
    const invalidText = readFileSync(join(EXAMPLES, 'invalid', 's-0000000000000000e.json'), 'utf8');
    await world.clients.ssm.send(
      new PutParameterCommand({ Name: '/transfer-reconciler/servers/s-0000000000000000e', Type: 'String', Value: invalidText }),
    );
    await world.settled();
    showOutcomes(take());
    say('→ nothing was written to the server; the outcome says what to fix.');

    step(
      'Allow the blocked change',
      's-0000000000000000f wants IpAddressType DUALSTACK, which AWS accepts only while the server is OFFLINE.',
    );
    const allowed = join(work, 'servers');
    cpSync(join(EXAMPLES, 'servers'), allowed, { recursive: true });
    const fPath = join(allowed, 's-0000000000000000f.json');
    const f = JSON.parse(readFileSync(fPath, 'utf8')) as Record<string, unknown>;
    f.Reconciler = { AllowOfflineChanges: true };
    f.$schema = undefined;
    writeFileSync(fPath, `${JSON.stringify(f, null, 2)}\n`);
    say('the owners add "Reconciler": {"AllowOfflineChanges": true} to its document and merge:');
    await cli(['push', allowed], push, url);
    await world.settled();
    showOutcomes(take());
    return last;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function finalTable(world: World, last: Map<string, Outcome>): Promise<void> {
  step('Where everything ended', 'The last outcome per server, and what the emulator saw.');
  const rows: string[][] = [];
  for (const id of ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `s-0000000000000000${x}`)) {
    const s = (await world.clients.transfer.send(new DescribeServerCommand({ ServerId: id }))).Server;
    const o = last.get(id);
    rows.push([id, o?.result ?? '-', s?.State ?? '', (s?.Protocols ?? []).join('+'), s?.IpAddressType ?? '']);
  }
  for (const l of table(['SERVER', 'LAST RESULT', 'STATE', 'PROTOCOLS', 'IP'], rows)) say(l);
  const calls = world.emu.calls.list();
  const writes = calls.filter((c) => c.service !== 'sqs' && WRITE.test(c.operation) && c.status === 200).length;
  say();
  say('The enumerator (hourly, as deployed) queues every document again: the backstop for a lost event.');
  say(
    `${calls.filter((c) => c.service !== 'sqs').length} Transfer/SSM/EC2 calls in all (and ${calls.filter((c) => c.service === 'sqs').length} SQS), ${writes} of them writes (including the demo's own "console" edits); ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
}

const world = await createWorld(port);
let exitCode = 0;
try {
  console.log(bold('transfer-reconciler demo') + ' — everything below runs on the local AWS emulator: no AWS account, no network.');
  const last = await story(world);
  await finalTable(world, last);
} catch (err) {
  console.error(`demo failed: ${err instanceof Error ? err.stack : String(err)}`);
  exitCode = 1;
}
if (keep && exitCode === 0) {
  console.log(`\nThe emulator keeps running at ${world.emu.url} (Ctrl-C to stop). Try:`);
  console.log(`  export TRANSFER_RECONCILER_ENDPOINT_URL=${world.emu.url}`);
  console.log('  npx transfer-reconciler plan --all');
  console.log('  npx transfer-reconciler reconcile --all');
  const stop = (): void => {
    void world.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} else {
  await world.close();
  process.exit(exitCode);
}
