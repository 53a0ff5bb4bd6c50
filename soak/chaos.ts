// What happens to the fleet while the enumerations run — other people's hands, not the
// reconciler's calls: settings changed by a person through the API, signed with their own key
// (so CloudTrail records them and the router hears of each, as of a console edit; they meet the
// same faults), servers caught STARTING or STOPPING (on the back end: no event), and new document
// versions pushed (each a Parameter Store event that races the enumeration's messages).
import { TransferClient, UntagResourceCommand, UpdateServerCommand } from '@aws-sdk/client-transfer';
import type { UpdateServerCommandInput } from '@aws-sdk/client-transfer';
import type { Emulator } from '../infra/local/emulator.ts';
import { onlineDocument } from './profiles.ts';
import type { ServerProfile } from './profiles.ts';

export interface ChaosCounts {
  drift: number;
  transitional: number;
  documentVersions: number;
  /** A person's writes that failed (refused while STARTING/STOPPING, or faulted past the SDK's retries): not counted as drift. */
  refused: number;
}

export interface Chaos {
  counts: ChaosCounts;
  stop(): Promise<void>;
}

const DRIFTS = [
  { PreAuthenticationLoginBanner: 'changed by hand' },
  { SecurityPolicyName: 'TransferSecurityPolicy-2018-11' },
  { S3StorageOptions: { DirectoryListingOptimization: 'DISABLED' } },
] as const;

async function stateOf(emu: Emulator, serverId: string): Promise<string> {
  const { Server } = (await emu.transfer.handle('DescribeServer', { ServerId: serverId })) as { Server: { State: string } };
  return Server.State;
}

/** Starts the chaos loop: one disturbance every `everyMs`, until stop(). */
export function startChaos(
  emu: Emulator,
  fleet: readonly ServerProfile[],
  random: () => number,
  everyMs: number,
  versions: Map<string, number>,
): Chaos {
  const counts: ChaosCounts = { drift: 0, transitional: 0, documentVersions: 0, refused: 0 };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const driftable = fleet.filter((p) => p.driftable);
  const person = new TransferClient({
    endpoint: emu.url,
    region: emu.region,
    credentials: { accessKeyId: 'console-soak', secretAccessKey: 'x' },
  });
  let running = true;

  const once = async (): Promise<void> => {
    const roll = random();
    const p = pick(driftable);
    const state = await stateOf(emu, p.serverId);
    if (roll < 0.5) {
      try {
        if (roll < 0.1) await person.send(new UntagResourceCommand({ Arn: arnOf(emu, p.serverId), TagKeys: ['team'] }));
        else await person.send(new UpdateServerCommand({ ServerId: p.serverId, ...pick(DRIFTS) } as UpdateServerCommandInput));
        counts.drift += 1;
      } catch {
        counts.refused += 1;
      }
    } else if (roll < 0.8) {
      // Caught mid-transition: a STARTING hold ends ONLINE; a STOPPING one ends OFFLINE, so only on
      // servers whose document says State ONLINE (anything else would be a deliberate stop).
      if (state === 'ONLINE') {
        const stopping = p.kind === 'state-online' && random() < 0.5;
        emu.transfer.forceState(p.serverId, stopping ? 'STOPPING' : 'STARTING', 50 + Math.floor(random() * 400));
        counts.transitional += 1;
      }
    } else if (p.kind === 'online' || p.kind === 'offline' || p.kind === 'state-online') {
      const version = (versions.get(p.serverId) ?? 1) + 1;
      versions.set(p.serverId, version);
      const doc = JSON.parse(p.text) as Record<string, unknown>;
      const next = {
        ...doc,
        PreAuthenticationLoginBanner: (onlineDocument(p.serverId, version) as { PreAuthenticationLoginBanner: string })
          .PreAuthenticationLoginBanner,
      };
      p.text = JSON.stringify(next);
      await emu.ssm.handle('PutParameter', {
        Name: `/transfer-reconciler/servers/${p.serverId}`,
        Value: p.text,
        Type: 'String',
        Overwrite: true,
      });
      counts.documentVersions += 1;
    }
  };

  const loop = (async () => {
    while (running) {
      await once();
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    counts,
    stop: async () => {
      running = false;
      await loop;
      person.destroy();
    },
  };
}

export function arnOf(emu: Emulator, serverId: string): string {
  return `arn:aws:transfer:${emu.region}:${emu.accountId}:server/${serverId}`;
}
