/**
 * crm.yaml: settings with a default for every key, so an empty file is valid.
 * Pure: takes the parsed YAML, returns a complete Config.
 */
import { RECORD_TYPES, TYPES, type RecordType } from './schema.js';

export interface User {
  handle: string;
  name?: string;
  email?: string;
}

export interface Stage {
  id: string;
  probability: number;
  /** Set on won/lost stages; open stages have none. */
  closed?: 'won' | 'lost';
}

export interface Sla {
  first_response: number;
  resolution: number;
}

export interface Config {
  name: string;
  currency: string;
  timezone: string;
  users: User[];
  pipeline: { stages: Stage[] };
  cases: { sla: Record<string, Sla> };
  /** Allowed values per type and field (defaults from FORMAT.md, replaced by crm.yaml). */
  values: Record<RecordType, Record<string, readonly string[]>>;
  /** Commit every action to git (crm.yaml `git: {commit: false}` turns it off). */
  commit: boolean;
  /** The raw parsed file, for keys this version does not know. */
  raw: Record<string, unknown>;
}

export const DEFAULT_STAGES: Stage[] = [
  { id: 'prospecting', probability: 0.1 },
  { id: 'qualification', probability: 0.25 },
  { id: 'proposal', probability: 0.5 },
  { id: 'negotiation', probability: 0.75 },
  { id: 'won', probability: 1, closed: 'won' },
  { id: 'lost', probability: 0, closed: 'lost' },
];

export const DEFAULT_SLA: Record<string, Sla> = {
  urgent: { first_response: 1, resolution: 8 },
  high: { first_response: 4, resolution: 24 },
  normal: { first_response: 8, resolution: 72 },
  low: { first_response: 24, resolution: 168 },
};

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly key: string,
  ) {
    super(message);
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, key: string, fallback: string): string {
  if (v === undefined || v === null || v === '') return fallback;
  if (typeof v !== 'string') throw new ConfigError(`\`${key}\` must be a string`, key);
  return v;
}

export function defaultValues(): Record<RecordType, Record<string, readonly string[]>> {
  const out = {} as Record<RecordType, Record<string, readonly string[]>>;
  for (const t of RECORD_TYPES) {
    out[t] = {};
    for (const [k, spec] of Object.entries(TYPES[t].fields)) {
      if (spec.values) out[t][k] = spec.values;
    }
  }
  return out;
}

/** Build a complete Config from the parsed crm.yaml (null/undefined for an empty file). */
export function resolveConfig(parsed: unknown): Config {
  const raw = parsed === null || parsed === undefined ? {} : parsed;
  if (!isMap(raw)) throw new ConfigError('crm.yaml must be a map of settings', '');

  const users: User[] = [];
  if (raw.users !== undefined && raw.users !== null) {
    if (!Array.isArray(raw.users)) throw new ConfigError('`users` must be a list', 'users');
    for (const [i, u] of raw.users.entries()) {
      if (typeof u === 'string') {
        users.push({ handle: u });
        continue;
      }
      if (!isMap(u) || typeof u.handle !== 'string' || !u.handle) {
        throw new ConfigError(`users[${i}] needs a \`handle\``, 'users');
      }
      users.push({
        handle: u.handle,
        ...(typeof u.name === 'string' ? { name: u.name } : {}),
        ...(typeof u.email === 'string' ? { email: u.email } : {}),
      });
    }
  }

  let stages = DEFAULT_STAGES;
  const pipeline = raw.pipeline;
  if (isMap(pipeline) && pipeline.stages !== undefined && pipeline.stages !== null) {
    if (!Array.isArray(pipeline.stages) || pipeline.stages.length === 0) {
      throw new ConfigError('`pipeline.stages` must be a non-empty list', 'pipeline');
    }
    stages = pipeline.stages.map((s, i): Stage => {
      if (typeof s === 'string') return { id: s, probability: 0 };
      if (!isMap(s) || typeof s.id !== 'string') {
        throw new ConfigError(`pipeline.stages[${i}] needs an \`id\``, 'pipeline');
      }
      const p = s.probability ?? (s.closed === 'won' ? 1 : 0);
      if (typeof p !== 'number' || p < 0 || p > 1) {
        throw new ConfigError(
          `pipeline.stages[${i}].probability must be a number from 0 to 1`,
          'pipeline',
        );
      }
      if (s.closed !== undefined && s.closed !== 'won' && s.closed !== 'lost') {
        throw new ConfigError(`pipeline.stages[${i}].closed must be won or lost`, 'pipeline');
      }
      return { id: s.id, probability: p, ...(s.closed ? { closed: s.closed } : {}) };
    });
  }

  const sla: Record<string, Sla> = { ...DEFAULT_SLA };
  const casesCfg = raw.cases;
  if (isMap(casesCfg) && isMap(casesCfg.sla)) {
    for (const [prio, target] of Object.entries(casesCfg.sla)) {
      if (!isMap(target)) throw new ConfigError(`cases.sla.${prio} must be a map`, 'cases');
      const fr = target.first_response;
      const rs = target.resolution;
      if (typeof fr !== 'number' || typeof rs !== 'number') {
        throw new ConfigError(
          `cases.sla.${prio} needs numeric first_response and resolution (hours)`,
          'cases',
        );
      }
      sla[prio] = { first_response: fr, resolution: rs };
    }
  }

  const values = defaultValues();
  for (const t of RECORD_TYPES) {
    const section = raw[TYPES[t].folder];
    if (!isMap(section)) continue;
    for (const [field, list] of Object.entries(section)) {
      if (t === 'case' && field === 'sla') continue;
      if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' || typeof x === 'number')) {
        throw new ConfigError(
          `${TYPES[t].folder}.${field} must be a list of allowed values`,
          TYPES[t].folder,
        );
      }
      values[t][field] = list.map(String);
    }
  }

  let commit = true;
  if (isMap(raw.git) && raw.git.commit === false) commit = false;

  return {
    name: str(raw.name, 'name', 'CRM'),
    currency: str(raw.currency, 'currency', 'EUR'),
    timezone: str(raw.timezone, 'timezone', 'UTC'),
    users,
    pipeline: { stages },
    cases: { sla },
    values,
    commit,
    raw,
  };
}

export function openStages(config: Config): Stage[] {
  return config.pipeline.stages.filter((s) => !s.closed);
}

export function stageById(config: Config, id: string): Stage | undefined {
  return config.pipeline.stages.find((s) => s.id === id);
}
