// Pausing AI answering sends every call to the shop's own phone; with no shop phone set, a
// caller hears only an apology and the call ends. The dashboard warns before such a pause
// (Phone page) and says so while paused (the board header's badge).

/** Why pausing needs a second thought, or null. */
export type PauseWarning = 'no_shop_phone';

/** The warning for a change of the pause to `pausing`, given the shop phone in the settings. */
export function pauseWarning(pausing: boolean, shopPhone: string | null | undefined): PauseWarning | null {
  if (!pausing) return null;
  return shopPhone === null || shopPhone === undefined || shopPhone.trim() === '' ? 'no_shop_phone' : null;
}

/** What the paused badge says: paused, and whether callers reach anyone. */
export function pausedState(paused: boolean, shopPhone: string | null | undefined): 'answering' | 'paused' | 'paused_no_phone' {
  if (!paused) return 'answering';
  return pauseWarning(true, shopPhone) === null ? 'paused' : 'paused_no_phone';
}
