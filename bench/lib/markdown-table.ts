// Markdown table and number formatting shared by the benchmark reports.
export const ok = (pass: boolean): string => (pass ? '✅' : '❌');
export const s1 = (n: number): string => n.toFixed(1);
export const s2 = (n: number): string => n.toFixed(2);
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
export const ms = (n: number): string => `${n.toFixed(0)} ms`;

export function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}
