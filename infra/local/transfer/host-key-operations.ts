// Several host keys per server: ImportHostKey, ListHostKeys, DescribeHostKey, UpdateHostKey,
// DeleteHostKey, and how CreateServer/UpdateServer's single HostKey fits in (aws-behaviour.md,
// "Transfer: host keys"). Choices where AWS does not document the answer (README, "The local
// emulator"): the key CreateServer set (given or generated) is the first key; UpdateServer's
// HostKey replaces the oldest key in its place (so it stays the one DescribeServer shows);
// DescribeServer's HostKeyFingerprint is the oldest key of all; the last key may be deleted;
// more than the limit (10 by default, a setting) is InvalidRequestException, the code the model
// lists (ImportHostKey lists no limit code). Key text is never answered nor put in a message.
import { AwsError } from '../aws-error.ts';
import { listedOr } from '../model-errors.ts';
import { acceptHostKey } from './host-keys.ts';
import type { HostKeyRecord } from './host-keys.ts';
import { hostKeyArn, newHostKeyId } from './ids.ts';
import { paginate } from './paging.ts';
import type { StoredHostKey, StoredServer, Tag } from './server-types.ts';
import type { ServersStore } from './servers-store.ts';

/** "up to 10" per server is quoted (Terraform's issue tracker), unverified: a setting. */
export const DEFAULT_MAX_HOST_KEYS = 10;

function text(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  return typeof value === 'string' ? value : '';
}

function keyNotFound(server: StoredServer, hostKeyId: string): AwsError {
  return new AwsError('ResourceNotFoundException', `Unknown host key ${hostKeyId} on server ${server.ServerId}`, {
    status: 400,
    fields: { Resource: hostKeyId, ResourceType: 'HostKey' },
  });
}

function findKey(server: StoredServer, hostKeyId: string): StoredHostKey {
  const key = server.hostKeys.find((k) => k.HostKeyId === hostKeyId);
  if (key === undefined) throw keyNotFound(server, hostKeyId);
  return key;
}

/** The key DescribeServer shows: the oldest of all (undefined once every key is deleted). */
export function primaryKey(server: StoredServer): StoredHostKey | undefined {
  return server.hostKeys[0];
}

/** A new key entry, stamped now. */
export function newKeyEntry(store: ServersStore, record: HostKeyRecord, description?: string, tags: Tag[] = []): StoredHostKey {
  const entry: StoredHostKey = {
    HostKeyId: newHostKeyId(),
    hostKey: record.hostKey,
    Fingerprint: record.HostKeyFingerprint,
    Type: record.Type,
    DateImported: store.stampImport(),
    Tags: tags.map((tag) => ({ ...tag })),
  };
  if (description !== undefined) entry.Description = description;
  return entry;
}

function refuseDuplicate(server: StoredServer, record: HostKeyRecord, operation: 'ImportHostKey' | 'UpdateServer', except?: string): void {
  const same = server.hostKeys.find((k) => k.Fingerprint === record.HostKeyFingerprint && k.HostKeyId !== except);
  if (same === undefined) return;
  throw new AwsError(
    listedOr('transfer', operation, 'ResourceExistsException', 'InvalidRequestException'),
    `Host key ${record.HostKeyFingerprint} already exists on server ${server.ServerId} as ${same.HostKeyId}`,
    { status: 400, fields: { Resource: same.HostKeyId, ResourceType: 'HostKey' } },
  );
}

/**
 * UpdateServer's HostKey: replaces the oldest key in its place (new HostKeyId, same DateImported),
 * or becomes the only key of a server whose keys were all deleted. The same key again changes nothing.
 */
export function replacePrimaryKey(store: ServersStore, server: StoredServer, record: HostKeyRecord): void {
  const oldest = primaryKey(server);
  if (oldest === undefined) {
    server.hostKeys = [newKeyEntry(store, record)];
    return;
  }
  if (oldest.Fingerprint === record.HostKeyFingerprint) return;
  refuseDuplicate(server, record, 'UpdateServer', oldest.HostKeyId);
  server.hostKeys[0] = {
    HostKeyId: newHostKeyId(),
    hostKey: record.hostKey,
    Fingerprint: record.HostKeyFingerprint,
    Type: record.Type,
    DateImported: oldest.DateImported,
    Tags: [],
  };
}

