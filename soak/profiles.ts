// The fleet the soak runs against: each server gets a profile (what its document asks for and
// which run state it must end in), chosen from a seeded PRNG so a run can be repeated. The mix is
// a production account's: mostly online changes, some offline changes allowed to stop the server,
// desired run states, host keys, dry-run servers, blocked changes and plainly bad documents.

export type ProfileKind =
  'online' | 'offline' | 'state-online' | 'state-offline' | 'host-key' | 'detect' | 'blocked' | 'invalid' | 'stopped';

export interface ServerProfile {
  serverId: string;
  kind: ProfileKind;
  /** The run state the server starts in. */
  initial: 'ONLINE' | 'OFFLINE';
  /** The run state it must end in (the document's State, else the state it had). */
  expected: 'ONLINE' | 'OFFLINE';
  /** The document text put into SSM (a bad input for `invalid`). */
  text: string;
  /** Managed fields the chaos may change behind the reconciler's back. */
  driftable: boolean;
  /** SecureString parameter holding this server's host key (`host-key` only). */
  hostKeyParameter?: string;
}

/** Share of the fleet per profile; the rest is `online`. */
export const PROFILE_MIX: ReadonlyArray<[ProfileKind, number]> = [
  ['offline', 0.15],
  ['state-online', 0.1],
  ['state-offline', 0.05],
  ['host-key', 0.05],
  ['detect', 0.05],
  ['blocked', 0.03],
  ['invalid', 0.07],
  ['stopped', 0.05],
];

export const HOST_KEY_PREFIX = '/transfer-reconciler/host-keys/';
export const POLICY = 'TransferSecurityPolicy-2024-01';

export function onlineDocument(serverId: string, version: number): Record<string, unknown> {
  return {
    SecurityPolicyName: POLICY,
    PreAuthenticationLoginBanner: `Authorised use only (${serverId}, v${version})`,
    S3StorageOptions: { DirectoryListingOptimization: 'ENABLED' },
    ProtocolDetails: { SetStatOption: 'ENABLE_NO_OP' },
    Tags: [
      { Key: 'team', Value: 'files' },
      { Key: 'soak', Value: `v${version}` },
    ],
  };
}

/**
 * Bad documents, each a way users get it wrong: typos, wrong types, null, a private key pasted
 * inline (whose text must never come back in any output), broken JSON, and a combination AWS
 * refuses that only the server's current settings reveal.
 */
export function badDocuments(inlineKey: string): string[] {
  return [
    JSON.stringify({ SecurityPolicyNmae: POLICY }),
    JSON.stringify({ Protocols: 'SFTP' }),
    JSON.stringify({ PreAuthenticationLoginBanner: null }),
    JSON.stringify({ HostKey: inlineKey }),
    '{ "SecurityPolicyName": "TransferSecurityPolicy-2024-01", ',
    JSON.stringify({ Protocols: ['FTP'] }),
    JSON.stringify({ IpAddressType: 'IPV5' }),
    JSON.stringify({ Tags: [{ Key: 'aws:reserved', Value: 'x' }] }),
  ];
}

export function pickKind(roll: number): ProfileKind {
  let upTo = 0;
  for (const [kind, share] of PROFILE_MIX) {
    upTo += share;
    if (roll < upTo) return kind;
  }
  return 'online';
}

export function buildProfile(serverId: string, kind: ProfileKind, index: number, inlineKey: string): ServerProfile {
  const base = onlineDocument(serverId, 1);
  const at = (
    initial: 'ONLINE' | 'OFFLINE',
    expected: 'ONLINE' | 'OFFLINE',
    doc: unknown,
    driftable: boolean,
    extra: Partial<ServerProfile> = {},
  ): ServerProfile => ({
    serverId,
    kind,
    initial,
    expected,
    text: typeof doc === 'string' ? doc : JSON.stringify(doc),
    driftable,
    ...extra,
  });
  switch (kind) {
    case 'online':
      return at('ONLINE', 'ONLINE', base, true);
    case 'offline':
      // Half need a stop for an offline-only field, half a restart for PassiveIp.
      return at(
        'ONLINE',
        'ONLINE',
        index % 2 === 0
          ? { ...base, IpAddressType: 'DUALSTACK', Reconciler: { AllowOfflineChanges: true } }
          : {
              ...base,
              ProtocolDetails: { SetStatOption: 'ENABLE_NO_OP', PassiveIp: `10.0.${index % 250}.9` },
              Reconciler: { AllowOfflineChanges: true },
            },
        true,
      );
    case 'state-online':
      return at(index % 2 === 0 ? 'OFFLINE' : 'ONLINE', 'ONLINE', { ...base, State: 'ONLINE' }, true);
    case 'state-offline':
      return at('ONLINE', 'OFFLINE', { ...base, State: 'OFFLINE' }, false);
    case 'stopped':
      // Deliberately OFFLINE, no State in the document: it must stay OFFLINE.
      return at('OFFLINE', 'OFFLINE', base, true);
    case 'host-key': {
      const hostKeyParameter = `${HOST_KEY_PREFIX}${serverId}`;
      return at(
        'ONLINE',
        'ONLINE',
        { ...base, HostKey: { SecureStringParameter: hostKeyParameter }, Reconciler: { AllowHostKeyRotation: true } },
        true,
        { hostKeyParameter },
      );
    }
    case 'detect':
      return at('ONLINE', 'ONLINE', { ...base, Reconciler: { Mode: 'detect' } }, true);
    case 'blocked':
      return at('ONLINE', 'ONLINE', { ...base, IpAddressType: 'DUALSTACK' }, false);
    case 'invalid': {
      const bad = badDocuments(inlineKey);
      return at('ONLINE', 'ONLINE', bad[index % bad.length] as string, false);
    }
  }
}
