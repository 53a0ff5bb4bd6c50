// One reconcile per message group per batch. Every record of a group in a batch was sent before
// the batch's reconcile begins, so that one reconcile (reading the current document and server)
// serves them all; a change made after it began arrives as a new message, in a later batch, and
// gets a reconcile of its own. Nothing is ever dropped by deduplication on the server id.
import type { ServerAddress } from '../desired/server-address.ts';
import { parseAddressKey } from '../desired/server-address.ts';
import { parseMessage } from './message.ts';
import type { ReconcileMessage } from './message.ts';

export interface QueueRecord {
  messageId: string;
  groupId: string;
  body: string;
}

export interface Group {
  groupId: string;
  /** Undefined when the group id is not a server's key: nothing to reconcile (a bad message). */
  serverId?: string;
  /** The server's address, parsed from the group id (groupIdOf): the hub's or `<AccountId>/<Region>/s-…`. */
  address?: ServerAddress;
  /** Why the group id names no server. */
  badGroupId?: string;
  /** `event` when any message came from an event (a change to repair now), else `schedule`. */
  trigger: 'event' | 'schedule';
  messages: ReconcileMessage[];
  /**
   * A schedule-only group's newest carried document (listedDocument): the reconcile plans from it
   * and confirms it with SSM before writing. Never for a group with an event: a change reads afresh.
   */
  listed?: { name: string; version?: number; text: string };
  /** Records whose body could not be parsed (the group id may still name the server). */
  problems: { messageId: string; problem: string }[];
  messageIds: string[];
}

/**
 * The server a group stands for is its group id, the address's key: SQS serialises by it, so it is
 * the one thing every record of the group agrees on (the bodies only say why).
 */
function withAddress(g: Group): Group {
  const parsed = parseAddressKey(g.groupId);
  if (!parsed.ok) return { ...g, badGroupId: parsed.message };
  return { ...g, serverId: parsed.address.serverId, address: parsed.address };
}

/** Groups in order of first appearance; records keep their order inside a group. */
export function groupRecords(records: readonly QueueRecord[]): Group[] {
  const groups = new Map<string, Group>();
  for (const r of records) {
    let g = groups.get(r.groupId);
    if (g === undefined) {
      g = { groupId: r.groupId, trigger: 'schedule', messages: [], problems: [], messageIds: [] };
      groups.set(r.groupId, g);
    }
    g.messageIds.push(r.messageId);
    const parsed = parseMessage(r.body);
    if (parsed.ok) {
      g.messages.push(parsed.message);
      if (parsed.message.trigger === 'event') g.trigger = 'event';
    } else {
      g.problems.push({ messageId: r.messageId, problem: parsed.problem });
      // An unreadable message still says "look at this server": treat it as a change.
      g.trigger = 'event';
    }
  }
  return [...groups.values()].map((g) => withListed(withAddress(g)));
}

function withListed(g: Group): Group {
  if (g.trigger !== 'schedule') return g;
  const d = g.messages.at(-1)?.document;
  if (d?.text === undefined) return g;
  return { ...g, listed: { name: d.name, ...(d.version !== undefined ? { version: d.version } : {}), text: d.text } };
}
