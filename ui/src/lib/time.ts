// Times and business days.

/** Milliseconds since the epoch of an RFC 3339 time, or NaN. */
export function ms(time: string): number {
  return Date.parse(time);
}

/**
 * The shop's business day at `now`, as YYYY-MM-DD: the local date, counted from
 * `dayStartsAt` o'clock (a shop open till 3 AM still counts those orders as the day before).
 */
export function businessDate(now: Date, dayStartsAt = 5): string {
  const shifted = new Date(now.getTime() - dayStartsAt * 3_600_000);
  const y = shifted.getFullYear();
  const m = String(shifted.getMonth() + 1).padStart(2, '0');
  const d = String(shifted.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Whole minutes and seconds elapsed: `754_000` → `12:34`; hours roll into minutes. */
export function formatAge(elapsedMs: number): string {
  const total = Math.max(0, Math.floor(elapsedMs / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/** Seconds as `3:05`. */
export function formatDuration(seconds: number | null): string {
  return seconds === null ? '—' : formatAge(seconds * 1000);
}

/** A local clock time for a ticket or log: `18:05`. */
export function clockTime(time: string): string {
  const d = new Date(time);
  if (Number.isNaN(d.getTime())) return '';
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
