import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateStatic } from '../../functions/reconciler/desired/validate-static.ts';
import { SERVER_ID, assertValid, fixtureDocuments, issueAt, issuesOf } from './desired-helpers.ts';

const NULL_RULE = /null is not allowed; remove the key to leave it unmanaged/;

describe('validateStatic: shape of the document', () => {
  test('every valid fixture passes and comes back unchanged', () => {
    for (const { name, value } of fixtureDocuments('valid')) {
      const result = validateStatic(value, { source: name, expectedServerId: SERVER_ID });
      assert.ok(result.ok, `${name}: ${JSON.stringify(result.ok ? [] : result.issues)}`);
      assert.deepEqual(result.document, value);
    }
  });

  test('the root must be an object', () => {
    for (const root of [null, [], 'text', 42, true]) {
      const issues = issuesOf(root);
      assert.equal(issues.length, 1);
      assert.equal(issues[0]?.path, '$');
      assert.match(issues[0]?.message ?? '', /must be a JSON object/);
    }
  });

  test('null is invalid at the top level, in nested objects and in lists', () => {
    assert.match(issueAt({ LoggingRole: null }, '$.LoggingRole').message, NULL_RULE);
    assert.match(issueAt({ ProtocolDetails: { PassiveIp: null } }, '$.ProtocolDetails.PassiveIp').message, NULL_RULE);
    assert.match(issueAt({ Protocols: ['SFTP', null] }, '$.Protocols[1]').message, NULL_RULE);
    assert.match(issueAt({ Tags: [{ Key: 'a', Value: null }] }, '$.Tags[0].Value').message, NULL_RULE);
    assert.match(issueAt({ Reconciler: { PruneTags: null } }, '$.Reconciler.PruneTags').message, NULL_RULE);
  });

  test('wrong types say what was expected and what was found', () => {
    assert.equal(issueAt({ Certificate: 5 }, '$.Certificate').message, 'must be a string (in quotes), not a number.');
    assert.match(issueAt({ Protocols: 'SFTP' }, '$.Protocols').message, /must be a list/);
    assert.match(issueAt({ ProtocolDetails: [] }, '$.ProtocolDetails').message, /must be an object/);
    assert.match(issueAt({ Reconciler: { PruneTags: 'yes' } }, '$.Reconciler.PruneTags').message, /must be true or false, not a string/);
    assert.match(issueAt({ State: true }, '$.State').message, /must be a string/);
  });

  test('unknown keys name the closest valid key, at every level', () => {
    assert.match(issueAt({ Protocol: ['SFTP'] }, '$.Protocol').message, /^"Protocol" is not a known key; did you mean "Protocols"\?/);
    assert.match(issueAt({ protocols: ['SFTP'] }, '$.protocols').message, /did you mean "Protocols"\? \(keys are case-sensitive\)/);
    assert.match(issueAt({ ProtocolDetails: { PasiveIp: 'AUTO' } }, '$.ProtocolDetails.PasiveIp').message, /did you mean "PassiveIp"/);
    assert.match(
      issueAt({ EndpointDetails: { SubnetId: ['subnet-1'] } }, '$.EndpointDetails.SubnetId').message,
      /did you mean "SubnetIds"/,
    );
    assert.match(issueAt({ Tags: [{ Key: 'a', Vaule: 'b' }] }, '$.Tags[0].Vaule').message, /did you mean "Value"/);
    assert.match(
      issueAt({ HostKey: { SecureStringParam: '/a/b' } }, '$.HostKey.SecureStringParam').message,
      /did you mean "SecureStringParameter"/,
    );
    assert.match(issueAt({ Reconciler: { Prune: true } }, '$.Reconciler.Prune').message, /did you mean "PruneTags"/);
    assert.match(
      issueAt(
        { WorkflowDetails: { OnUpload: [{ WorkflowId: 'w-0123456789abcdefg', ExecutionRole: 'arn:aws:iam::1:role/r', Role: 'x' }] } },
        '$.WorkflowDetails.OnUpload[0].Role',
      ).message,
      /did you mean/,
    );
  });

  test('a key far from every valid key also lists the keys allowed there', () => {
    const message = issueAt({ ProtocolDetails: { Zzzzzzzzzzzz: 1 } }, '$.ProtocolDetails.Zzzzzzzzzzzz').message;
    assert.match(message, /Keys allowed in \$\.ProtocolDetails: PassiveIp, TlsSessionResumptionMode, SetStatOption, As2Transports/);
  });

  test('keys that are not identifiers get a bracketed path', () => {
    assert.equal(issuesOf({ 'Foo Bar': 1 })[0]?.path, '$["Foo Bar"]');
  });

  test('$schema is allowed; ServerId, when present, must equal the name and be a ServerId', () => {
    assertValid({ $schema: 'https://transfer-reconciler.dev/schema/desired-state.json', ServerId: SERVER_ID });
    assert.match(issueAt({ ServerId: 's-00000000000000000' }, '$.ServerId').message, /stored for s-0123456789abcdef0/);
    assert.match(
      issueAt({ ServerId: 'server-1' }, '$.ServerId', { expectedServerId: undefined }).message,
      /s- followed by 17 lowercase hexadecimal digits/,
    );
    assert.match(issueAt({ $schema: 1 }, '$.$schema').message, /must be a string/);
  });

  test('all issues are collected, in document order', () => {
    const paths = issuesOf({
      Zeta: 1,
      Protocols: ['SFTP', 'SFTP'],
      ProtocolDetails: { SetStatOption: 'NOPE', PassiveIp: 'x' },
      Alpha: 2,
    }).map((i) => i.path);
    assert.deepEqual(paths, ['$.Zeta', '$.Protocols[1]', '$.ProtocolDetails.SetStatOption', '$.ProtocolDetails.PassiveIp', '$.Alpha']);
  });

  test('the fixture with many problems reports each of them', () => {
    const [fixture] = fixtureDocuments('invalid').filter((f) => f.name === 'many-problems.json');
    const paths = issuesOf(fixture?.value).map((i) => i.path);
    assert.deepEqual(paths, [
      '$.Protocol',
      '$.Protocols[2]',
      '$.Certificate',
      '$.EndpointType',
      '$.EndpointDetails.VpcId',
      '$.ProtocolDetails.PassiveIp',
      '$.LoggingRole',
      '$.Tags[0].Key',
    ]);
  });
});

