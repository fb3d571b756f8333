// The shop's settings as the dashboard needs them everywhere (the timer thresholds), loaded
// after login. A server without `/api/settings` leaves the defaults in place.

import { api, ApiError, type SettingsDto } from './api';
import { DEFAULT_THRESHOLDS, type Thresholds } from './board';
import type { RushRules } from './rush';

class ShopSettings {
  value = $state.raw<SettingsDto | null>(null);
  /** False when the server answered that it has no settings endpoint. */
  available = $state(true);

  get thresholds(): Thresholds {
    const v = this.value;
    return v
      ? { amberAfterMinutes: v.amber_after_minutes, redAfterMinutes: v.red_after_minutes }
      : DEFAULT_THRESHOLDS;
  }

  /** The board's timer rules: the shop's promise, and the Ready wait for a rider (the
   * amber/red minutes of the settings). */
  get rules(): RushRules {
    const t = this.thresholds;
    return {
      shopEtaMinutes: this.value?.eta_minutes ?? null,
      readyAmberMinutes: t.amberAfterMinutes,
      readyRedMinutes: t.redAfterMinutes,
    };
  }

  async load(): Promise<void> {
    try {
      this.value = await api.settings();
      this.available = true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) this.available = false;
      // Other failures keep what we had; the Settings page shows its own errors.
    }
  }

  set(value: SettingsDto): void {
    this.value = value;
    this.available = true;
  }
}

export const shopSettings = new ShopSettings();
