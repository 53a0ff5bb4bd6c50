// End-to-end fuzzing: random and near-valid documents are put into SSM as a server's document and
// reconciled by the real engine over real SDK clients. reconcileServer never throws; an `invalid`
// outcome never comes with a write (the emulator's call log is the witness); a near-valid
// mutation the contract calls invalid is always `invalid`; and a document that happens to stay
// valid may end in any result but a crash in disguise (a `failed` with a JavaScript error's name).
// FUZZ_RUNS sets the runs per property (default 150; the soak uses 10,000):
//   FUZZ_RUNS=10000 npm run test:only -- test/integration/fuzz-no-writes.test.ts
// The validation-only fuzzing, cheaper per run, is in test/unit/desired-validate-fuzz.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { DOCUMENT_KEYS } from '../../functions/reconciler/desired/keys.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { applyInvalidMutation, applyTextMutation, fuzzRuns, invalidMutation, textMutation } from '../helpers/document-mutations.ts';
import { PREFIX, assertOutcomeShape, engineForTests } from '../helpers/engine.ts';
import { fixtureDocuments } from '../unit/desired-helpers.ts';

const RUNS = fuzzRuns(150);
const engine = await engineForTests({ transitionDelayMs: 5 });
const serverId = await engine.createServer();
const name = `${PREFIX}${serverId}`;

/** Codes a `failed` outcome carries when the engine itself broke rather than AWS answering. */
const CRASH_CODES = new Set(['Error', 'TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'UnknownError', 'InternalError']);

/** Valid documents to mutate: the fixtures, bound to this server (no ServerId, no HostKey reference), and one that fits it. */
const BASES: Record<string, unknown>[] = [
  {
    Protocols: ['SFTP'],
    PreAuthenticationLoginBanner: 'Authorised use only.',
    LoggingRole: 'arn:aws:iam::000000000000:role/logging',
    StructuredLogDestinations: ['arn:aws:logs:us-east-1:000000000000:log-group:transfer:*'],
    ProtocolDetails: { PassiveIp: 'AUTO' },
    S3StorageOptions: { DirectoryListingOptimization: 'ENABLED' },
    Tags: [{ Key: 'team', Value: 'files' }],
  },
  ...fixtureDocuments('valid').map((f) => {
    const { ServerId: _id, HostKey: _key, ...rest } = f.value as Record<string, unknown>;
    return rest;
  }),
];

/**
 * Stores the text as the server's document. SSM refuses some values (over 8 KB); those reach the
 * engine as a preloaded document instead, as a sweep hands over what GetParametersByPath returned.
 */
async function store(text: string): Promise<{ name: string; text: string; version: number } | undefined> {
  try {
    await engine.ssm.send(
      new PutParameterCommand({ Name: name, Value: text, Type: 'String', Tier: 'Intelligent-Tiering', Overwrite: true }),
    );
    return undefined;
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 400) throw err;
    return { name, text, version: 1 };
  }
}

async function reconcileText(text: string): Promise<Outcome> {
  const document = await store(text);
  engine.mark();
  let outcome: Outcome;
  try {
    outcome = await engine.reconcile(serverId, document ? { document } : {});
  } catch (err) {
    assert.fail(`reconcileServer threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
  assertOutcomeShape(outcome);
  if (outcome.result === 'failed') assert.ok(!CRASH_CODES.has(outcome.error?.code ?? ''), `engine crash: ${JSON.stringify(outcome.error)}`);
  if (outcome.result === 'invalid') {
    assert.deepEqual(engine.writes(), [], 'an invalid document produced a write');
    assert.ok((outcome.issues ?? []).length > 0);
  }
  return outcome;
}

describe('fuzz: documents in SSM, reconciled end to end', () => {
  test(`random JSON values (${RUNS} runs): never a throw, never a write when invalid`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        await reconcileText(JSON.stringify(value));
      }),
      { numRuns: RUNS },
    );
  });

  test(`objects of document keys with random values (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...DOCUMENT_KEYS), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }), async (value) => {
        await reconcileText(JSON.stringify(value));
      }),
      { numRuns: RUNS },
    );
  });

  test(`near-valid mutations (${RUNS} runs): always invalid, zero writes`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(invalidMutation, { minLength: 1, maxLength: 3 }), async (which, mutations) => {
        const base = BASES[which % BASES.length] as Record<string, unknown>;
        const doc = mutations.reduce<unknown>(
          (d, m) => (typeof d === 'object' && d !== null && !Array.isArray(d) ? applyInvalidMutation(d as Record<string, unknown>, m) : d),
          base,
        );
        const outcome = await reconcileText(JSON.stringify(doc));
        assert.equal(outcome.result, 'invalid', `${JSON.stringify(mutations).slice(0, 300)} → ${JSON.stringify(outcome).slice(0, 500)}`);
      }),
      { numRuns: RUNS },
    );
  });

  test(`damaged JSON text of valid documents (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(textMutation, { minLength: 1, maxLength: 3 }), async (which, mutations) => {
        const text = JSON.stringify(BASES[which % BASES.length], null, 1);
        await reconcileText(mutations.reduce((t, m) => applyTextMutation(t, m), text));
      }),
      { numRuns: RUNS },
    );
  });
});
