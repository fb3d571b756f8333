// Money is integer paisa on the wire (100 paisa = 1 rupee); people read and type rupees.

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 0 });

/** `125000` → `Rs 1,250`; `125050` → `Rs 1,250.5`. */
export function formatRupees(paisa: number): string {
  const sign = paisa < 0 ? '-' : '';
  return `${sign}Rs ${grouped.format(Math.abs(paisa) / 100)}`;
}

/** Rupees as an editable text: `125000` → `1250`, `125050` → `1250.50`. */
export function paisaToRupeeText(paisa: number): string {
  return paisa % 100 === 0 ? String(paisa / 100) : (paisa / 100).toFixed(2);
}

/**
 * What the owner typed (`1,250`, `1250.5`, ` 1250 `) as paisa, or null when it is not an
 * amount of rupees with at most two decimals.
 */
export function parseRupees(text: string): number | null {
  const t = text.trim().replace(/,/g, '');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(t)) return null;
  const [whole, frac = ''] = t.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/**
 * Money in the screen's language: `Rs 1,250` in English, `1,250 روپے` in Urdu (an Urdu
 * screen shows no English, not even "Rs").
 */
export function formatMoney(paisa: number, lang: 'en' | 'ur'): string {
  if (lang === 'en') return formatRupees(paisa);
  const sign = paisa < 0 ? '-' : '';
  return `${sign}${grouped.format(Math.abs(paisa) / 100)} روپے`;
}
