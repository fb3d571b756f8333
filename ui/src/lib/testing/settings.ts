// The order settings of a shop that has set none (issue 12), for settings fixtures.

import type { SettingsDto } from '../api';

export function orderSettingsDefaults(): Pick<SettingsDto, 'delivery_zones' | 'pickup' | 'tax' | 'payment_methods' | 'hours'> {
  return {
    delivery_zones: [],
    pickup: { enabled: true, eta_minutes: 20 },
    tax: { registered: false, prices_include_tax: false, rates_bp: { cash: 0, card: 0, wallet: 0 }, on_delivery_fee: false },
    payment_methods: ['cash'],
    hours: null,
  };
}
