/**
 * Reading a file whose size was just stat-ed: the index reads every
 * changed record file this way (src/model/cache.ts).
 */
import * as fs from 'node:fs';

/** One buffer for every file read while indexing (record files are a few KB). */
let readBuffer = Buffer.allocUnsafe(1 << 16);

/**
 * A file whose size was just stat-ed, read as UTF-8 with one read call
 * (fs.readFileSync needs a second to see the end of the file): asking for
 * one byte more than the size tells whether it grew meanwhile, and then
 * it is read whole.
 */
export function readStated(path: string, size: number): string {
  if (size + 1 > readBuffer.length) readBuffer = Buffer.allocUnsafe(Math.max(size + 1, readBuffer.length * 2));
  const fd = fs.openSync(path, 'r');
  let got = 0;
  try {
    for (;;) {
      const r = fs.readSync(fd, readBuffer, got, size + 1 - got, got);
      if (r <= 0) break;
      got += r;
      if (got > size) return fs.readFileSync(path, 'utf8');
      // The byte asked for beyond the stat-ed size did not come: that is the end of the file.
      if (got === size) break;
    }
  } finally {
    fs.closeSync(fd);
  }
  return readBuffer.toString('utf8', 0, got);
}
