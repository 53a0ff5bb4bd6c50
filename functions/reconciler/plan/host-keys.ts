// HostKeys: the whole set of keys a server holds, compared with ListHostKeys by fingerprint (never
// by description). Missing keys are imported, descriptions fixed with UpdateHostKey, unlisted keys
// deleted — only with AllowHostKeyRotation. Per algorithm the OLDEST key is the one clients see
// (docs/aws-behaviour.md, "Transfer: host keys"), so imports come first and every delete after
// them: a rotation never leaves an algorithm without a key, and the new key takes over only when
// the old one goes. Imports are newer than every key already there, so the key that will be
// active afterwards is known before anything is written, and the plan says it out loud.
import { canonicalFingerprint, normaliseFingerprint } from '../../shared/fingerprint.ts';
import { HOST_KEY_LIMIT_SOURCE, MAX_HOST_KEYS } from '../desired/rules/host-keys.ts';
import type { ActiveHostKey, Change, DesiredServer, Issue, ObservedHostKey, ObservedServer, Step } from '../types.ts';
import { reported } from './diff.ts';

export interface HostKeyPlan {
  changes: Change[];
  /** Imports (document order), then description updates, then deletes (oldest first). */
  steps: Step[];
  blocked: Issue[];
  invalid: Issue[];
  /** Per algorithm, sorted by algorithm: the active key's fingerprint now and after the steps. */
  active: ActiveHostKey[];
  /** Plain sentences for each algorithm whose active key changes, appears or goes. */
  notices: string[];
}

type Wanted = NonNullable<DesiredServer['hostKeys']>[number];

/** `ED25519`, `RSA`, `ECDSA`: what clients call the algorithm. */
function family(algorithm: string): string {
  if (algorithm === 'ssh-ed25519') return 'ED25519';
  if (algorithm === 'ssh-rsa') return 'RSA';
  if (algorithm.startsWith('ecdsa-')) return 'ECDSA';
  return algorithm;
}

/** `ECDSA (nistp384)` for the curves, the family otherwise. */
export function algorithmLabel(algorithm: string): string {
  const curve = /^ecdsa-sha2-(nistp\d+)$/.exec(algorithm)?.[1];
  return curve === undefined ? family(algorithm) : `ECDSA (${curve})`;
}

/** How a server's key is named: its fingerprint, or (never matched) the unrecognised text and its id. */
function nameOf(key: ObservedHostKey): string {
  const fingerprint = normaliseFingerprint(key.Fingerprint);
  return canonicalFingerprint(fingerprint) === undefined ? `${fingerprint} ${key.HostKeyId}` : fingerprint;
}

function oldestFirst(keys: readonly ObservedHostKey[]): ObservedHostKey[] {
  return [...keys].sort((a, b) => a.DateImported - b.DateImported || (a.HostKeyId < b.HostKeyId ? -1 : a.HostKeyId > b.HostKeyId ? 1 : 0));
}

function activeKeys(held: ObservedHostKey[], deleted: Set<ObservedHostKey>, imports: Wanted[]): ActiveHostKey[] {
  const algorithms = [...new Set([...held.map((k) => k.Type), ...imports.map((w) => w.secret.algorithm)])].sort();
  return algorithms.map((algorithm) => {
    const before = held.find((k) => k.Type === algorithm);
    const kept = held.find((k) => k.Type === algorithm && !deleted.has(k));
    const imported = imports.find((w) => w.secret.algorithm === algorithm);
    const after = kept !== undefined ? normaliseFingerprint(kept.Fingerprint) : imported?.secret.fingerprint;
    return {
      algorithm,
      ...(before !== undefined ? { before: normaliseFingerprint(before.Fingerprint) } : {}),
      ...(after !== undefined ? { after } : {}),
    };
  });
}

function notice(a: ActiveHostKey): string | undefined {
  const label = algorithmLabel(a.algorithm);
  if (a.before === a.after) return undefined;
  if (a.before !== undefined && a.after !== undefined)
    return `clients will see a new ${label} host key: ${a.after} (was ${a.before}); clients that pinned the old key must accept the new one.`;
  if (a.after !== undefined)
    return `the server gets a first ${label} key (${a.after}): clients that prefer ${family(a.algorithm)} will see a new host key.`;
  return `the server will no longer have a ${label} host key (${a.before} is deleted): clients that accept only ${family(a.algorithm)} host keys will not connect.`;
}

