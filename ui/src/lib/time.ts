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

// The shop's one date format, everywhere (day summary, call log, order history, CSV):
// `03 Dec 2026`, in Urdu `03 دسمبر 2026`; times `14:05`. Built from the date's parts, never
// from the browser's locale, so every screen and every browser shows the same.

const MONTHS = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  ur: ['جنوری', 'فروری', 'مارچ', 'اپریل', 'مئی', 'جون', 'جولائی', 'اگست', 'ستمبر', 'اکتوبر', 'نومبر', 'دسمبر'],
} as const;

/** The dashboard's languages. */
export type DateLang = keyof typeof MONTHS;

function dayMonthYear(y: number, month: number, d: number, lang: DateLang): string {
  return `${String(d).padStart(2, '0')} ${MONTHS[lang][month]} ${y}`;
}

/** An instant's local date in the shop's format: `03 Dec 2026`, `03 دسمبر 2026`; '' if not a time. */
export function formatDate(time: string | Date, lang: DateLang): string {
  const d = typeof time === 'string' ? new Date(time) : time;
  if (Number.isNaN(d.getTime())) return '';
  return dayMonthYear(d.getFullYear(), d.getMonth(), d.getDate(), lang);
}

/** An instant as local date and 24-hour time: `03 Dec 2026, 14:05` (Urdu: `03 دسمبر 2026، 14:05`). */
export function formatDateTime(time: string, lang: DateLang): string {
  const date = formatDate(time, lang);
  return date === '' ? '' : `${date}${lang === 'ur' ? '،' : ','} ${clockTime(time)}`;
}

/**
 * A business date (`YYYY-MM-DD`, no time zone) in the shop's format: `2026-12-03` →
 * `03 Dec 2026`. The text back unchanged when it is not such a date.
 */
export function formatBusinessDate(date: string, lang: DateLang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return date;
  return dayMonthYear(y, mo - 1, d, lang);
}

/** The business date `days` after `date` (negative: before), as `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return t.toISOString().slice(0, 10);
}
