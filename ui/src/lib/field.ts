// One form field's rules apart from its markup (`components/Field.svelte`): which control
// each kind of field is, which elements describe it, and the server's problems by field,
// worded in the screen's language.

import type { FieldProblem } from './api';
import { fieldErrorText, type Lang, type UiFieldCode } from './i18n';

/**
 * What a field asks for. `secret` is write-only: it never shows the stored value, says
 * whether one is stored, and an empty answer keeps it. `choice` is one of a list. `money`
 * is rupees (decimals allowed); `time` a time of day (`HH:MM`); `date` a day (`YYYY-MM-DD`).
 */
export type FieldKind = 'text' | 'secret' | 'number' | 'money' | 'phone' | 'switch' | 'choice' | 'time' | 'date';

/** The attributes that make a kind of field, besides its value. */
export type Control = {
  /** The `<input type>`; null for a `<select>` or a `<textarea>`. */
  type: 'text' | 'password' | 'tel' | 'checkbox' | 'time' | 'date' | null;
  inputmode?: 'numeric' | 'decimal' | 'tel';
  /** Keys, numbers and phone numbers read left to right on an Urdu screen too. */
  dir?: 'ltr';
  autocomplete?: 'off' | 'new-password';
  spellcheck?: false;
};

export function controlFor(kind: FieldKind, opts: { ltr?: boolean; multiline?: boolean } = {}): Control {
  switch (kind) {
    case 'text':
      return { type: opts.multiline ? null : 'text', ...(opts.ltr ? { dir: 'ltr', spellcheck: false } : {}) };
    case 'secret':
      // `new-password` keeps the browser from filling in a saved login password.
      return { type: 'password', dir: 'ltr', autocomplete: 'new-password', spellcheck: false };
    case 'number':
      return { type: 'text', inputmode: 'numeric', dir: 'ltr' };
    case 'money':
      return { type: 'text', inputmode: 'decimal', dir: 'ltr' };
    case 'time':
      return { type: 'time', dir: 'ltr' };
    case 'date':
      return { type: 'date', dir: 'ltr' };
    case 'phone':
      return { type: 'tel', inputmode: 'tel', dir: 'ltr' };
    case 'switch':
      return { type: 'checkbox' };
    case 'choice':
      return { type: null, ...(opts.ltr ? { dir: 'ltr' } : {}) };
  }
}

/** The ids of a field's elements; `uid` is unique per component instance. */
export type FieldIds = { control: string; hint: string; error: string; state: string };

export function fieldIds(uid: string, name: string): FieldIds {
  const base = `${uid}-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return { control: base, hint: `${base}-hint`, error: `${base}-error`, state: `${base}-state` };
}

/**
 * The control's `aria-describedby`: its error first (what to fix), then the hint, then a
 * secret's stored state; undefined when there is nothing.
 */
export function describedBy(ids: FieldIds, has: { error?: boolean; hint?: boolean; state?: boolean }): string | undefined {
  const parts = [has.error && ids.error, has.hint && ids.hint, has.state && ids.state].filter(
    (p): p is string => typeof p === 'string',
  );
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** A secret's stored state, for its badge. */
export function secretBadge(isSet: boolean): 'isSet' | 'notSet' {
  return isSet ? 'isSet' : 'notSet';
}

/** Problems by field name: the first one of each field. */
export type Problems = Record<string, FieldProblem>;

/** The server's field problems by field (a field the form does not show is kept too). */
export function problemsByField(fields: readonly FieldProblem[]): Problems {
  const out: Problems = {};
  for (const f of fields) if (!Object.hasOwn(out, f.field)) out[f.field] = f;
  return out;
}

/** A problem the dashboard found itself, before sending. */
export function localProblem(field: string, code: UiFieldCode): FieldProblem {
  return { field, code, message: '', params: {} };
}

/** Once a field is edited its old error no longer applies. */
export function clearProblem<P>(problems: Record<string, P>, field: string): Record<string, P> {
  if (!Object.hasOwn(problems, field)) return problems;
  const rest = { ...problems };
  delete rest[field];
  return rest;
}

/** Each field's error in the screen's language. */
export function problemTexts(problems: Problems, lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, p] of Object.entries(problems)) out[field] = fieldErrorText(p, lang);
  return out;
}

/** Problems for fields this form does not show, worded, to show beside the buttons. */
export function unplacedProblems(problems: Problems, shown: readonly string[], lang: Lang): string[] {
  return Object.entries(problems)
    .filter(([field]) => !shown.includes(field))
    .map(([, p]) => fieldErrorText(p, lang));
}
