// Files of an export: `<ServerId>.yaml|json` in the output folder. Existing files are never
// overwritten silently: without `force` any existing document of a server (in any of the three
// extensions the loader reads) stops the export before anything is read or written; with `force`
// only the file of the same name is replaced, because a second file for the same server
// (`s-….json` beside `s-….yaml`) would make the folder invalid for `plan --dir` and `push`.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostKeyNoteComment } from './host-key-note.ts';
import type { Exported } from './exported.ts';
import { EXPORT_EXTENSIONS, renderJson, renderYaml } from './render.ts';
import type { ExportFormat } from './render.ts';
import type { ObservedServer } from '../types.ts';

const DOCUMENT_EXTENSIONS = ['.json', '.yaml', '.yml'];

export function exportPath(dir: string, serverId: string, format: ExportFormat): string {
  return join(dir, `${serverId}${EXPORT_EXTENSIONS[format]}`);
}

/** Why the export may not write these servers' files (one line each); empty when it may. */
export function conflicts(dir: string, serverIds: readonly string[], format: ExportFormat, force: boolean): string[] {
  const out: string[] = [];
  for (const id of serverIds) {
    const target = exportPath(dir, id, format);
    for (const ext of DOCUMENT_EXTENSIONS) {
      const path = join(dir, `${id}${ext}`);
      if (!existsSync(path)) continue;
      if (path === target && !force) out.push(`${path} exists; give --force to overwrite it`);
      else if (path !== target) out.push(`${path} exists: a second document for ${id} would make the folder invalid; remove it first`);
    }
  }
  return out;
}

function yamlComment(exported: Extract<Exported, { ok: true }>, observed: ObservedServer): string[] {
  return [
    `yaml-language-server: $schema=${exported.document.$schema ?? ''}`,
    `Exported by "transfer-reconciler export" from ${exported.serverId}: only the settings that differ from AWS's defaults.`,
    'State is left out, so this document never starts or stops the server; add "State: ONLINE" to keep it running.',
    '',
    ...hostKeyNoteComment(observed),
    ...(exported.leftOut.length > 0 ? ['', 'Left out, as the server holds values a document may not:', ...exported.leftOut] : []),
  ];
}

export function documentText(exported: Extract<Exported, { ok: true }>, observed: ObservedServer, format: ExportFormat): string {
  return format === 'json' ? renderJson(exported.document) : renderYaml(exported.document, yamlComment(exported, observed));
}

/** Writes one document; `wx` unless forced, so a file that appeared meanwhile is not clobbered. */
export async function writeDocument(path: string, text: string, force: boolean): Promise<void> {
  await writeFile(path, text, { encoding: 'utf8', flag: force ? 'w' : 'wx' });
}

export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
}
