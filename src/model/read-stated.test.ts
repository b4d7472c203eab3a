import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readStated } from './read-stated.js';

const dir = mkdtempSync(join(tmpdir(), 'crm-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readStated', () => {
  const file = join(dir, 'a.md');
  const text = 'name: Città\n'.repeat(10);
  writeFileSync(file, text);
  const size = Buffer.byteLength(text);

  it('reads the file as UTF-8 when the size is right', () => {
    expect(readStated(file, size)).toBe(text);
    expect(readStated(file, 0 + size)).toBe(text);
  });

  it('reads it whole when it grew after the stat', () => {
    expect(readStated(file, size - 7)).toBe(text);
    expect(readStated(file, 0)).toBe(text);
  });

  it('reads what is there when it shrank after the stat', () => {
    expect(readStated(file, size + 100)).toBe(text);
  });

  it('reads files larger than its buffer, and empty files', () => {
    const big = 'x'.repeat(200_000);
    writeFileSync(join(dir, 'big.md'), big);
    expect(readStated(join(dir, 'big.md'), big.length)).toBe(big);
    writeFileSync(join(dir, 'empty.md'), '');
    expect(readStated(join(dir, 'empty.md'), 0)).toBe('');
  });

  it('throws for a missing file, as fs.readFileSync does', () => {
    expect(() => readStated(join(dir, 'missing.md'), 10)).toThrow(/ENOENT/);
  });
});
