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
    expect(changes.printers?.[1]).toMatchObject({ id: 'printer-2', width_mm: 80, documents: ['kot'], copies: 1 });
    expect(changes.ticket_language).toBe('ur');
    expect(changes.shop_address).toBe('12 مین بلیوارڈ');
    expect(printingPaths(form)).toContain('printers[1].address');
  });

  it('a new printer never takes an id in use', () => {
    const form = toPrintingForm(settings({ printers: [{ ...kitchen, id: 'printer-2' }] }));
    expect(newPrinter(form.printers, 'x').id).toBe('printer-3');
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
