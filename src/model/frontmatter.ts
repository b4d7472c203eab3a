/**
 * Reading front matter: split a record file into YAML front matter and
 * Markdown body, and parse it. Writing lives in frontmatter-write.ts, so
 * that commands that only read never load the writer's YAML library.
 *
 * Reading uses a fast reader for plain front matter (fastyaml.ts) and
 * js-yaml's CORE schema for the rest (timestamps stay strings): about ten
 * times faster than yaml@2 when a whole repository is loaded.
 */
import jsYaml from 'js-yaml';
import { parsePlainYaml } from './fastyaml.js';

export type Data = Record<string, unknown>;

export interface Split {
  /** The YAML between the fences, without them. */
  yaml: string;
  /** Everything after the closing fence line, byte for byte. */
  body: string;
  /** 1-based line number of the first YAML line in the file. */
  firstLine: number;
  /** The line ending used by the fences. */
  eol: '\n' | '\r\n';
  /** Offset of the YAML in the file's text. */
  start: number;
}

export class FrontMatterError extends Error {
  constructor(
    message: string,
    /** 1-based line in the file. */
    readonly line: number,
    readonly code: 'no-front-matter' | 'unclosed-front-matter' | 'yaml' | 'not-a-map',
  ) {
    super(message);
  }
}

const OPEN = /^---[ \t]*\r?\n/;

export function splitFile(raw: string): Split {
  const bom = raw.charCodeAt(0) === 0xfeff ? 1 : 0;
  const text = bom ? raw.slice(1) : raw;
  const open = OPEN.exec(text);
  if (!open) {
    throw new FrontMatterError(
      'the file does not start with a `---` line (YAML front matter is required)',
      1,
      'no-front-matter',
    );
  }
  const eol = open[0].endsWith('\r\n') ? '\r\n' : '\n';
  let pos = open[0].length;
  let line = 2;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    const content = text.slice(pos, end).replace(/\r$/, '');
    if (content === '---' || content === '...' || /^---[ \t]+$/.test(content)) {
      return {
        yaml: text.slice(open[0].length, pos),
        body: nl === -1 ? '' : text.slice(nl + 1),
        firstLine: 2,
        eol,
        start: bom + open[0].length,
      };
    }
    if (nl === -1) break;
    pos = nl + 1;
    line++;
  }
  throw new FrontMatterError(
    'the front matter is not closed: add a `---` line after the YAML',
    line,
    'unclosed-front-matter',
  );
}

export interface Parsed {
  data: Data;
  body: string;
  split: Split;
}

/** Parse a record file. Throws FrontMatterError with the file line on failure. */
export function parseRecord(raw: string): Parsed {
  const split = splitFile(raw);
  let data: unknown = parsePlainYaml(split.yaml);
  if (data === undefined) try {
    data = jsYaml.load(split.yaml, { schema: jsYaml.CORE_SCHEMA, json: false });
  } catch (e) {
    const err = e as { mark?: { line?: number }; reason?: string; message: string };
    const line = split.firstLine + (err.mark?.line ?? 0);
    throw new FrontMatterError(`broken YAML: ${err.reason ?? err.message.split('\n')[0]}`, line, 'yaml');
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new FrontMatterError('the front matter must be a map of `key: value` lines', split.firstLine, 'not-a-map');
  }
  return { data: data as Data, body: split.body, split };
}

/** Parse a YAML settings file (crm.yaml) with the same schema. */
export function parseYaml(text: string, firstLine = 1): unknown {
  try {
    return jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
  } catch (e) {
    const err = e as { mark?: { line?: number }; reason?: string; message: string };
    throw new FrontMatterError(
      `broken YAML: ${err.reason ?? err.message.split('\n')[0]}`,
      firstLine + (err.mark?.line ?? 0),
      'yaml',
    );
  }
}

/** 1-based file line of each top-level key, found without parsing. */
export function keyLines(raw: string): Map<string, number> {
  const out = new Map<string, number>();
  let split: Split;
  try {
    split = splitFile(raw);
  } catch {
    return out;
  }
  const lines = split.yaml.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^\s#:][^:]*?)\s*:(?:\s|$)/.exec(lines[i] ?? '');
    if (m?.[1] && !out.has(m[1])) out.set(m[1].replace(/^["']|["']$/g, ''), split.firstLine + i);
  }
  return out;
}

export function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ao = a as Data;
  const bo = b as Data;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => deepEqual(ao[k], bo[k]));
}
