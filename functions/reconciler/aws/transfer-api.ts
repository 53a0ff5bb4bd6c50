// Transfer adapter: the only module that builds Transfer commands. It takes the client as a
// parameter, translates SDK exceptions into the reconciler's errors at the boundary, and hands the
// rest of the engine the normalised ObservedServer (observed/normalise.ts), never a raw record.
import {
  DeleteHostKeyCommand,
  DescribeServerCommand,
  ImportHostKeyCommand,
  ListHostKeysCommand,
  UpdateHostKeyCommand,
  ListServersCommand,
  ResourceNotFoundException,
  StartServerCommand,
  StopServerCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServerCommand,
} from '@aws-sdk/client-transfer';
import type { TransferClient, UpdateServerCommandInput } from '@aws-sdk/client-transfer';
import { ServerNotFoundError } from '../errors.ts';
import { normaliseServer } from '../observed/normalise.ts';
import type { HostKeySecret, ObservedHostKey, ObservedServer, Tag, UpdateRequest } from '../types.ts';
import { normaliseFingerprint } from '../../shared/fingerprint.ts';

function notFound(serverId: string, err: unknown): never {
  if (err instanceof ResourceNotFoundException) {
    throw new ServerNotFoundError(serverId, `server ${serverId} does not exist (DescribeServer: ResourceNotFound)`, { cause: err });
  }
  throw err;
}

/** DescribeServer, normalised once here: the port every reader of a server goes through. */
export async function observeServer(transfer: TransferClient, serverId: string): Promise<ObservedServer> {
  try {
    const out = await transfer.send(new DescribeServerCommand({ ServerId: serverId }));
    return normaliseServer((out.Server ?? {}) as Record<string, unknown>);
  } catch (err) {
    return notFound(serverId, err);
  }
}

/** The SDK input for an update step. The host key is revealed here and nowhere else. */
export function updateInput(serverId: string, request: UpdateRequest): UpdateServerCommandInput {
  const { HostKey, ...fields } = request;
  // The server's own ID always wins over anything the request carries.
  const input: UpdateServerCommandInput = { ...fields, ServerId: serverId };
  if (HostKey) input.HostKey = HostKey.reveal();
  return input;
}

export async function updateServer(transfer: TransferClient, serverId: string, request: UpdateRequest): Promise<void> {
  try {
    await transfer.send(new UpdateServerCommand(updateInput(serverId, request)));
  } catch (err) {
    notFound(serverId, err);
  }
}

export async function startServer(transfer: TransferClient, serverId: string): Promise<void> {
  try {
    await transfer.send(new StartServerCommand({ ServerId: serverId }));
  } catch (err) {
    notFound(serverId, err);
  }
}

export async function stopServer(transfer: TransferClient, serverId: string): Promise<void> {
  try {
    await transfer.send(new StopServerCommand({ ServerId: serverId }));
  } catch (err) {
    notFound(serverId, err);
  }
}

export async function tagServer(transfer: TransferClient, arn: string, tags: Tag[]): Promise<void> {
  await transfer.send(new TagResourceCommand({ Arn: arn, Tags: tags }));
}

export async function untagServer(transfer: TransferClient, arn: string, keys: string[]): Promise<void> {
  await transfer.send(new UntagResourceCommand({ Arn: arn, TagKeys: keys }));
}

/** Every server ID in the account and region (ListServers pages of 1000). */
export async function listServerIds(transfer: TransferClient): Promise<string[]> {
  const ids: string[] = [];
  let NextToken: string | undefined;
  do {
    const out = await transfer.send(new ListServersCommand({ MaxResults: 1000, NextToken }));
    for (const s of out.Servers ?? []) if (s.ServerId) ids.push(s.ServerId);
    NextToken = out.NextToken;
  } while (NextToken);
  return ids;
}

/** Every host key of the server (ListHostKeys pages), oldest first. */
export async function listHostKeys(transfer: TransferClient, serverId: string): Promise<ObservedHostKey[]> {
  const keys: ObservedHostKey[] = [];
  let NextToken: string | undefined;
  try {
    do {
      const out = await transfer.send(new ListHostKeysCommand({ ServerId: serverId, MaxResults: 1000, NextToken }));
      for (const k of out.HostKeys ?? []) {
        keys.push({
          HostKeyId: k.HostKeyId ?? '',
          Fingerprint: normaliseFingerprint(k.Fingerprint ?? ''),
          Type: k.Type ?? '',
          Description: k.Description ?? '',
          DateImported: k.DateImported instanceof Date ? k.DateImported.getTime() : 0,
        });
      }
      NextToken = out.NextToken;
    } while (NextToken);
  } catch (err) {
    notFound(serverId, err);
  }
  return keys.sort((a, b) => a.DateImported - b.DateImported || (a.HostKeyId < b.HostKeyId ? -1 : 1));
}

/** The key is revealed here and nowhere else (as for UpdateServer). */
export async function importHostKey(
  transfer: TransferClient,
  serverId: string,
  secret: HostKeySecret,
  description?: string,
): Promise<void> {
  try {
    await transfer.send(
      new ImportHostKeyCommand({
        ServerId: serverId,
        HostKeyBody: secret.reveal(),
        ...(description !== undefined ? { Description: description } : {}),
      }),
    );
  } catch (err) {
    notFound(serverId, err);
  }
}

export async function updateHostKey(transfer: TransferClient, serverId: string, hostKeyId: string, description: string): Promise<void> {
  await transfer.send(new UpdateHostKeyCommand({ ServerId: serverId, HostKeyId: hostKeyId, Description: description }));
}

export async function deleteHostKey(transfer: TransferClient, serverId: string, hostKeyId: string): Promise<void> {
  await transfer.send(new DeleteHostKeyCommand({ ServerId: serverId, HostKeyId: hostKeyId }));
}
