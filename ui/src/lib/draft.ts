// What the owner's editors share: keys for `{#each}`, ids made from names, and the checks
// made before sending, whose problems carry the same field paths the server uses
// (`deals[0].price`) so they show beside the same fields.

import type { FieldProblem, Weekday } from './api';
import type { UiFieldCode } from './i18n';
import { parseRupees } from './money';

/** The week as the shop's settings and deals name it, Monday first. */
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

let nextKey = 1;

/** A key unique on this page: rows keep their DOM (and focus) while others come and go. */
export function newKey(): number {
  return nextKey++;
}

/** An id from a name: `Chicken Tikka` → `chicken-tikka`; `1.5 L` → `1.5-l`. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 40);
}

/** The id sent: the one typed, else one made from the name. */
export function idOf(id: string, name: string): string {
  return id.trim() || slugify(name);
}

/** A trimmed text, or undefined when blank (optional fields are left out, not sent empty). */
export function optionalText(text: string): string | undefined {
  const t = text.trim();
  return t === '' ? undefined : t;
}

/** The problems the dashboard finds before sending; worded like the server's by code. */
export class Check {
  readonly problems: FieldProblem[] = [];

  add(field: string, code: UiFieldCode | 'required' | 'invalid'): void {
    this.problems.push({ field, code, message: '', params: {} });
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  /** Rupees typed as paisa; 0 (and a problem) when it is not an amount. */
  rupees(text: string, field: string): number {
    const paisa = parseRupees(text);
    if (paisa === null) this.add(field, 'rupees');
    return paisa ?? 0;
  }

  /** Rupees, or undefined when left blank. */
  optionalRupees(text: string, field: string): number | undefined {
    return text.trim() === '' ? undefined : this.rupees(text, field);
  }

  /** A whole number typed; 0 (and a problem) when it is not one. */
  whole(text: string, field: string): number {
    const t = text.trim();
    if (!/^\d{1,5}$/.test(t)) {
      this.add(field, 'whole_number');
      return 0;
    }
    return Number(t);
  }

  /** A percentage with up to two decimals as basis points: `16` → 1600, `2.5` → 250. */
  percent(text: string, field: string): number {
    const t = text.trim().replace(/\s*%$/, '');
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(t)) {
      this.add(field, 'percent');
      return 0;
    }
    const [whole, frac = ''] = t.split('.');
    return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  }

  /** A time of day, `HH:MM` (what `<input type=time>` gives); a blank one is a problem. */
  time(text: string, field: string): string {
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(text)) this.add(field, text === '' ? 'required' : 'invalid');
    return text;
  }
}

/** Basis points as the percentage the owner reads: 1600 → `16`, 250 → `2.5`. */
export function basisPointsToPercentText(bp: number): string {
  return String(bp / 100);
}
