import { describe, expect, it } from 'vitest';
import { isStruck, NO_STRIKES, parseStruck, pruneStruck, serializeStruck, toggleLine } from './strike';

describe('line strike-off', () => {
  it('strikes a line off and back on, by order and line', () => {
    let s = toggleLine(NO_STRIKES, 12, 1);
    expect(isStruck(s, 12, 1)).toBe(true);
    expect(isStruck(s, 12, 0)).toBe(false);
    expect(isStruck(s, 13, 1)).toBe(false);
    s = toggleLine(s, 12, 0);
    expect(isStruck(s, 12, 0)).toBe(true);
    s = toggleLine(s, 12, 1);
    expect(isStruck(s, 12, 1)).toBe(false);
    expect(isStruck(s, 12, 0)).toBe(true);
    s = toggleLine(s, 12, 0);
    expect(s.size).toBe(0);
  });

  it('never changes the value it was given', () => {
    const a = toggleLine(NO_STRIKES, 1, 0);
    const b = toggleLine(a, 1, 2);
    expect(isStruck(a, 1, 2)).toBe(false);
    expect(isStruck(b, 1, 2)).toBe(true);
    expect(NO_STRIKES.size).toBe(0);
  });

  it('drops the orders that left the board and keeps the rest', () => {
    const s = toggleLine(toggleLine(toggleLine(NO_STRIKES, 1, 0), 2, 1), 3, 2);
    const kept = pruneStruck(s, (id) => id !== 2);
    expect([...kept.keys()]).toEqual([1, 3]);
    expect(pruneStruck(kept, () => true)).toBe(kept);
  });

  it('survives a round trip through storage', () => {
    const s = toggleLine(toggleLine(toggleLine(NO_STRIKES, 12, 2), 12, 0), 40, 1);
    const raw = serializeStruck(s);
    expect(raw).toBe('{"12":[0,2],"40":[1]}');
    const back = parseStruck(raw);
    expect(isStruck(back, 12, 0)).toBe(true);
    expect(isStruck(back, 12, 2)).toBe(true);
    expect(isStruck(back, 12, 1)).toBe(false);
    expect(isStruck(back, 40, 1)).toBe(true);
  });

  it('reads nothing from missing or damaged storage', () => {
    for (const raw of [null, '', 'not json', '[1,2]', '"x"', 'null', '{"abc":[1],"-3":[1],"5":"x","6":[-1,1.5,"2"]}']) {
      expect(parseStruck(raw).size, String(raw)).toBe(0);
    }
    expect(isStruck(parseStruck('{"7":[0,"x",3]}'), 7, 3)).toBe(true);
  });
});