export function importHostKey(
  store: ServersStore,
  maxKeys: number,
  input: Record<string, unknown>,
): { ServerId: string; HostKeyId: string } {
  const server = store.get(text(input, 'ServerId'));
  const record = acceptHostKey(text(input, 'HostKeyBody'));
  refuseDuplicate(server, record, 'ImportHostKey');
  if (server.hostKeys.length >= maxKeys) {
    throw new AwsError(
      'InvalidRequestException',
      `Server ${server.ServerId} already has ${maxKeys} host keys, the most a server can have`,
      {
        status: 400,
      },
    );
  }
  const description = typeof input.Description === 'string' ? input.Description : undefined;
  const entry = newKeyEntry(store, record, description, (input.Tags as Tag[] | undefined) ?? []);
  server.hostKeys.push(entry);
  return { ServerId: server.ServerId, HostKeyId: entry.HostKeyId };
}

/** DateImported goes out as epoch seconds (the JSON protocol's timestamps), milliseconds kept. */
function listed(server: StoredServer, key: StoredHostKey): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Arn: hostKeyArn(server.Arn, key.HostKeyId),
    HostKeyId: key.HostKeyId,
    Fingerprint: key.Fingerprint,
    Type: key.Type,
    DateImported: key.DateImported / 1000,
  };
  if (key.Description !== undefined) out.Description = key.Description;
  return out;
}

export function listHostKeys(
  store: ServersStore,
  input: Record<string, unknown>,
): { ServerId: string; HostKeys: Record<string, unknown>[]; NextToken?: string } {
  const server = store.get(text(input, 'ServerId'));
  const page = paginate(server.hostKeys, (key) => key.DateImported, `host-keys:${server.ServerId}`, input, 1000);
  const answer: { ServerId: string; HostKeys: Record<string, unknown>[]; NextToken?: string } = {
    ServerId: server.ServerId,
    HostKeys: page.items.map((key) => listed(server, key)),
  };
  if (page.nextToken !== undefined) answer.NextToken = page.nextToken;
  return answer;
}

export function describeHostKey(store: ServersStore, input: Record<string, unknown>): { HostKey: Record<string, unknown> } {
  const server = store.get(text(input, 'ServerId'));
  const key = findKey(server, text(input, 'HostKeyId'));
  const { Fingerprint, ...rest } = listed(server, key);
  return { HostKey: { ...rest, HostKeyFingerprint: Fingerprint, Tags: key.Tags.map((tag) => ({ ...tag })) } };
}

export function updateHostKey(store: ServersStore, input: Record<string, unknown>): { ServerId: string; HostKeyId: string } {
  const server = store.get(text(input, 'ServerId'));
  const key = findKey(server, text(input, 'HostKeyId'));
  key.Description = text(input, 'Description');
  return { ServerId: server.ServerId, HostKeyId: key.HostKeyId };
}

export function deleteHostKey(store: ServersStore, input: Record<string, unknown>): Record<string, never> {
  const server = store.get(text(input, 'ServerId'));
  const key = findKey(server, text(input, 'HostKeyId'));
  server.hostKeys = server.hostKeys.filter((k) => k !== key);
  return {};
}

/** A server saved before host keys were several ({hostKey, HostKeyFingerprint}) gets a key list. */
export function migrateServer(server: StoredServer, stamp: () => number): StoredServer {
  if (Array.isArray(server.hostKeys)) return server;
  const old = server as unknown as { hostKey?: unknown; HostKeyFingerprint?: unknown };
  const record = typeof old.hostKey === 'string' ? acceptHostKey(old.hostKey) : undefined;
  delete old.hostKey;
  delete old.HostKeyFingerprint;
  const keys: StoredHostKey[] = [];
  if (record !== undefined) {
    keys.push({
      HostKeyId: newHostKeyId(),
      hostKey: record.hostKey,
      Fingerprint: record.HostKeyFingerprint,
      Type: record.Type,
      DateImported: stamp(),
      Tags: [],
    });
  }
  return { ...server, hostKeys: keys };
}