function blockedIssue(deletes: ObservedHostKey[]): Issue {
  const names = deletes.map((k) => `${nameOf(k)} (${k.Type})`).join(', ');
  const n = deletes.length;
  return {
    path: '$.HostKeys',
    message:
      `The server holds ${n} host key${n === 1 ? '' : 's'} that HostKeys does not list: ${names}. Deleting a key changes what clients that pinned it see. ` +
      'If the removal is intended, set "Reconciler": {"AllowHostKeyRotation": true}; otherwise add the key to HostKeys. Nothing is written to this server until then.',
  };
}

function limitIssue(peak: number, imports: number, deletes: number): Issue {
  return {
    path: '$.HostKeys',
    message:
      `applying HostKeys would put ${peak} keys on the server at once (the ${imports} new ones are imported before the ${deletes} old ones are deleted, so no algorithm is ever without a key); ` +
      `at most ${MAX_HOST_KEYS} host keys per server (${HOST_KEY_LIMIT_SOURCE}). Remove the old keys in one commit and add the new ones in the next.`,
  };
}

/** Undefined when the document does not manage HostKeys (or the keys could not be read: effective-rules.ts says so). */
export function planHostKeys(desired: DesiredServer, observed: ObservedServer): HostKeyPlan | undefined {
  const wanted = desired.hostKeys;
  if (desired.document.HostKeys === undefined || wanted === undefined || observed.HostKeys === undefined) return undefined;
  const held = oldestFirst(observed.HostKeys);
  // The oldest key per recognised fingerprint; an unrecognised one matches nothing.
  const byFingerprint = new Map<string, ObservedHostKey>();
  for (const key of held) {
    const fingerprint = canonicalFingerprint(key.Fingerprint);
    if (fingerprint !== undefined && !byFingerprint.has(fingerprint)) byFingerprint.set(fingerprint, key);
  }
  const matched = new Set<ObservedHostKey>();
  const imports: Wanted[] = [];
  const updates: { key: ObservedHostKey; description: string }[] = [];
  for (const w of wanted) {
    const key = byFingerprint.get(normaliseFingerprint(w.secret.fingerprint));
    if (key === undefined) imports.push(w);
    else {
      matched.add(key);
      if (w.description !== undefined && w.description !== key.Description) updates.push({ key, description: w.description });
    }
  }
  const deletes = held.filter((k) => !matched.has(k));
  const changes: Change[] = [
    ...imports.map((w) => ({
      path: `HostKeys.${normaliseFingerprint(w.secret.fingerprint)}`,
      from: undefined,
      to: { Type: w.secret.algorithm, ...(w.description !== undefined ? { Description: w.description } : {}) },
    })),
    ...updates.map(({ key, description }) => ({
      path: `HostKeys.${nameOf(key)}.Description`,
      from: reported(key.Description),
      to: description,
    })),
    ...deletes.map((k) => ({ path: `HostKeys.${nameOf(k)}`, from: { Type: k.Type, Description: reported(k.Description) }, to: undefined })),
  ];
  const steps: Step[] = [
    ...imports.map((w): Step => ({
      kind: 'import-host-key',
      parameter: w.parameter,
      secret: w.secret,
      ...(w.description !== undefined ? { description: w.description } : {}),
    })),
    ...updates.map(({ key, description }): Step => ({
      kind: 'update-host-key',
      hostKeyId: key.HostKeyId,
      fingerprint: nameOf(key),
      description,
    })),
    ...deletes.map((k): Step => ({ kind: 'delete-host-key', hostKeyId: k.HostKeyId, fingerprint: nameOf(k) })),
  ];
  const peak = held.length + imports.length;
  const active = activeKeys(held, new Set(deletes), imports);
  return {
    changes,
    steps,
    blocked: deletes.length > 0 && !desired.policy.AllowHostKeyRotation ? [blockedIssue(deletes)] : [],
    invalid: imports.length > 0 && peak > MAX_HOST_KEYS ? [limitIssue(peak, imports.length, deletes.length)] : [],
    active,
    notices: active.map(notice).filter((n): n is string => n !== undefined),
  };
}
