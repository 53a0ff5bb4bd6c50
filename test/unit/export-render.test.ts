// The text of an exported document: YAML (1.2, core schema — what the CLI's parser reads) or
// JSON, each read back as the same document, ending with a newline, the host-key placeholder as
// YAML comments (fingerprints only), stable from one export to the next.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseDocumentText } from '../../functions/reconciler/desired/parse.ts';
import { documentText } from '../../functions/reconciler/export/export-files.ts';
import { exportServer } from '../../functions/reconciler/export/exported.ts';
import { hostKeyNoteComment, hostKeyNoteLine } from '../../functions/reconciler/export/host-key-note.ts';
import { renderJson, renderYaml } from '../../functions/reconciler/export/render.ts';
import type { ObservedServer } from '../../functions/reconciler/types.ts';
import { SERVER_ID, VPC_SERVER, observedOf } from './plan-fixtures.ts';
import { keyMaterialLines, markedHostKey } from '../helpers/secrets.ts';

/** The banner alphabet of the model: tab to CR and printable ASCII. */
const BANNER_CHARS = [...'\t\n\u000b\u000c\r', ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))];
const banner = fc.array(fc.constantFrom(...BANNER_CHARS), { maxLength: 80 }).map((cs) => cs.join(''));

function exported(observed: ObservedServer) {
  const e = exportServer(observed);
  assert.ok(e.ok, JSON.stringify(e));
  return e;
}

describe('export text', () => {
  test('YAML and JSON read back as the document, whatever the banners and tag values hold', () => {
    fc.assert(
      fc.property(banner, banner, banner, (pre, post, value) => {
        const observed = observedOf({
          PreAuthenticationLoginBanner: pre,
          PostAuthenticationLoginBanner: post,
          Protocols: ['SFTP', 'FTP'],
          Tags: [{ Key: 'note', Value: value.replace(/[^\x20-\x7e]/g, '') }],
        });
        const e = exported(observed);
        for (const format of ['yaml', 'json'] as const) {
          const text = documentText(e, observed, format);
          assert.ok(text.endsWith('\n'));
          const back = parseDocumentText(text, format);
          assert.ok(back.ok, JSON.stringify(back));
          assert.deepEqual(back.value, e.document);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('YAML: comment header, flow lists, block banners; the same server gives the same bytes', () => {
    const observed = observedOf({ ...VPC_SERVER, PreAuthenticationLoginBanner: 'Line one\nLine two', Protocols: ['SFTP', 'AS2'] });
    const e = exported(observed);
    const text = documentText(e, observed, 'yaml');
    assert.equal(text, documentText(exported(observed), observed, 'yaml'));
    assert.match(text, /^# yaml-language-server: \$schema=https:\/\/transfer-reconciler\.dev\/schema\/desired-state\.json\n/);
    assert.match(text, /^# State is left out/m);
    assert.match(text, /^ {2}SubnetIds: \[subnet-a, subnet-b\]$/m);
    assert.match(text, /^Protocols: \[AS2, SFTP\]$/m);
    assert.match(text, /^PreAuthenticationLoginBanner: \|-\n {2}Line one\n {2}Line two$/m);
    assert.equal(renderYaml({ ServerId: SERVER_ID }), `ServerId: ${SERVER_ID}\n`);
    assert.equal(renderJson({ ServerId: SERVER_ID }), `{\n  "ServerId": "${SERVER_ID}"\n}\n`);
  });

  test('the host-key placeholder names fingerprints and the parameter to create, never a key', () => {
    const key = markedHostKey('rsa');
    const one = observedOf({ HostKeyFingerprint: 'SHA256:aaaAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
    const text = documentText(exported(one), one, 'yaml');
    assert.match(text, /^# The server holds: SHA256:aaaAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\.$/m);
    assert.match(text, new RegExp(`^# {5}SecureStringParameter: /transfer-reconciler/host-keys/${SERVER_ID}$`, 'm'));
    assert.ok(!/^HostKey/m.test(text), 'HostKey itself is not written: it would reference a key that does not exist');
    const several: ObservedServer = {
      ...observedOf(),
      HostKeys: [
        {
          HostKeyId: 'hostkey-1',
          Fingerprint: 'SHA256:aaaAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
          Type: 'ssh-rsa',
          Description: 'old',
          DateImported: 1,
        },
        // A description someone pasted a key line into is not repeated.
        {
          HostKeyId: 'hostkey-2',
          Fingerprint: 'SHA256:bbbAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
          Type: 'ssh-ed25519',
          Description: keyMaterialLines(key)[0] ?? '',
          DateImported: 2,
        },
      ],
    };
    const comment = hostKeyNoteComment(several).join('\n');
    assert.match(comment, /HostKeys:/);
    assert.match(comment, /ssh-rsa SHA256:aaa\S+ "old"/);
    assert.match(comment, /withheld/);
    const line = hostKeyNoteLine(several);
    assert.match(line, /^HostKey left out .*ssh-ed25519 SHA256:bbb/);
    for (const l of keyMaterialLines(key)) assert.ok(!comment.includes(l) && !line.includes(l));
    assert.match(hostKeyNoteLine(observedOf()), /reports no host key/);
  });
});
