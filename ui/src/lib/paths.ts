// Field paths as the server names them (`deals[2].slots[0].sizes`,
// `option_groups[1].options[0].prices.large`), and where a form shows each problem: at the
// field itself, else at the nearest enclosing thing the form shows (a per-size price at
// its prices, an option group's id in an item's list at that list).

import type { FieldProblem } from './api';
import { fieldErrorText, type Lang } from './i18n';
import { paisaToRupeeText } from './money';

/** `a[0].b` → `a[0]`, `a[0]` → `a`, `a.b.c` → `a.b`, `a` → null. */
export function parentPath(path: string): string | null {
  const m = /^(.+?)(\[[^\]]*\]|\.[^.[\]]*)$/.exec(path);
  if (!m) return null;
  // `prices.1.5l`: the id's own dot is just another step up.
  return m[1]!;
}

/** Where a problem at `path` shows: the path itself or its nearest shown parent; else null. */
export function placeField(path: string, shown: ReadonlySet<string>): string | null {
  for (let p: string | null = path; p !== null; p = parentPath(p)) if (shown.has(p)) return p;
  return null;
}

/** Fields typed in rupees, whose limits the server gives in paisa. */
const MONEY = /(^|\.)(price|fee|min_order|free_above)$|\.(prices|surcharges)(\.|$)/;
/** Fields typed in percent, whose limits the server gives in basis points. */
const PERCENT = /^tax\.rates_bp(\.|$)/;

/**
 * A problem's limits in the units its field is typed in: rupees for money (the server
 * says paisa), percent for tax rates (the server says basis points).
 */
export function inFieldUnits(p: FieldProblem): FieldProblem {
  const convert = MONEY.test(p.field)
    ? (n: number) => paisaToRupeeText(n)
    : PERCENT.test(p.field)
      ? (n: number) => String(n / 100)
      : null;
  if (convert === null) return p;
  const params = { ...p.params };
  for (const k of ['min', 'max', 'minimum', 'total']) {
    const v = params[k];
    if (v !== undefined && /^\d+$/.test(v)) params[k] = convert(Number(v));
  }
  return { ...p, params };
}

export type Placed = {
  /** Each shown field's problems, worded and joined. */
  at: Record<string, string>;
  /** Problems that belong to nothing the form shows, worded (English names the path). */
  rest: string[];
};

/** The problems worded in the screen's language, each at its place in the form. */
export function placeProblems(problems: readonly FieldProblem[], shown: ReadonlySet<string>, lang: Lang): Placed {
  const lists: Record<string, string[]> = {};
  const rest: string[] = [];
  for (const p of problems) {
    const text = fieldErrorText(inFieldUnits(p), lang);
    const at = placeField(p.field, shown);
    if (at === null) {
      // The path helps in English; on an Urdu screen it would be Latin noise.
      const line = lang === 'en' && p.field !== '' ? `${p.field}: ${text}` : text;
      if (!rest.includes(line)) rest.push(line);
    } else {
      const list = (lists[at] ??= []);
      if (!list.includes(text)) list.push(text);
    }
  }
  const at: Record<string, string> = {};
  for (const [field, texts] of Object.entries(lists)) at[field] = texts.join(' ');
  return { at, rest };
}

/** How many placed problems fall under each top-level part (`items`, `deals`…). */
export function countByPart(placed: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const field of Object.keys(placed)) {
    const part = /^[^.[]+/.exec(field)?.[0] ?? field;
    out[part] = (out[part] ?? 0) + 1;
  }
  return out;
}
