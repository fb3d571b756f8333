// The order being built, kept while the staff look at the board and come back: it is only
// cleared once the order is placed, or when they start again.

import { emptyDraft, type Attempt, type Draft } from './order-builder';
import type { SettingsDto } from './api';

/** An order's draft in the builder: the new order being built, or a placed one being changed. */
export class OrderBuilder {
  draft = $state<Draft>(emptyDraft());
  /** The last attempt to place this order: a retry sends the same key, so it is placed once. */
  attempt: Attempt | null = null;

  /** A fresh, empty order (the shop's default payment method). */
  reset(settings: SettingsDto | null): void {
    this.draft = emptyDraft(settings);
    this.attempt = null;
  }
}

export const orderBuilder = new OrderBuilder();
