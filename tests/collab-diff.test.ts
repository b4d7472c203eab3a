/**
 * `crm diff` golden tests on a real branch: records added, removed, fields
 * old → new, stage/status moves and a conversion, as rows, Markdown and
 * JSON; `A...B` against `A..B`; the working tree against HEAD.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, crm, emptyRepo, git } from './helpers.js';

const LATER = { CRM_NOW: '2026-11-21T09:00:00Z' };

function ok(dir: string, args: readonly string[], env = {}): string {
  const r = crm(dir, args, env);
  if (r.code !== 0) throw new Error(`crm ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

const ROWS = [
  'added\taccount/roe-ltd\t\t\tRoe Ltd',
  'added\tcontact/jane-roe\t\t\tJane Roe',
  'added\topportunity/roe-ltd-new-deal\t\t\tRoe Ltd: new deal',
  'changed\taccount/acme-srl\tindustry\tretail\tmanufacturing',
  'changed\taccount/acme-srl\ttags\t\tkey-account',
  'changed\tlead/jane-roe\tstatus\tnew\tconverted',
  'converted\tlead/jane-roe\t\t\taccount/roe-ltd, contact/jane-roe, opportunity/roe-ltd-new-deal',
  'changed\topportunity/acme-renewal\tamount\t12,000\t15,000',
  'changed\topportunity/acme-renewal\tstage\tproposal\tnegotiation',
  'changed\topportunity/acme-renewal\tnotes\t\t(changed)',
  'removed\tcontact/mario-rossi\t\tMario Rossi\t',
];

const MARKDOWN = `## CRM changes

**3 added, 3 changed, 1 removed, 2 stage/status moves, 1 conversion**

#### Added

- account \`roe-ltd\` — Roe Ltd
- contact \`jane-roe\` — Jane Roe
- opportunity \`roe-ltd-new-deal\` — Roe Ltd: new deal

#### Changed

- account \`acme-srl\` — Acme Srl
  - industry: retail → manufacturing
  - tags: _(none)_ → key-account
- lead \`jane-roe\` — Jane Roe
  - status: new → converted
- opportunity \`acme-renewal\` — Acme renewal
  - amount: 12,000 → 15,000
  - stage: proposal → negotiation
  - notes changed

#### Removed

- contact \`mario-rossi\` — Mario Rossi

#### Stage and status moves

| Record | From | To |
|---|---|---|
| lead \`jane-roe\` — Jane Roe | new | converted |
| opportunity \`acme-renewal\` — Acme renewal | proposal | negotiation |

#### Conversions

- lead \`jane-roe\` → account \`roe-ltd\`, contact \`jane-roe\`, opportunity \`roe-ltd-new-deal\`
`;

describe('crm diff', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = emptyRepo();
    ok(dir, ['account', 'add', 'Acme Srl', '--industry', 'retail']);
    ok(dir, ['contact', 'add', 'Mario Rossi', '--account', 'acme-srl', '--email', 'mario@acme.example']);
    ok(dir, ['lead', 'add', 'Jane Roe', '--company', 'Roe Ltd', '--source', 'web']);
    ok(dir, ['opp', 'add', 'Acme renewal', '--account', 'acme-srl', '--amount', '12000', '--stage', 'proposal', '--expected-close', '2026-12-15']);
    git(dir, ['checkout', '-q', '-b', 'feature']);
    ok(dir, ['set', 'acme-renewal', 'stage=negotiation', 'amount=15000'], LATER);
    ok(dir, ['lead', 'convert', 'jane-roe', '--amount', '8000'], LATER);
    ok(dir, ['delete', 'contact/mario-rossi', '--yes', '--force'], LATER);
    ok(dir, ['set', 'acme-srl', 'industry=manufacturing', 'tags=[key-account]'], LATER);
    appendFileSync(join(dir, 'opportunities/acme-renewal.md'), '\nCalled Mario: renewal likely.\n');
    git(dir, ['commit', '-qam', 'notes on the renewal']);
    // main moves on after the branch was made
    git(dir, ['checkout', '-q', 'main']);
    ok(dir, ['case', 'open', 'Invoice shows wrong VAT', '--account', 'acme-srl'], LATER);
    git(dir, ['checkout', '-q', 'feature']);
  });
  afterAll(cleanup);

  it('lists what a branch adds as rows (main...feature)', () => {
    const r = crm(dir, ['diff', 'main...feature']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${ROWS.join('\n')}\n`);
    expect(r.stderr).toMatch(/^the common ancestor of main and feature \([0-9a-f]{7}\) → feature \([0-9a-f]{7}\): 3 added, 3 changed, 1 removed, 2 stage\/status moves, 1 conversion\n$/);
  });

  it('writes Markdown for a pull request', () => {
    const r = crm(dir, ['diff', 'main...feature', '--format', 'md']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(MARKDOWN);
  });

  it('prints JSON with the fields, moves and the conversion', () => {
    const r = crm(dir, ['diff', 'main...feature', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      from: { rev: string; commit: string };
      to: { rev: string; commit: string };
      counts: Record<string, number>;
      changes: { change: string; type: string; id: string; fields: { key: string; before?: unknown; after?: unknown }[]; move?: unknown; conversion?: unknown; body: boolean }[];
    };
    expect(j.counts).toEqual({ added: 3, changed: 3, removed: 1, unreadable: 0 });
    expect(j.to.commit).toBe(git(dir, ['rev-parse', 'feature']).trim());
    expect(j.from.commit).toBe(git(dir, ['merge-base', 'main', 'feature']).trim());
    const opp = j.changes.find((c) => c.id === 'acme-renewal')!;
    expect(opp.fields).toEqual([
      { key: 'amount', before: 12000, after: 15000 },
      { key: 'stage', before: 'proposal', after: 'negotiation' },
    ]);
    expect(opp.move).toEqual({ key: 'stage', from: 'proposal', to: 'negotiation' });
    expect(opp.body).toBe(true);
    expect(j.changes.find((c) => c.id === 'jane-roe' && c.type === 'lead')!.conversion).toEqual({
      lead: 'jane-roe',
      account: 'roe-ltd',
      contact: 'jane-roe',
      opportunity: 'roe-ltd-new-deal',
    });
  });

  it('A..B compares the two tips: what main has and the branch lacks shows as removed', () => {
    const two = crm(dir, ['diff', 'main..feature']);
    expect(two.code).toBe(0);
    expect(two.stdout).toContain('removed\tcase/');
    const three = crm(dir, ['diff', 'main...feature']);
    expect(three.stdout).not.toContain('case/');
  });

  it('defaults to the working tree against HEAD, and takes one revision', () => {
    expect(crm(dir, ['diff']).stdout).toBe('');
    expect(crm(dir, ['diff']).stderr).toMatch(/HEAD \([0-9a-f]{7}\) → the working tree: 0 added, 0 changed, 0 removed/);
    ok(dir, ['--no-commit', 'set', 'roe-ltd-new-deal', 'amount=9000']);
    expect(crm(dir, ['diff']).stdout).toBe('changed\topportunity/roe-ltd-new-deal\tamount\t8,000\t9,000\n');
    expect(crm(dir, ['diff', 'HEAD~1']).stdout).toContain('changed\topportunity/acme-renewal\tnotes\t\t(changed)\n');
    git(dir, ['checkout', '-q', '--', '.']);
  });

  it('says so for an unknown revision (exit 2)', () => {
    const r = crm(dir, ['diff', 'nope..feature']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown revision "nope"');
    expect(r.stderr).toContain('hint: Name a branch');
  });
});