describe('validateStatic: model constraints', () => {
  test('enums list the allowed values and suggest the nearest', () => {
    const message = issueAt({ Protocols: ['SFPT'] }, '$.Protocols[0]').message;
    assert.match(message, /"SFPT" is not allowed; use one of SFTP, FTP, FTPS, AS2\. Did you mean "SFTP"\?/);
    assert.match(issueAt({ EndpointType: 'VPC_ENDPIONT' }, '$.EndpointType').message, /use one of PUBLIC, VPC, VPC_ENDPOINT/);
    assert.match(
      issueAt({ Reconciler: { Mode: 'Enforce' } }, '$.Reconciler.Mode').message,
      /use one of enforce, detect\. Did you mean "enforce"\?/,
    );
    assert.match(issueAt({ State: 'RUNNING' }, '$.State').message, /use one of ONLINE, OFFLINE/);
    assert.match(issueAt({ IpAddressType: 'IPV6' }, '$.IpAddressType').message, /IPV4, DUALSTACK/);
  });

  test('list sizes come from the model', () => {
    assert.match(issueAt({ Protocols: [] }, '$.Protocols').message, /must list at least 1 item; it has 0/);
    assert.match(issueAt({ ProtocolDetails: { As2Transports: [] } }, '$.ProtocolDetails.As2Transports').message, /exactly 1 item/);
  });

  test('patterns are explained in words', () => {
    assert.match(issueAt({ LoggingRole: 'role' }, '$.LoggingRole').message, /IAM role ARN/);
    assert.match(
      issueAt({ EndpointDetails: { SecurityGroupIds: ['group-1'] } }, '$.EndpointDetails.SecurityGroupIds[0]').message,
      /sg- followed by/,
    );
    assert.match(
      issueAt({ EndpointDetails: { VpcEndpointId: 'vpce-1' } }, '$.EndpointDetails.VpcEndpointId').message,
      /vpce- followed by 17/,
    );
    assert.match(issueAt({ SecurityPolicyName: 'Modern' }, '$.SecurityPolicyName').message, /TransferSecurityPolicy-2024-01/);
    assert.match(
      issueAt({ IdentityProviderDetails: { Function: 'my-function' } }, '$.IdentityProviderDetails.Function').message,
      /Lambda function ARN/,
    );
    assert.match(
      issueAt({ IdentityProviderDetails: { DirectoryId: 'd-1' } }, '$.IdentityProviderDetails.DirectoryId').message,
      /d- followed by 10/,
    );
  });

  test('string lengths come from the model', () => {
    // (Certificate has a format of its own, which is checked first.)
    const url = `https://${'a'.repeat(248)}`;
    assert.match(
      issueAt({ IdentityProviderDetails: { Url: url } }, '$.IdentityProviderDetails.Url').message,
      /at most 255 characters long; it has 256/,
    );
  });

  test('WorkflowDetails: at most one workflow each, with WorkflowId and ExecutionRole', () => {
    const wf = { WorkflowId: 'w-0123456789abcdefg', ExecutionRole: 'arn:aws:iam::111122223333:role/wf' };
    assertValid({ WorkflowDetails: { OnUpload: [wf] } });
    assert.match(issueAt({ WorkflowDetails: { OnUpload: [wf, wf] } }, '$.WorkflowDetails.OnUpload').message, /at most 1 item; it has 2/);
    assert.match(
      issueAt(
        { WorkflowDetails: { OnPartialUpload: [{ WorkflowId: wf.WorkflowId }] } },
        '$.WorkflowDetails.OnPartialUpload[0].ExecutionRole',
      ).message,
      /"ExecutionRole" is required/,
    );
    assert.match(
      issueAt({ WorkflowDetails: { OnUpload: [{ ...wf, WorkflowId: 'w-1' }] } }, '$.WorkflowDetails.OnUpload[0].WorkflowId').message,
      /w- followed by 17/,
    );
  });

  test('banners: printable ASCII, tabs and line breaks, up to 4096 characters', () => {
    assertValid({ PreAuthenticationLoginBanner: 'Line one\n\tLine two\r\n~' });
    assert.match(
      issueAt({ PreAuthenticationLoginBanner: 'caf\u00e9' }, '$.PreAuthenticationLoginBanner').message,
      /U\+00E9 at character 4/,
    );
    assert.match(issueAt({ PostAuthenticationLoginBanner: 'bell\u0007' }, '$.PostAuthenticationLoginBanner').message, /U\+0007/);
    assert.match(
      issueAt({ PreAuthenticationLoginBanner: 'a'.repeat(4097) }, '$.PreAuthenticationLoginBanner').message,
      /at most 4096 characters/,
    );
    assertValid({ PreAuthenticationLoginBanner: 'a'.repeat(4096) });
  });
});

