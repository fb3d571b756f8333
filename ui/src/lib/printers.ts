// The printers section of Settings as a form (numbers as the choices' strings), and what it
// changes; and the board's printer banner: which printers need someone's attention.

import type { PrintDocument, PrinterConfig, PrinterKind, PrinterStatusDto, SettingsDto, SettingsUpdate, TicketLanguage } from './api';

/** One printer as the form holds it. */
export type PrinterForm = {
  id: string;
  name: string;
  kind: PrinterKind;
  address: string;
  width_mm: string;
  documents: PrintDocument[];
  copies: string;
  auto_print: boolean;
};

/** The printing settings as the form holds them. */
export type PrintingForm = { printers: PrinterForm[]; shop_address: string; ticket_language: TicketLanguage };

export const PRINTER_KINDS: readonly PrinterKind[] = ['network', 'system'];
export const PAPER_WIDTHS: readonly string[] = ['80', '58'];
export const COPIES: readonly string[] = ['1', '2', '3', '4', '5'];
export const DOCUMENTS: readonly PrintDocument[] = ['kot', 'bill'];
export const TICKET_LANGUAGES: readonly TicketLanguage[] = ['en', 'ur'];

export function toPrintingForm(s: SettingsDto): PrintingForm {
  return {
    printers: s.printers.map((p) => ({ ...p, width_mm: String(p.width_mm), copies: String(p.copies), documents: [...p.documents] })),
    shop_address: s.shop_address ?? '',
    ticket_language: s.ticket_language,
  };
}

export function fromPrinterForm(p: PrinterForm): PrinterConfig {
  return { ...p, width_mm: Number(p.width_mm), copies: Number(p.copies), documents: [...p.documents] };
}

/**
 * A new printer with a fresh random id (`p-` and six letters or digits), never one in use: a
 * removed printer's waiting tickets stay with its id, so a new printer must not inherit them.
 * The kitchen's KOT, printed on its own.
 */
export function newPrinter(
  existing: readonly PrinterForm[],
  name: string,
  random: () => number = Math.random,
): PrinterForm {
  let id: string;
  do id = `p-${random().toString(36).slice(2, 8).padEnd(6, '0')}`;
  while (existing.some((p) => p.id === id));
  return { id, name, kind: 'network', address: '', width_mm: '80', documents: ['kot'], copies: '1', auto_print: true };
}

/** What the form changes against the saved settings (nothing when nothing changed). */
export function printingChanges(form: PrintingForm, saved: SettingsDto): SettingsUpdate {
  const out: SettingsUpdate = {};
  const printers = form.printers.map(fromPrinterForm);
  if (JSON.stringify(printers) !== JSON.stringify(saved.printers)) out.printers = printers;
  if (form.shop_address.trim() !== (saved.shop_address ?? '')) out.shop_address = form.shop_address;
  if (form.ticket_language !== saved.ticket_language) out.ticket_language = form.ticket_language;
  return out;
}

/** Every field path the section shows, so the server's problems land beside them. */
export function printingPaths(form: PrintingForm): string[] {
  const fields = ['id', 'name', 'kind', 'address', 'width_mm', 'documents', 'copies', 'auto_print'];
  return [
    'printers',
    'shop_address',
    'ticket_language',
    ...form.printers.flatMap((_, i) => fields.map((f) => `printers[${i}].${f}`)),
  ];
}

/** The printers the board warns about: offline, out of paper or failing, in settings order. */
export function troubled(printers: readonly PrinterStatusDto[]): PrinterStatusDto[] {
  return printers.filter((p) => p.state === 'offline' || p.state === 'out_of_paper' || p.state === 'error');
}

/** The list with one printer's new status in place (added when new). */
export function withStatus(printers: readonly PrinterStatusDto[], next: PrinterStatusDto): PrinterStatusDto[] {
  return printers.some((p) => p.id === next.id) ? printers.map((p) => (p.id === next.id ? next : p)) : [...printers, next];
}
