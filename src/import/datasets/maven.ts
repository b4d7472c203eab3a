/**
 * Maven Analytics "CRM + Sales Opportunities" (../shared/datasets/
 * maven_crm_sales) → a CRM repository. Pure: CSV texts in, records out.
 *
 * Decisions (also listed in the generated README and docs/reports.md):
 * - Stages Prospecting > Engaging > Won / Lost become a pipeline
 *   prospecting (0.1), engaging (0.5), won, lost. Times are UTC; the
 *   dataset has dates only: a deal enters `engaging` at 09:00 of its
 *   engage_date and `won`/`lost` at 17:00 of its close_date, and
 *   `closed_on` is the close_date.
 * - A deal is `created` when it started engaging. Prospecting deals have no
 *   date at all: they are created at the snapshot date 2017-12-31 and
 *   marked `created_estimated: true`.
 * - Amount: the close_value of won deals. Lost deals carry close_value 0
 *   (a dataset trap, not a deal size) and open deals none: they get the
 *   list price of their product, marked `amount_estimated: true`.
 * - The pipeline writes the product "GTXPro" where the product list says
 *   "GTX Pro": matched to the list.
 * - 1,425 deals have no account: they keep no `account` key.
 * - Accounts become customers (status history) when their first deal is
 *   won; nothing in the dataset says that one stopped being a customer.
 * - Sales agents become users (handle = slug of the name); their manager
 *   and regional office are copied onto each deal as custom fields.
 */
import type { Data } from '../../model/frontmatter.js';
import { slugify } from '../../model/ids.js';
import { csvObjects } from './csv.js';
import type { ConvertedRecord, ConvertedRepo } from './repo.js';

export interface MavenFiles {
  pipeline: string;
  accounts: string;
  products: string;
  teams: string;
}

export const MAVEN_SNAPSHOT = '2017-12-31';

/** The pipeline's product names matched to the product list (the "GTXPro" trap). */
export function mavenProduct(name: string, known: ReadonlySet<string>): string {
  if (known.has(name)) return name;
  const squash = (s: string) => s.replace(/\s+/g, '').toLowerCase();
  for (const k of known) if (squash(k) === squash(name)) return k;
  return name;
}

export function convertMaven(files: MavenFiles): ConvertedRepo {
  const pipeline = csvObjects(files.pipeline);
  const accounts = csvObjects(files.accounts);
  const products = csvObjects(files.products);
  const teams = csvObjects(files.teams);

  const price = new Map(products.map((p) => [p.product!, Number(p.sales_price)]));
  const series = new Map(products.map((p) => [p.product!, p.series!]));
  const known = new Set(price.keys());
  const team = new Map(teams.map((t) => [t.sales_agent!, t]));
  const accountId = new Map(accounts.map((a) => [a.account!, slugify(a.account!)]));

  const records: ConvertedRecord[] = [];
  const firstEngage = new Map<string, string>();
  const firstWon = new Map<string, string>();

  for (const d of pipeline) {
    const stage = d.deal_stage!.toLowerCase();
    const product = mavenProduct(d.product!, known);
    const agent = team.get(d.sales_agent!);
    const account = d.account ? accountId.get(d.account) : undefined;
    const engage = d.engage_date || undefined;
    const close = d.close_date || undefined;
    const created = engage ? `${engage}T09:00:00Z` : `${MAVEN_SNAPSHOT}T09:00:00Z`;
    const history: Data[] = [];
    if (engage) history.push({ at: `${engage}T09:00:00Z`, to: 'engaging' });
    else history.push({ at: created, to: 'prospecting' });
    if (close && (stage === 'won' || stage === 'lost')) history.push({ at: `${close}T17:00:00Z`, from: 'engaging', to: stage });
    const won = stage === 'won';
    const amount = won ? Number(d.close_value) : price.get(product);
    const data: Data = {
      name: `${product} for ${d.account || 'an unnamed account'}`,
      ...(account ? { account } : {}),
      ...(amount !== undefined && Number.isFinite(amount) ? { amount } : {}),
      stage,
      ...(close && (stage === 'won' || stage === 'lost') ? { closed_on: close } : {}),
      owner: slugify(d.sales_agent!),
      product,
      ...(series.get(product) ? { series: series.get(product) } : {}),
      ...(agent ? { manager: agent.manager, regional_office: agent.regional_office } : {}),
      ...(!won ? { amount_estimated: true } : {}),
      ...(!engage ? { created_estimated: true } : {}),
      created,
      history,
    };
    records.push({ type: 'opportunity', id: d.opportunity_id!.toLowerCase(), data });
    if (account) {
      const e = engage ?? MAVEN_SNAPSHOT;
      if (!firstEngage.has(account) || e < firstEngage.get(account)!) firstEngage.set(account, e);
      if (won && close && (!firstWon.has(account) || close < firstWon.get(account)!)) firstWon.set(account, close);
    }
  }

  for (const a of accounts) {
    const id = accountId.get(a.account!)!;
    const start = firstEngage.get(id) ?? MAVEN_SNAPSHOT;
    const created = `${start}T08:00:00Z`;
    const wonOn = firstWon.get(id);
    const history: Data[] = [{ at: created, to: 'prospect' }];
    if (wonOn) history.push({ at: `${wonOn}T17:00:00Z`, from: 'prospect', to: 'customer' });
    const parent = a.subsidiary_of ? accountId.get(a.subsidiary_of) : undefined;
    records.push({
      type: 'account',
      id,
      data: {
        name: a.account,
        status: wonOn ? 'customer' : 'prospect',
        industry: a.sector,
        employees: Number(a.employees),
        annual_revenue: Math.round(Number(a.revenue) * 1_000_000),
        address: { country: a.office_location },
        ...(parent ? { parent } : {}),
        year_established: Number(a.year_established),
        created,
        history,
      },
    });
  }

  const users = [...team.keys()].sort().map((name) => ({ handle: slugify(name), name }));
  return {
    config: {
      name: 'Maven CRM sales (converted)',
      currency: 'USD',
      timezone: 'UTC',
      users,
      pipeline: {
        stages: [
          { id: 'prospecting', probability: 0.1 },
          { id: 'engaging', probability: 0.5 },
          { id: 'won', probability: 1, closed: 'won' },
          { id: 'lost', probability: 0, closed: 'lost' },
        ],
      },
    },
    records,
    notes: [
      'Source: Maven Analytics "CRM + Sales Opportunities" (fictitious company).',
      'Deals enter `engaging` at 09:00 UTC of engage_date and `won`/`lost` at 17:00 UTC of close_date.',
      `Prospecting deals have no date: created at the snapshot date ${MAVEN_SNAPSHOT} (created_estimated: true).`,
      'Amounts: close_value for won deals; the product list price for lost and open deals (amount_estimated: true), since lost deals carry close_value 0.',
      'Product "GTXPro" is matched to "GTX Pro" of the product list.',
      'Deals without an account keep no `account` key.',
    ],
  };
}
