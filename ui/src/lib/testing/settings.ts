// The order settings of a shop that has set none (issue 12, the server's defaults), for
// settings fixtures.

import type { SettingsDto } from '../api';

export function orderSettingsDefaults(): Pick<SettingsDto, 'delivery_zones' | 'pickup' | 'tax' | 'payment_methods' | 'hours'> {
  return {
    delivery_zones: [],
    pickup: { enabled: true, eta_minutes: 20 },
    tax: { registered: false, prices_include_tax: true, rates_bp: { cash: 1600, card: 500, wallet: 500 }, on_delivery_fee: false },
    payment_methods: ['cash', 'card', 'wallet'],
    hours: null,
  };
}
