import { describe, expect, it } from 'vitest';
import { ApiError, eventsUrl, ordersCsvUrl, parseErrorBody } from './api';

describe('API errors', () => {
  it('reads the server’s nested shape with its field problems', () => {
    const e = parseErrorBody(
      422,
      {
        error: {
          code: 'validation_failed',
          message: 'items[0].sizes[0].price: must be positive',
          fields: [{ field: 'items[0].sizes[0].price', message: 'must be positive' }, { bogus: 1 }],
        },
      },
      'fallback',
    );
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message]).toEqual([422, 'validation_failed', 'items[0].sizes[0].price: must be positive']);
    // An older server sends no code: the problem still reads, without one.
    expect(e.fields).toEqual([{ field: 'items[0].sizes[0].price', message: 'must be positive', code: null, params: {} }]);
  });

  it('reads each field problem’s stable code and its params', () => {
    const e = parseErrorBody(
      422,
      {
        error: {
          code: 'validation_failed',
          message: 'eta_minutes: 0 is out of range',
          fields: [
            { field: 'eta_minutes', message: '0 is out of range; use a number from 5 to 180', code: 'out_of_range', params: { min: '5', max: '180' } },
            { field: 'shop_phone', message: 'not a phone number', code: 'phone_invalid', params: {} },
            { field: 'shop_name', code: 'required', params: {} },
          ],
        },
      },
      'x',
    );
    expect(e.fields).toEqual([
      { field: 'eta_minutes', message: '0 is out of range; use a number from 5 to 180', code: 'out_of_range', params: { min: '5', max: '180' } },
      { field: 'shop_phone', message: 'not a phone number', code: 'phone_invalid', params: {} },
      { field: 'shop_name', message: '', code: 'required', params: {} },
    ]);
  });

  it('is lenient with codes and params that are not quite the contract', () => {
    const fields = (f: unknown) => parseErrorBody(422, { error: { code: 'validation_failed', message: 'm', fields: [f] } }, 'x').fields;
    // Numbers are written out; other values are dropped; a missing or odd `params` is {}.
    expect(fields({ field: 'a', message: 'm', code: 'too_long', params: { max: 80, min: null, x: { y: 1 }, ok: 'yes' } })[0]!.params).toEqual({
      max: '80',
      ok: 'yes',
    });
    expect(fields({ field: 'a', message: 'm', code: 'required' })[0]!.params).toEqual({});
    expect(fields({ field: 'a', message: 'm', code: 'required', params: ['80'] })[0]!.params).toEqual({});
    expect(fields({ field: 'a', message: 'm', code: 'required', params: 'max=80' })[0]!.params).toEqual({});
    expect(fields({ field: 'a', message: 'm', code: '' })[0]!.code).toBeNull();
    expect(fields({ field: 'a', message: 'm', code: 42 })[0]!.code).toBeNull();
    expect(fields({ message: 'no field' })).toEqual([]);
    expect(fields('shop_name')).toEqual([]);
  });

  it('reads the flat shape too', () => {
    const e = parseErrorBody(409, { error: 'undo_expired', message: 'too late' }, 'x');
    expect([e.code, e.message, e.fields]).toEqual(['undo_expired', 'too late', []]);
    const v = parseErrorBody(422, { error: 'validation', message: 'too big', field: 'eta_minutes' }, 'x');
    expect(v.fields).toEqual([{ field: 'eta_minutes', message: 'too big', code: null, params: {} }]);
  });

  it('falls back for bodies that are not errors', () => {
    const e = parseErrorBody(502, undefined, '502 Bad Gateway');
    expect([e.code, e.message]).toEqual(['http_502', '502 Bad Gateway']);
    expect(parseErrorBody(401, { error: { code: 'unauthorized', message: 'log in' } }, '').unauthorized).toBe(true);
    expect(new ApiError(0, 'offline', '').offline).toBe(true);
  });

  it('builds the stream and CSV URLs on this server', () => {
    expect(eventsUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/api/events');
    expect(eventsUrl({ protocol: 'https:', host: 'shop.example' })).toBe('wss://shop.example/api/events');
    expect(ordersCsvUrl('2026-11-24')).toBe('/api/orders.csv?date=2026-11-24');
  });
});
