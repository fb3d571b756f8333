import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addDays, clockTime, formatBusinessDate, formatDate, formatDateTime } from './time';

// Local times are built from local parts, so the tests hold in any time zone the runner has.
const local = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo - 1, d, h, mi).toISOString();

describe('the shop date format', () => {
  it('is day, month name and year in English and Urdu, zero-padded', () => {
    const t = local(2026, 12, 3, 14, 5);
    expect(formatDate(t, 'en')).toBe('03 Dec 2026');
    expect(formatDate(t, 'ur')).toBe('03 دسمبر 2026');
    expect(formatDate(local(2027, 1, 21, 0, 0), 'ur')).toBe('21 جنوری 2027');
    expect(formatDate(local(2027, 5, 9, 23, 59), 'en')).toBe('09 May 2027');
    expect(formatDate(local(2027, 5, 9, 23, 59), 'ur')).toBe('09 مئی 2027');
  });

  it('adds a 24-hour time', () => {
    expect(formatDateTime(local(2026, 12, 3, 14, 5), 'en')).toBe('03 Dec 2026, 14:05');
    expect(formatDateTime(local(2026, 12, 3, 9, 7), 'ur')).toBe('03 دسمبر 2026، 09:07');
    expect(clockTime(local(2026, 12, 3, 0, 0))).toBe('00:00');
  });

  it('gives nothing for a time that is not one', () => {
    expect(formatDate('not a time', 'en')).toBe('');
    expect(formatDateTime('', 'ur')).toBe('');
  });

  it('formats a business date without moving it by the time zone', () => {
    expect(formatBusinessDate('2026-12-03', 'en')).toBe('03 Dec 2026');
    expect(formatBusinessDate('2026-02-28', 'ur')).toBe('28 فروری 2026');
    expect(formatBusinessDate('2026-13-03', 'en')).toBe('2026-13-03');
    expect(formatBusinessDate('', 'en')).toBe('');
  });

  it('steps business dates across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });
});

describe('the format does not follow the browser locale', () => {
  const original = Date.prototype.toLocaleDateString;
  beforeEach(() => {
    // A browser whose locale would print 12/03/2026 changes nothing.
    Date.prototype.toLocaleDateString = () => '12/03/2026';
    vi.stubGlobal('navigator', { language: 'en-US', languages: ['en-US'] });
  });
  afterEach(() => {
    Date.prototype.toLocaleDateString = original;
    vi.unstubAllGlobals();
  });

  it('is the same in an en-US browser', () => {
    expect(formatDate(local(2026, 12, 3, 14, 5), 'en')).toBe('03 Dec 2026');
  });
});
