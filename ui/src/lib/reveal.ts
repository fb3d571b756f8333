// Takes the owner to a form field on another page: "Set it in Settings: OpenAI API key"
// on the Phone page opens Settings (or the setup wizard at the right step) and puts the
// cursor in that field. Fields are found by their name (`data-field` on every Field);
// the wizard's step by its step button.

import type { FixTarget } from './phone';

/** Polls for `find()` until it returns an element or `timeoutMs` passes. */
async function waitFor<T>(find: () => T | null, timeoutMs: number): Promise<T | null> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > end) return null;
    await new Promise((r) => setTimeout(r, 30));
  }
}

/**
 * Scrolls to the field named `target.field` and focuses its control, once it is on the
 * screen (the caller has already navigated or opened the wizard). In the wizard, the step
 * holding the field is chosen first. Resolves true when the field was reached.
 */
export async function revealField(target: FixTarget, timeoutMs = 3000): Promise<boolean> {
  const field = () => document.querySelector<HTMLElement>(`[data-field="${target.field}"]`);
  if (target.place === 'setup') {
    const step = await waitFor(() => field() ?? document.querySelector<HTMLElement>(`[data-testid="setup-step-${target.step}"]`), timeoutMs);
    if (step && !step.matches('[data-field]')) step.click();
  }
  const el = await waitFor(field, timeoutMs);
  if (!el) return false;
  el.scrollIntoView({ block: 'center' });
  el.querySelector<HTMLElement>('input, textarea, select')?.focus({ preventScroll: true });
  return true;
}