describe('validateStatic: formats and sets', () => {
  test('PassiveIp: AUTO, 0.0.0.0 or one IPv4 address', () => {
    for (const ok of ['AUTO', '0.0.0.0', '203.0.113.10', '255.255.255.255']) assertValid({ ProtocolDetails: { PassiveIp: ok } });
    for (const bad of ['auto', '256.1.1.1', '1.2.3', '10.0.0.1,10.0.0.2', '::1', '01.2.3.4', '']) {
      assert.match(
        issueAt({ ProtocolDetails: { PassiveIp: bad } }, '$.ProtocolDetails.PassiveIp').message,
        /AUTO, 0\.0\.0\.0 or a single IPv4 address/,
      );
    }
  });

  test('StructuredLogDestinations: one log group ARN ending in :*', () => {
    assertValid({ StructuredLogDestinations: ['arn:aws:logs:eu-west-1:111122223333:log-group:/aws/transfer/s-1:*'] });
    assertValid({ StructuredLogDestinations: ['arn:aws-us-gov:logs:us-gov-west-1:111122223333:log-group:transfer:*'] });
    assert.match(
      issueAt({ StructuredLogDestinations: ['arn:aws:logs:us-east-1:111122223333:log-group:x'] }, '$.StructuredLogDestinations[0]').message,
      /Add ":\*" at the end/,
    );
    assert.match(
      issueAt({ StructuredLogDestinations: ['arn:aws:s3:::bucket-name-here'] }, '$.StructuredLogDestinations[0]').message,
      /CloudWatch Logs log group ARN/,
    );
    const two = ['arn:aws:logs:us-east-1:111122223333:log-group:a:*', 'arn:aws:logs:us-east-1:111122223333:log-group:b:*'];
    assert.match(issueAt({ StructuredLogDestinations: two }, '$.StructuredLogDestinations').message, /at most 1 item/);
  });

  test('sets reject duplicates, each on the repeated item', () => {
    const sets: Array<[object, string]> = [
      [{ Protocols: ['SFTP', 'FTP', 'SFTP'] }, '$.Protocols[2]'],
      [{ EndpointDetails: { SubnetIds: ['subnet-1', 'subnet-1'] } }, '$.EndpointDetails.SubnetIds[1]'],
      [{ EndpointDetails: { AddressAllocationIds: ['eipalloc-1', 'eipalloc-1'] } }, '$.EndpointDetails.AddressAllocationIds[1]'],
      [
        { EndpointDetails: { SecurityGroupIds: ['sg-0123456789abcdef0', 'sg-0123456789abcdef0'] } },
        '$.EndpointDetails.SecurityGroupIds[1]',
      ],
    ];
    for (const [doc, path] of sets) assert.match(issueAt(doc, path).message, /already listed at \[\d\]; this list is a set/);
  });

  test('Tags: strings, no aws: or transfer-reconciler: prefix, unique keys, at most 50', () => {
    assertValid({ Tags: [{ Key: 'team', Value: '' }] });
    assert.match(issueAt({ Tags: [{ Key: 'AWS:thing', Value: 'x' }] }, '$.Tags[0].Key').message, /reserves/);
    assert.match(
      issueAt({ Tags: [{ Key: 'Transfer-Reconciler:restart-pending', Value: 'x' }] }, '$.Tags[0].Key').message,
      /the reconciler reserves/,
    );
    assert.match(
      issueAt(
        {
          Tags: [
            { Key: 'a', Value: '1' },
            { Key: 'a', Value: '2' },
          ],
        },
        '$.Tags[1].Key',
      ).message,
      /already listed at \$\.Tags\[0\]/,
    );
    assert.match(issueAt({ Tags: [{ Key: 'a', Value: 1 }] }, '$.Tags[0].Value').message, /must be a string/);
    assert.match(issueAt({ Tags: [{ Key: 'a' }] }, '$.Tags[0].Value').message, /"Value" is required/);
    assert.match(issueAt({ Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] }, '$.Tags[0].Key').message, /at most 128 characters/);
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    assert.match(issueAt({ Tags: many }, '$.Tags').message, /at most 50 items; it has 51/);
    assertValid({ Tags: many.slice(0, 50) });
  });

  test('Reconciler members have their types', () => {
    assertValid({ Reconciler: { Mode: 'detect', AllowOfflineChanges: true, AllowHostKeyRotation: false, PruneTags: true } });
    assert.match(issueAt({ Reconciler: 'enforce' }, '$.Reconciler').message, /must be an object/);
  });
});

