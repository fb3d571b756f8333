// Orders for unit tests, shaped like the API's.

import type { OrderDto } from '../api';

let id = 0;

export function order(over: Partial<OrderDto> = {}): OrderDto {
  id += 1;
  const n = over.id ?? id;
  return {
    id: n,
    uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    number: n,
    business_date: '2026-11-24',
    status: 'new',
    flavour: 'Chicken Tikka',
    size: 'Large 13"',
    drink: 'Coca-Cola 1.5 L',
    address: 'House 12, Street 4, Gulberg III, Lahore',
    landmark: 'near Hafeez Centre',
    customer_name: 'Ali Raza',
    customer_phone: '+923001234567',
    items: [
      {
        item_id: 'chicken-tikka',
        name: 'Chicken Tikka',
        name_ur: 'چکن تکہ',
        kind: 'pizza',
        size_id: 'large',
        size_label: 'Large 13"',
        quantity: 2,
        unit_price: 219_900,
        line_total: 439_800,
        options: [],
        half: null,
        note: null,
        deal: null,
      },
    ],
    total: 439_800,
    fulfilment: {
      type: 'delivery',
      address: 'House 12, Street 4, Gulberg III, Lahore',
      landmark: 'near Hafeez Centre',
      zone_id: null,
      zone_name: null,
      zone_name_ur: null,
    },
    payment: { method: 'cash', pays_with: null, change: null },
    bill: {
      lines: [{ description: 'Chicken Tikka Large 13"', description_ur: 'چکن تکہ Large 13"', quantity: 2, unit_price: 219_900, total: 439_800 }],
      subtotal: 439_800,
      deal_savings: 0,
      food_total: 439_800,
      delivery_fee: 0,
      tax: { rate_bp: 0, amount: 0, included: false },
      total: 439_800,
      total_spoken_ur: 'چار ہزار تین سو اٹھانوے',
    },
    note: null,
    eta_minutes: 35,
    source: 'staff',
    call_sid: null,
    cancel_reason: null,
    order_time: '2026-11-24T13:00:00.000Z',
    updated_at: '2026-11-24T13:00:00.000Z',
    changed: null,
    rider: null,
    ...over,
    // The server's: when it entered its status (still new: its order time).
    status_since: over.status_since ?? over.order_time ?? '2026-11-24T13:00:00.000Z',
  };
}
