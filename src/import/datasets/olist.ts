/**
 * Olist "Marketing Funnel" (../shared/datasets/olist_marketing_funnel) →
 * a CRM repository. Pure: CSV texts in, records out.
 *
 * Decisions (also in the generated README and docs/reports.md):
 * - Every marketing-qualified lead becomes a lead `created` at the first
 *   instant of its first_contact_date in São Paulo time
 *   (America/Sao_Paulo, the repository's time zone); `source` is its
 *   origin (crm.yaml lists the dataset's origins as the allowed values;
 *   a blank origin means no source).
 * - A closed deal converts its lead at won_date (read as São Paulo local
 *   time) and becomes an opportunity in stage `won`, created and won at
 *   that moment, `closed_on` its local date, `lead` the lead's id. One
 *   deal was won before its lead's first contact: both moments are moved
 *   to the lead's creation (`won_date_adjusted: true`).
 * - Olist deals have no value (declared_monthly_revenue is a seller's
 *   self-declared turnover, mostly 0): opportunities have no `amount`.
 * - Owners are the sales representatives (sr_id), as handles `sr-` + the
 *   first 8 hex digits; business segment, lead type and business type are
 *   custom fields of the deal (and the segment of the lead too).
 */
import type { Data } from '../../model/frontmatter.js';
import { formatMoment, localDate, startOfDay } from '../../reports/time.js';
import { csvObjects } from './csv.js';
import type { ConvertedRecord, ConvertedRepo } from './repo.js';

export const OLIST_TZ = 'America/Sao_Paulo';

export interface OlistFiles {
  leads: string;
  deals: string;
}

/** `2018-02-26 19:58:54` in São Paulo → epoch ms. */
export function saoPauloMoment(text: string): number {
  const [date, time = '00:00:00'] = text.trim().split(' ') as [string, string?];
  const [hh, mm, ss] = time.split(':').map(Number) as [number, number, number];
  return startOfDay(date, OLIST_TZ) + ((hh * 60 + mm) * 60 + (ss || 0)) * 1000;
}

export function convertOlist(files: OlistFiles): ConvertedRepo {
  const leads = csvObjects(files.leads);
  const deals = csvObjects(files.deals);
  const dealOf = new Map(deals.map((d) => [d.mql_id!, d]));
  const records: ConvertedRecord[] = [];
  const origins = new Set<string>();
  const reps = new Set<string>();
  let adjusted = 0;

  for (const l of leads) {
    const id = l.mql_id!;
    const created = startOfDay(l.first_contact_date!, OLIST_TZ);
    const createdText = formatMoment(created, OLIST_TZ);
    const source = l.origin || undefined;
    if (source) origins.add(source);
    const deal = dealOf.get(id);
    const history: Data[] = [{ at: createdText, to: 'new' }];
    let status = 'new';
    let converted: Data | undefined;
    if (deal) {
      let won = saoPauloMoment(deal.won_date!);
      const early = won < created;
      if (early) {
        won = created;
        adjusted++;
      }
      const wonText = formatMoment(won, OLIST_TZ);
      const owner = `sr-${deal.sr_id!.slice(0, 8)}`;
      reps.add(owner);
      status = 'converted';
      history.push({ at: wonText, from: 'new', to: 'converted' });
      converted = { at: wonText, opportunity: id };
      records.push({
        type: 'opportunity',
        id,
        data: {
          name: `${deal.business_segment || 'seller'} (${id.slice(0, 8)})`,
          stage: 'won',
          closed_on: localDate(won, OLIST_TZ),
          lead: id,
          ...(source ? { source } : {}),
          owner,
          ...(deal.business_segment ? { business_segment: deal.business_segment } : {}),
          ...(deal.lead_type ? { lead_type: deal.lead_type } : {}),
          ...(deal.business_type ? { business_type: deal.business_type } : {}),
          ...(early ? { won_date_adjusted: true } : {}),
          created: wonText,
          history: [{ at: wonText, to: 'won' }],
        },
      });
    }
    records.push({
      type: 'lead',
      id,
      data: {
        name: `MQL ${id.slice(0, 8)}`,
        ...(source ? { source } : {}),
        status,
        ...(converted ? { converted } : {}),
        ...(deal ? { owner: `sr-${deal.sr_id!.slice(0, 8)}` } : {}),
        landing_page: l.landing_page_id,
        created: createdText,
        history,
      },
    });
  }

  return {
    config: {
      name: 'Olist marketing funnel (converted)',
      currency: 'BRL',
      timezone: OLIST_TZ,
      users: [...reps].sort().map((handle) => ({ handle })),
      pipeline: { stages: [{ id: 'negotiation', probability: 0.5 }, { id: 'won', probability: 1, closed: 'won' }, { id: 'lost', probability: 0, closed: 'lost' }] },
      leads: { source: [...origins].sort() },
    },
    records,
    notes: [
      'Source: Olist "Marketing Funnel" (real, anonymised; CC BY-NC-SA 4.0).',
      'Leads are created at the first instant of first_contact_date in São Paulo; deals convert them at won_date (São Paulo time).',
      `${adjusted} deal(s) won before the lead's first contact: moved to the lead's creation (won_date_adjusted: true).`,
      'Deals have no amount in the dataset.',
    ],
  };
}
