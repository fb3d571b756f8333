import { describe, expect, it } from 'vitest';
import type { PrinterStatusDto } from './api';
import { newPrinter, printingChanges, printingPaths, toPrintingForm, troubled, withStatus } from './printers';
import { settings } from './testing/settings';

const kitchen = {
  id: 'kitchen',
  name: 'Kitchen',
  kind: 'network' as const,
  address: '192.168.1.50:9100',
  width_mm: 80,
  documents: ['kot' as const],
  copies: 1,
  auto_print: true,
};

function status(id: string, state: PrinterStatusDto['state'], jobs_waiting = 0): PrinterStatusDto {
  return { id, name: id, kind: 'network', state, message_code: null, message: null, jobs_waiting, last_printed: null };
}

describe('printing settings form', () => {
  it('changes nothing until something is edited, then sends the whole list with numbers', () => {
    const saved = settings({ printers: [kitchen] });
    const form = toPrintingForm(saved);
    expect(printingChanges(form, saved)).toEqual({});
    form.printers[0]!.copies = '2';
    form.printers.push(newPrinter(form.printers, 'Counter'));
    form.ticket_language = 'ur';
    form.shop_address = '12 مین بلیوارڈ';
    const changes = printingChanges(form, saved);
    expect(changes.printers?.[0]?.copies).toBe(2);
    expect(changes.printers?.[1]).toMatchObject({ width_mm: 80, documents: ['kot'], copies: 1 });
    expect(changes.printers?.[1]?.id).toMatch(/^p-[a-z0-9]{6}$/);
    expect(changes.ticket_language).toBe('ur');
    expect(changes.shop_address).toBe('12 مین بلیوارڈ');
    expect(printingPaths(form)).toContain('printers[1].address');
  });

  it('a new printer gets a fresh id, never one in use (a removed printer\'s tickets stay with its id)', () => {
    const form = toPrintingForm(settings({ printers: [{ ...kitchen, id: 'p-aaaaaa' }] }));
    // The first draw collides with the printer in use; the second is taken.
    const draws = [0.2857, 0.5];
    const taken = (0.2857).toString(36).slice(2, 8).padEnd(6, '0');
    form.printers[0]!.id = `p-${taken}`;
    const fresh = newPrinter(form.printers, 'x', () => draws.shift()!);
    expect(fresh.id).toBe(`p-${(0.5).toString(36).slice(2, 8).padEnd(6, '0')}`);
    expect(fresh.id).not.toBe(form.printers[0]!.id);
    const a = newPrinter([], 'a');
    const b = newPrinter([], 'b');
    expect(a.id).toMatch(/^p-[a-z0-9]{6}$/);
    expect(a.id).not.toBe(b.id);
  });
});

describe('printer banner', () => {
  it('names only the printers that need attention, and follows their changes', () => {
    const list = [status('a', 'ready'), status('b', 'offline', 3), status('c', 'printing')];
    expect(troubled(list).map((p) => p.id)).toEqual(['b']);
    const back = withStatus(list, status('b', 'ready'));
    expect(troubled(back)).toEqual([]);
    expect(troubled(withStatus(back, status('d', 'out_of_paper'))).map((p) => p.id)).toEqual(['d']);
  });
});
