import { describe, expect, it } from 'vitest';
import { upsertCall } from './calls';
import type { CallRecord } from './api';
import { Repeater } from './repeat';
import { href, parseRoute } from './routes';
import { businessDate, formatAge } from './time';
import { MESSAGES } from './i18n';

function call(sid: string, started: string, over: Partial<CallRecord> = {}): CallRecord {
  return {
    call_sid: sid,
    caller: '+923001234567',
    started_at: started,
    answered_at: null,
    ended_at: null,
    duration_seconds: null,
    outcome: 'in_progress',
    outcome_reason: null,
    outcome_reason_code: null,
    order_id: null,
    input_tokens: 0,
    output_tokens: 0,
    ai_cost_paisa: 0,
    ...over,
  };
}

describe('routes', () => {
  it('parses hash routes and falls back to the board', () => {
    expect(parseRoute('')).toEqual({ page: 'board' });
    expect(parseRoute('#/menu')).toEqual({ page: 'menu' });
    expect(parseRoute('#/calls?x=1')).toEqual({ page: 'calls' });
    expect(parseRoute('#/orders/12')).toEqual({ page: 'order', id: 12 });
    expect(parseRoute('#/orders/abc')).toEqual({ page: 'board' });
    expect(parseRoute('#/nope')).toEqual({ page: 'board' });
    expect(href({ page: 'order', id: 3 })).toBe('#/orders/3');
    expect(parseRoute(href({ page: 'summary' }))).toEqual({ page: 'summary' });
    expect(parseRoute('#/new-order')).toEqual({ page: 'new-order' });
    expect(href({ page: 'new-order' })).toBe('#/new-order');
    expect(parseRoute('#/orders/12/edit')).toEqual({ page: 'edit-order', id: 12 });
    expect(href({ page: 'edit-order', id: 12 })).toBe('#/orders/12/edit');
    expect(parseRoute('#/orders/12/')).toEqual({ page: 'order', id: 12 });
    expect(parseRoute('#/orders/12/nope')).toEqual({ page: 'board' });
    expect(parseRoute('#/orders/12/edit/more')).toEqual({ page: 'board' });
    expect(parseRoute('#/orders/0/edit')).toEqual({ page: 'board' });
  });
});

describe('call log', () => {
  it('keeps one row per call, newest first, and keeps a fetched transcript', () => {
    const a = call('CA1', '2026-11-24T13:00:00Z', { transcript: [{ speaker: 'ai', text: 'سلام', at: '2026-11-24T13:00:01Z' }] });
    const b = call('CA2', '2026-11-24T13:05:00Z');
    let list = upsertCall(upsertCall([], a), b);
    expect(list.map((c) => c.call_sid)).toEqual(['CA2', 'CA1']);
    list = upsertCall(list, call('CA1', '2026-11-24T13:00:00Z', { outcome: 'ordered', order_id: 4 }));
    expect(list).toHaveLength(2);
    expect(list[1]!.outcome).toBe('ordered');
    expect(list[1]!.transcript).toHaveLength(1);
  });
});

describe('repeater', () => {
  it('acts at once, then on each tick, until switched off', () => {
    let plays = 0;
    let tick: (() => void) | null = null;
    const r = new Repeater(
      () => plays++,
      4000,
      (fn) => ((tick = fn), 1),
      () => (tick = null),
    );
    r.set(true);
    r.set(true);
    expect(plays).toBe(1);
    tick!();
    tick!();
    expect(plays).toBe(3);
    r.set(false);
    expect(tick).toBeNull();
    expect(r.running).toBe(false);
  });
});

describe('time', () => {
  it('counts the business day from 5 AM local time', () => {
    expect(businessDate(new Date(2026, 10, 24, 4, 59))).toBe('2026-11-23');
    expect(businessDate(new Date(2026, 10, 24, 5, 0))).toBe('2026-11-24');
    expect(businessDate(new Date(2026, 10, 24, 23, 59))).toBe('2026-11-24');
  });

  it('shows ticket ages as minutes and seconds', () => {
    expect(formatAge(0)).toBe('0:00');
    expect(formatAge(754_000)).toBe('12:34');
    expect(formatAge(-5000)).toBe('0:00');
    expect(formatAge(3_725_000)).toBe('62:05');
  });
});

describe('i18n', () => {
  it('has every English string in Urdu, and actually translated', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object' && !Array.isArray(v) ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(MESSAGES.ur).sort()).toEqual(keys(MESSAGES.en).sort());
    expect(MESSAGES.ur.status.new).not.toBe(MESSAGES.en.status.new);
    expect(MESSAGES.ur.board.doneSummary(2, 1)).toContain('2');
  });
});
