// Transfer adapter: the only module that builds Transfer commands. It takes the client as a
// parameter, translates SDK exceptions into the reconciler's errors at the boundary, and hands the
// rest of the engine the normalised ObservedServer (observed/normalise.ts), never a raw record.
import {
  DescribeServerCommand,
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
import type { ObservedServer, Tag, UpdateRequest } from '../types.ts';

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
