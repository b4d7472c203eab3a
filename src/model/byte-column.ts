/**
 * Texts kept as UTF-8 in one growing Buffer, outside the JavaScript heap,
 * each taken back by its number. Building the index for the first time
 * holds every record's front matter until the index is written; as
 * 100,000 strings that is most of what the garbage collector copies.
 */
export class ByteColumn {
  private buf = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private ends: number[] = [];

  /** Adds a text; returns its number. */
  push(text: string): number {
    const most = text.length * 3;
    if (this.used + most > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + most));
      this.buf.copy(next, 0, 0, this.used);
      this.buf = next;
    }
    this.used += this.buf.write(text, this.used, 'utf8');
    this.ends.push(this.used);
    return this.ends.length - 1;
  }

  private start(i: number): number {
    return i === 0 ? 0 : this.ends[i - 1]!;
  }

  take(i: number): string {
    return this.buf.toString('utf8', this.start(i), this.ends[i]);
  }

  /** Its size in bytes. */
  size(i: number): number {
    return this.ends[i]! - this.start(i);
  }

  /** Copies text `i` into `target` at `at`; returns the bytes copied. */
  copyTo(i: number, target: Buffer, at: number): number {
    return this.buf.copy(target, at, this.start(i), this.ends[i]);
  }
}
