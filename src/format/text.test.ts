import { describe, expect, it } from 'vitest';
import { alignedTable, truncate, width } from './text.js';

const yellow = (s: string) => `\u001b[33m${s}\u001b[39m`;

describe('aligned tables', () => {
  it('align coloured cells by what shows, not by their colour codes', () => {
    const out = alignedTable(['COMMIT', 'SUBJECT'], [[yellow('3b32d5d'), 'init'], [yellow('a1b2c3d'), 'add lead']]);
    const plain = out.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
    expect(plain).toEqual(['COMMIT   SUBJECT', '3b32d5d  init', 'a1b2c3d  add lead']);
  });

  it('measure and cut text with colour codes', () => {
    expect(width(yellow('abc'))).toBe(3);
    expect(truncate(yellow('abcdef'), 4)).toBe('abc…');
    expect(truncate(yellow('abc'), 4)).toBe(yellow('abc'));
  });
});