describe('validateStatic: HostKey', () => {
  const pasted =
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n';

  test('an inline key is rejected with how to store it, and the message never quotes it', () => {
    const issues = issuesOf({ HostKey: pasted, Certificate: pasted });
    const hostKey = issues.find((i) => i.path === '$.HostKey');
    assert.ok(hostKey);
    assert.match(hostKey.message, /never the private key itself/);
    assert.match(
      hostKey.message,
      /aws ssm put-parameter --type SecureString --name \/transfer-reconciler\/host-keys\/s-0123456789abcdef0 --value file:\/\/key/,
    );
    assert.equal(issues.filter((i) => i.path === '$.HostKey').length, 1);
    for (const issue of issues.filter((i) => i.path === '$.HostKey')) {
      assert.ok(!issue.message.includes('BEGIN'));
      assert.ok(!issue.message.includes('b3BlbnNzaC1rZXkt'));
    }
  });

  test('any string, even a short one, is treated as a key and not quoted', () => {
    const message = issueAt({ HostKey: 'secret-material-xyz' }, '$.HostKey').message;
    assert.ok(!message.includes('secret-material-xyz'));
  });

  test('the reference names a valid SSM parameter or a Secrets Manager reference', () => {
    assertValid({ HostKey: { SecureStringParameter: '/transfer-reconciler/host-keys/s-0123456789abcdef0' } });
    assertValid({ HostKey: { SecureStringParameter: 'host-key_1.pem' } });
    assertValid({ HostKey: { SecureStringParameter: '/aws/reference/secretsmanager/prod/transfer-host-key' } });
    const bad: Array<[string, RegExp]> = [
      ['has space', /only letters, digits/],
      ['a/b', /must start with "\/"/],
      ['/a//b', /empty level/],
      ['/aws/mine', /reserved/],
      ['ssm-key', /reserved/],
      [`/${'a/'.repeat(16)}b`, /more than 15 levels/],
      ['/aws/reference/secretsmanager/', /must name a secret/],
    ];
    for (const [name, rule] of bad) {
      assert.match(issueAt({ HostKey: { SecureStringParameter: name } }, '$.HostKey.SecureStringParameter').message, rule, name);
    }
    assert.match(issueAt({ HostKey: {} }, '$.HostKey.SecureStringParameter').message, /is required/);
    assert.match(issueAt({ HostKey: { SecureStringParameter: 3 } }, '$.HostKey.SecureStringParameter').message, /must be a string/);
  });
});

