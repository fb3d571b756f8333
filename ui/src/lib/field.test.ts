import { describe, expect, it } from 'vitest';
import type { FieldProblem } from './api';
import {
  clearProblem,
  controlFor,
  describedBy,
  fieldIds,
  localProblem,
  problemsByField,
  problemTexts,
  secretBadge,
  unplacedProblems,
} from './field';

function problem(field: string, code: string | null, message = '', params: Record<string, string> = {}): FieldProblem {
  return { field, code, message, params };
}

describe('a form field', () => {
  it('is the control its kind needs', () => {
    expect(controlFor('text')).toEqual({ type: 'text' });
    expect(controlFor('text', { ltr: true })).toEqual({ type: 'text', dir: 'ltr', spellcheck: false });
    expect(controlFor('text', { multiline: true }).type).toBeNull();
    // A secret is never shown, reads left to right, and the browser must not fill a login in.
    expect(controlFor('secret')).toEqual({ type: 'password', dir: 'ltr', autocomplete: 'new-password', spellcheck: false });
    expect(controlFor('number')).toEqual({ type: 'text', inputmode: 'numeric', dir: 'ltr' });
    expect(controlFor('money')).toEqual({ type: 'text', inputmode: 'decimal', dir: 'ltr' });
    expect(controlFor('time')).toEqual({ type: 'time', dir: 'ltr' });
    expect(controlFor('date')).toEqual({ type: 'date', dir: 'ltr' });
    expect(controlFor('phone')).toEqual({ type: 'tel', inputmode: 'tel', dir: 'ltr' });
    expect(controlFor('switch')).toEqual({ type: 'checkbox' });
    expect(controlFor('choice', { ltr: true })).toEqual({ type: null, dir: 'ltr' });
  });

  it('has ids of its own, safe for any field path', () => {
    const a = fieldIds('s1', 'shop_name');
    expect(a).toEqual({ control: 's1-shop_name', hint: 's1-shop_name-hint', error: 's1-shop_name-error', state: 's1-shop_name-state' });
    expect(fieldIds('s2', 'shop_name').control).not.toBe(a.control);
    expect(fieldIds('s1', 'items[0].sizes[1].price').control).toBe('s1-items_0__sizes_1__price');
  });

  it('is described by its error first, then its hint, then a secret’s state', () => {
    const ids = fieldIds('s1', 'openai_api_key');
    expect(describedBy(ids, {})).toBeUndefined();
    expect(describedBy(ids, { hint: true })).toBe(ids.hint);
    expect(describedBy(ids, { error: true, hint: true, state: true })).toBe(`${ids.error} ${ids.hint} ${ids.state}`);
    expect(describedBy(ids, { error: true, state: true })).toBe(`${ids.error} ${ids.state}`);
  });

  it('says whether a secret is stored, never what it is', () => {
    expect(secretBadge(true)).toBe('isSet');
    expect(secretBadge(false)).toBe('notSet');
  });
});

describe('the problems of a form', () => {
  it('keeps the first problem of each field', () => {
    const first = problem('shop_phone', 'phone_invalid', 'not a number');
    const problems = problemsByField([first, problem('eta_minutes', 'out_of_range'), problem('shop_phone', 'required')]);
    expect(problems).toEqual({ shop_phone: first, eta_minutes: problem('eta_minutes', 'out_of_range') });
  });

  it('forgets a field’s problem once it is edited', () => {
    const problems = problemsByField([problem('shop_name', 'required'), problem('greeting', 'too_long')]);
    expect(Object.keys(clearProblem(problems, 'shop_name'))).toEqual(['greeting']);
    expect(clearProblem(problems, 'nothing')).toBe(problems);
    expect(clearProblem(problems, 'toString')).toBe(problems);
  });

  it('words each problem in the screen’s language, and re-words it when the language changes', () => {
    const problems = problemsByField([
      problem('eta_minutes', 'out_of_range', '0 is out of range; use a number from 5 to 180', { min: '5', max: '180' }),
      localProblem('red_after_minutes', 'whole_number'),
    ]);
    expect(problemTexts(problems, 'en')).toEqual({ eta_minutes: 'Use a number from 5 to 180.', red_after_minutes: 'Enter a whole number.' });
    expect(problemTexts(problems, 'ur')).toEqual({ eta_minutes: '5 سے 180 تک کوئی عدد لکھیں۔', red_after_minutes: 'پورا عدد لکھیں۔' });
  });

  it('finds the problems of fields the form does not show', () => {
    const problems = problemsByField([problem('shop_name', 'required'), problem('body', null, 'unexpected field')]);
    expect(unplacedProblems(problems, ['shop_name', 'greeting'], 'en')).toEqual(['unexpected field']);
    expect(unplacedProblems(problems, ['shop_name', 'greeting'], 'ur')).toEqual(['یہ جواب قبول نہیں ہوا: اسے دیکھ کر دوبارہ کوشش کریں۔']);
    expect(unplacedProblems(problems, ['shop_name', 'body'], 'en')).toEqual([]);
  });
});
