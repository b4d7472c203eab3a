/** The four output formats of every report. */
import type { Envelope } from '../types.js';
import { renderCsv } from './csv.js';
import type { RenderOptions } from './format.js';
import { renderMarkdown } from './md.js';
import { renderTable } from './table.js';

export const FORMATS = ['table', 'md', 'csv', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export function render(env: Envelope, format: Format, o: RenderOptions): string {
  switch (format) {
    case 'json':
      return JSON.stringify(env, null, 2);
    case 'csv':
      return renderCsv(env);
    case 'md':
      return renderMarkdown(env, o);
    case 'table':
      return renderTable(env, o);
  }
}

export { PLAIN, type RenderOptions, type Styles } from './format.js';
