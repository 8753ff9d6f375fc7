import { describe, expect, it } from 'vitest';
import { dayWindow, daysBack } from '../../src/budget/day.js';

const H = 3_600_000;

describe('calendar-day windows in budget_timezone', () => {
  it('UTC days start at 00:00Z', () => {
    const w = dayWindow(Date.parse('2026-11-22T13:45:00Z'), 'UTC');
    expect(w).toEqual({ day: '2026-11-22', start: Date.parse('2026-11-22T00:00:00Z'), end: Date.parse('2026-11-23T00:00:00Z') });
  });

  it('a non-UTC zone resets at its local midnight', () => {
    // 03:30 UTC on the 22nd is still the 21st in New York (UTC-5 in November)
    const w = dayWindow(Date.parse('2026-11-22T03:30:00Z'), 'America/New_York');
    expect(w.day).toBe('2026-11-21');
    expect(new Date(w.start).toISOString()).toBe('2026-11-21T05:00:00.000Z');
    expect(new Date(w.end).toISOString()).toBe('2026-11-22T05:00:00.000Z');
    // one minute after local midnight it is the next day
    expect(dayWindow(w.end + 60_000, 'America/New_York').day).toBe('2026-11-22');
    expect(dayWindow(w.end - 1, 'America/New_York').day).toBe('2026-11-21');
  });

  it('spring-forward day is 23 hours, fall-back day is 25 hours', () => {
    const spring = dayWindow(Date.parse('2026-03-08T15:00:00Z'), 'America/New_York');
    expect(spring.day).toBe('2026-03-08');
    expect((spring.end - spring.start) / H).toBe(23);
    const fall = dayWindow(Date.parse('2026-11-01T15:00:00Z'), 'America/New_York');
    expect(fall.day).toBe('2026-11-01');
    expect((fall.end - fall.start) / H).toBe(25);
    expect(new Date(fall.start).toISOString()).toBe('2026-11-01T04:00:00.000Z');
  });

  it('zones east of UTC and with half-hour offsets', () => {
    const w = dayWindow(Date.parse('2026-06-30T20:00:00Z'), 'Asia/Kolkata'); // 01:30 IST on Jul 1
    expect(w.day).toBe('2026-07-01');
    expect(new Date(w.start).toISOString()).toBe('2026-06-30T18:30:00.000Z');
  });

  it('daysBack goes back whole local days', () => {
    const now = Date.parse('2026-11-03T12:00:00Z');
    expect(new Date(daysBack(now, 'America/New_York', 6)).toISOString()).toBe('2026-10-28T04:00:00.000Z');
  });
});
