// The round trip: for any valid server, the exported document — rendered, read back and
// statically validated as `plan --dir` would — plans nothing against that same server, under the
// default policy (no offline changes allowed, no pruning). The servers are the plan tests'
// generated servers plus what export reads beyond DescribeServer (endpoint groups, host keys) and
// the tags it must not copy (hostname, restart marker, aws:).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseDocumentText } from '../../functions/reconciler/desired/parse.ts';
import { validateStatic } from '../../functions/reconciler/desired/validate-static.ts';
import { documentText } from '../../functions/reconciler/export/export-files.ts';
import { exportServer } from '../../functions/reconciler/export/exported.ts';
import { plan, planIsEmpty } from '../../functions/reconciler/plan/plan.ts';
import type { ObservedServer, Tag, WorkflowDetail } from '../../functions/reconciler/types.ts';
import { observedServerArb } from './plan-arbitraries.ts';
import { SERVER_ID, desiredOf } from './plan-fixtures.ts';

const option = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const extraTags = fc.subarray<Tag>([
  { Key: 'transfer:customHostname', Value: 'sftp.example.com' },
  { Key: 'aws:transfer:customHostname', Value: 'old.example.com' },
  { Key: 'transfer:route53HostedZoneId', Value: '/hostedzone/Z0123456789ABCDEFGHIJ' },
  { Key: 'aws:transfer:route53HostedZoneId', Value: '/hostedzone/ZOLD' },
]);

function validWorkflow(w: WorkflowDetail): WorkflowDetail {
  return { ...w, WorkflowId: `w-${w.WorkflowId.slice(2).padStart(17, '0')}` };
}

/** A generated server as export observes it. */
const exportedServerArb: fc.Arbitrary<ObservedServer> = fc
  .record({
    observed: observedServerArb,
    groups: option(fc.subarray(['sg-0a1b2c3d4e5f60021', 'sg-0a1b2c3d4e5f60022', 'sg-0123abcd'])),
    tags: extraTags,
    keys: fc.integer({ min: 0, max: 3 }),
    banner: option(fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\t-\r -~]/g, ''))),
  })
  .map(({ observed, groups, tags, keys, banner }) => ({
    ...observed,
    // The plan generators' workflow IDs are short stand-ins; a document needs the model's form.
    WorkflowDetails: {
      OnUpload: (observed.WorkflowDetails.OnUpload ?? []).map(validWorkflow),
      OnPartialUpload: (observed.WorkflowDetails.OnPartialUpload ?? []).map(validWorkflow),
    },
    ...(observed.EndpointType === 'VPC' && groups !== undefined ? { SecurityGroupIds: groups } : {}),
    ...(banner === undefined ? {} : { PreAuthenticationLoginBanner: banner }),
    Tags: [...observed.Tags, ...tags].sort((a, b) => (a.Key < b.Key ? -1 : 1)),
    HostKeys: Array.from({ length: keys }, (_, i) => ({
      HostKeyId: `hostkey-${i}`,
      Fingerprint: `SHA256:${String(i).repeat(43)}`,
      Type: 'ssh-ed25519',
      Description: `key ${i}`,
      DateImported: i,
    })),
  }));

describe('export round trip', () => {
  test('export, then plan --dir: nothing to change, for any server and either format', () => {
    fc.assert(
      fc.property(exportedServerArb, fc.constantFrom('yaml' as const, 'json' as const), (observed, format) => {
        const exported = exportServer(observed);
        assert.ok(exported.ok, JSON.stringify(exported));
        const parsed = parseDocumentText(documentText(exported, observed, format), format);
        assert.ok(parsed.ok);
        const valid = validateStatic(parsed.value, { source: `${SERVER_ID}.${format}`, expectedServerId: SERVER_ID });
        assert.ok(valid.ok, JSON.stringify(valid));
        const p = plan(desiredOf(valid.document), observed);
        assert.ok(planIsEmpty(p), JSON.stringify({ document: valid.document, changes: p.changes, invalid: p.invalid, blocked: p.blocked }));
        // Failed transitions plan nothing with any document but State OFFLINE (plan/run-state.ts);
        // export never writes State, so such a server stays a person's job.
        if (p.failedState !== undefined) assert.ok(observed.State === 'START_FAILED' || observed.State === 'STOP_FAILED');
      }),
      { numRuns: 400, seed: Number(process.env.FC_SEED ?? 20261126) },
    );
  });

  test('no managed key is lost: every field that differs from its default is in the document', () => {
    fc.assert(
      fc.property(exportedServerArb, (observed) => {
        const exported = exportServer(observed);
        assert.ok(exported.ok);
        assert.deepEqual(exported.leftOut, []);
        const doc = exported.document;
        assert.equal(doc.Protocols === undefined, observed.Protocols.join() === 'SFTP');
        assert.equal(doc.EndpointType === undefined, observed.EndpointType === 'PUBLIC');
        assert.equal(doc.IdentityProviderType === undefined, observed.IdentityProviderType === 'SERVICE_MANAGED');
        assert.equal(doc.Certificate === undefined, observed.Certificate === '');
        assert.equal(doc.IpAddressType === undefined, observed.IpAddressType === 'IPV4');
        assert.equal(doc.State, undefined);
        assert.equal(doc.EndpointType === 'VPC' && doc.EndpointDetails?.VpcEndpointId !== undefined, false);
        const userTags = observed.Tags.filter((t) => !/^(aws:|transfer:|transfer-reconciler:)/.test(t.Key));
        assert.deepEqual(doc.Tags ?? [], userTags);
      }),
      { numRuns: 200 },
    );
  });
});
