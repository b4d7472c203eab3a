/**
 * A converted dataset as a CRM repository: crm.yaml settings and records,
 * and the one function that writes them to a directory (through the
 * project's serialiser, so the files follow FORMAT.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { Data } from '../../model/frontmatter.js';
import { serializeRecord } from '../../model/frontmatter-write.js';
import { recordPath } from '../../model/record.js';
import type { RecordType } from '../../model/schema.js';

export interface ConvertedRecord {
  type: RecordType;
  id: string;
  data: Data;
  body?: string;
}

export interface ConvertedRepo {
  config: Record<string, unknown>;
  records: ConvertedRecord[];
  /** What the conversion had to decide, for the README of the generated repository. */
  notes: string[];
}

export function writeRepository(dir: string, repo: ConvertedRepo): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'crm.yaml'), stringify(repo.config, { lineWidth: 0 }));
  const made = new Set<string>();
  for (const r of repo.records) {
    const path = join(dir, recordPath(r.type, r.id, r.data));
    const folder = dirname(path);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    writeFileSync(path, serializeRecord(r.type, r.data, r.body ?? ''));
  }
  writeFileSync(join(dir, 'README.md'), `# ${String(repo.config.name)}\n\nConverted by crm's dataset importer.\n\n${repo.notes.map((n) => `- ${n}`).join('\n')}\n`);
}
