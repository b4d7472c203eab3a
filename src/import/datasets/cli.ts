/** `node scripts/import-dataset.mjs maven|olist DATASET_DIR OUT_DIR` (bundled on the fly by the script). */
import { DATASETS, importDataset, type DatasetName } from './index.js';

const [name, src, out] = process.argv.slice(2);
if (!name || !src || !out || !(DATASETS as readonly string[]).includes(name)) {
  process.stderr.write('usage: node scripts/import-dataset.mjs maven|olist DATASET_DIR OUT_DIR\n');
  process.exit(2);
}
const started = Date.now();
const n = importDataset(name as DatasetName, src, out);
process.stderr.write(`${name}: wrote ${n} records to ${out} in ${Date.now() - started} ms\n`);
