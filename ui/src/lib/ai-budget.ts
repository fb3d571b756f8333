// The daily AI budget as the board header shows it: from 80 % of the day's AI minutes a
// warning, at 100 % that calls go to the shop's phone (the server sends them there).

/** Where the day's AI minutes stand. */
export type BudgetState = 'fine' | 'warning' | 'reached';

/** The share of the budget at which the board warns, in percent (the server's too). */
export const WARNING_PERCENT = 80;

/** Where `aiSeconds` of AI time stand against `budgetMinutes`. */
export function budgetState(aiSeconds: number, budgetMinutes: number): BudgetState {
  const budget = budgetMinutes * 60;
  if (aiSeconds >= budget) return 'reached';
  if (aiSeconds * 100 >= budget * WARNING_PERCENT) return 'warning';
  return 'fine';
}

/** Whole minutes used, as the badge shows them (rounded down: never more than used). */
export function usedMinutes(aiSeconds: number): number {
  return Math.floor(aiSeconds / 60);
}
