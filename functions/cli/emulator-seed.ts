// `emulator --seed DIR`: one server for each desired-state file in DIR, with the ID its file name
// gives, so `plan --dir`, `push` and `reconcile` over examples/ (or any checkout) work on a bare
// emulator. The servers get CreateServer's defaults (SFTP, PUBLIC, service-managed, a generated
// host key), not the documents' settings: like a fleet made by hand before anyone wrote it down,
// every document then shows as changes to plan and reconcile. Documents stay out of SSM: `push`
// puts them there, as in the GitOps workflow. The one exception is a host key: a document names a
// SecureString that must hold the server's private key, so a seeded server whose document names
// one gets a generated key, stored there (an existing parameter's key is used as it is).
import { hostKeySecret } from '../reconciler/desired/host-key-secret.ts';
import { fingerprintTags } from '../reconciler/desired/recorded-fingerprint.ts';
import { loadDocumentFiles } from '../reconciler/desired/load-files.ts';
import { generateHostKey } from '../shared/ssh-key.ts';
import { AwsError } from '../../infra/local/aws-error.ts';
import type { Emulator } from '../../infra/local/emulator.ts';

export interface SeedResult {
  created: string[];
  /** Already there (from --state-file): left as they are. */
  existing: string[];
}

export interface SeedServer {
  serverId: string;
  /** The SecureString the document names in HostKey.SecureStringParameter (Secrets Manager references excluded). */
  hostKeyParameter?: string;
}

/** The servers named by the document files under `dir`, sorted by ID, each once. */
export async function seedServerList(dir: string): Promise<SeedServer[]> {
  const files = await loadDocumentFiles([dir]);
  const missing = files.find((f) => !f.ok && f.path === dir && f.issues.some((i) => i.message === 'no such file or folder'));
  if (missing) throw new Error(`--seed ${dir}: no such file or folder`);
  const byId = new Map<string, SeedServer>();
  // A file whose content is invalid still names a server: plan and push then report its problems.
  for (const f of files) {
    if (f.serverId === undefined || byId.has(f.serverId)) continue;
    const parameter = hostKeyParameterOf(f.raw);
    byId.set(f.serverId, { serverId: f.serverId, ...(parameter === undefined ? {} : { hostKeyParameter: parameter }) });
  }
  return [...byId.values()].sort((a, b) => (a.serverId < b.serverId ? -1 : 1));
}

function hostKeyParameterOf(raw: unknown): string | undefined {
  const hostKey = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).HostKey : undefined;
  const name = hostKey && typeof hostKey === 'object' ? (hostKey as Record<string, unknown>).SecureStringParameter : undefined;
  return typeof name === 'string' && name.startsWith('/') && !name.startsWith('/aws/') ? name : undefined;
}

export async function seedServers(emu: Pick<Emulator, 'transfer' | 'ssm'>, dir: string): Promise<SeedResult> {
  const result: SeedResult = { created: [], existing: [] };
  for (const server of await seedServerList(dir)) {
    try {
      emu.transfer.createServerWithId(server.serverId, hostKeyInput(emu, server));
      result.created.push(server.serverId);
    } catch (err) {
      if (!(err instanceof AwsError) || err.code !== 'ResourceExistsException') throw err;
      result.existing.push(server.serverId);
    }
  }
  return result;
}

/** `{ HostKey }` for a server whose document names a SecureString: its key, stored first when absent. */
function hostKeyInput(emu: Pick<Emulator, 'transfer' | 'ssm'>, server: SeedServer): Record<string, unknown> {
  const name = server.hostKeyParameter;
  if (name === undefined || emu.transfer.getServer(server.serverId) !== undefined) return {};
  const stored = emu.ssm.peek(name);
  if (stored !== undefined) return stored.type === 'SecureString' ? { HostKey: stored.value } : {};
  const key = generateHostKey('ed25519');
  const put = emu.ssm.handle('PutParameter', { Name: name, Type: 'SecureString', Value: key }) as { Version?: number };
  // Recorded as push would record it, so plan compares the key without decrypting it.
  const tags = fingerprintTags(hostKeySecret(key), put.Version ?? 1);
  emu.ssm.handle('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: name, Tags: tags });
  return { HostKey: key };
}
