import { describe, expect, it } from 'vitest';
import { localDate, offsetMs } from './time.js';

/** The offset as Intl states it part by part: the reference offsetMs must agree with. */
function reference(t: number, tz: string): number {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const p: Record<string, number> = {};
  for (const x of f.formatToParts(new Date(t))) if (x.type !== 'literal') p[x.type] = Number(x.value);
  const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
  return local - Math.floor(t / 1000) * 1000;
}

describe('offsetMs', () => {
  it('agrees with Intl part by part, every few hours over years, across daylight-saving changes', () => {
    const zones = ['Europe/Rome', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham', 'UTC'];
    for (const tz of zones) {
      for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * 3_600_000 + 13 * 60_000 + 7_000) {
        expect(offsetMs(t, tz), `${tz} ${new Date(t).toISOString()}`).toBe(reference(t, tz));
      }
    }
  });

  it('gives local dates either side of a change', () => {
    // Rome moved to summer time at 01:00 UTC on 2026-03-29.
    expect(localDate(Date.UTC(2026, 2, 28, 22, 59, 59), 'Europe/Rome')).toBe('2026-03-28');
    expect(localDate(Date.UTC(2026, 2, 28, 23, 0, 0), 'Europe/Rome')).toBe('2026-03-29');
    expect(localDate(Date.UTC(2026, 2, 29, 21, 59, 59), 'Europe/Rome')).toBe('2026-03-29');
    expect(localDate(Date.UTC(2026, 2, 29, 22, 0, 0), 'Europe/Rome')).toBe('2026-03-30');
  });
});
