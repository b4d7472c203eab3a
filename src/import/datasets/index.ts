/**
 * Convert a public dataset of ../shared/datasets into a CRM repository
 * directory. Used by the real-data report tests and by
 * `node scripts/import-dataset.mjs maven|olist DATASET_DIR OUT_DIR`.
 * The dataset files are only read, never changed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertMaven } from './maven.js';
import { convertOlist } from './olist.js';
import { writeRepository, type ConvertedRepo } from './repo.js';

export const DATASETS = ['maven', 'olist'] as const;
export type DatasetName = (typeof DATASETS)[number];

export function convertDataset(name: DatasetName, datasetDir: string): ConvertedRepo {
  const read = (f: string) => readFileSync(join(datasetDir, f), 'utf8');
  if (name === 'maven') {
    return convertMaven({ pipeline: read('sales_pipeline.csv'), accounts: read('accounts.csv'), products: read('products.csv'), teams: read('sales_teams.csv') });
  }
  return convertOlist({ leads: read('olist_marketing_qualified_leads_dataset.csv'), deals: read('olist_closed_deals_dataset.csv') });
}

/** Convert and write; returns the number of records written. */
export function importDataset(name: DatasetName, datasetDir: string, outDir: string): number {
  const repo = convertDataset(name, datasetDir);
  writeRepository(outDir, repo);
  return repo.records.length;
}

export { convertMaven, convertOlist, writeRepository };