describe('validateStatic: size and warnings', () => {
  const banner = (n: number): object => ({ PreAuthenticationLoginBanner: 'a'.repeat(n) });

  test('the canonical JSON must fit the tier', () => {
    // {"PreAuthenticationLoginBanner":"…"} is 35 bytes around the banner.
    assertValid(banner(4096 - 35), { tier: 'Standard' });
    const message = issueAt(banner(4096 - 34), '$', { tier: 'Standard' }).message;
    assert.match(
      message,
      /is 4097 bytes as canonical JSON, over the 4096-byte limit of a Standard-tier SSM parameter; store it in the Advanced tier/,
    );
    assertValid({ ...banner(4000), PostAuthenticationLoginBanner: 'b'.repeat(2000) }, { tier: 'Advanced' });
    assert.match(
      issueAt({ a: 1 }, '$', { tier: 'Advanced', sizeBytes: 9000 }).message,
      /9000 bytes .* 8192-byte limit of a Advanced-tier|9000 bytes/,
    );
  });

  test('without a tier the document must fit Advanced and is warned about when it needs it', () => {
    const warnings = assertValid({ ...banner(4000), PostAuthenticationLoginBanner: 'b'.repeat(100) });
    assert.ok(warnings.some((w) => /needs an Advanced-tier parameter/.test(w)));
    assert.match(issueAt({}, '$', { sizeBytes: 8193 }).message, /8192-byte limit/);
  });

  test('VPC_ENDPOINT is deprecated: a warning, not an error', () => {
    const warnings = assertValid({ EndpointType: 'VPC_ENDPOINT', EndpointDetails: { VpcEndpointId: 'vpce-0123456789abcdef0' } });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /^\$\.EndpointType: VPC_ENDPOINT is deprecated/);
  });

  test('a post-authentication banner on an SFTP-only server is never shown: a warning', () => {
    assert.match(
      assertValid({ Protocols: ['SFTP'], PostAuthenticationLoginBanner: 'hi' })[0] ?? '',
      /never shows a post-authentication banner/,
    );
    assert.deepEqual(
      assertValid({
        Protocols: ['SFTP', 'FTPS'],
        Certificate: 'arn:aws:acm:us-east-1:111122223333:certificate/x',
        PostAuthenticationLoginBanner: 'hi',
      }),
      [],
    );
    assert.deepEqual(assertValid({ PostAuthenticationLoginBanner: 'hi' }), []);
    assert.deepEqual(assertValid({ Protocols: ['SFTP'], PostAuthenticationLoginBanner: '' }), []);
  });

  test('warnings come back with the issues of an invalid document too', () => {
    const result = validateStatic({ EndpointType: 'VPC_ENDPOINT', Bogus: 1 }, { source: 't' });
    assert.equal(result.ok, false);
    assert.equal(result.warnings.length, 1);
  });
});
