import { describe, expect, it } from 'vitest';
import { budgetState, usedMinutes } from './ai-budget';
import { MESSAGES } from './i18n';

describe('the daily AI budget on the board', () => {
  it('warns from 80 % and is reached at 100 %', () => {
    expect(budgetState(0, 10)).toBe('fine');
    expect(budgetState(479, 10)).toBe('fine');
    expect(budgetState(480, 10)).toBe('warning');
    expect(budgetState(599, 10)).toBe('warning');
    expect(budgetState(600, 10)).toBe('reached');
    expect(budgetState(9999, 10)).toBe('reached');
    expect(usedMinutes(599)).toBe(9);
  });

  it('says so in English and Urdu', () => {
    expect(MESSAGES.en.aiBudget.warning(245, 300)).toBe('AI minutes: 245 of 300 today');
    const ur = MESSAGES.ur.aiBudget;
    expect(ur.warning(245, 300)).toContain('245');
    expect(ur.warning(245, 300)).not.toMatch(/[a-zA-Z]{3,}/);
    expect(ur.reached).not.toMatch(/minutes|calls/);
  });
});
