import { describe, expect, it } from 'vitest';
import { afterBump, keyAction, moveFocus, type Grid, type KeyPress } from './keys';

const on = (key: string, more: Partial<KeyPress> = {}) => keyAction({ key, target: 'other', ...more });

describe('board keys', () => {
  it('bumps with B anywhere, and with Enter or Space only on a ticket itself', () => {
    expect(on('b')).toEqual({ kind: 'bump' });
    expect(on('B')).toEqual({ kind: 'bump' });
    expect(on('Enter', { target: 'ticket' })).toEqual({ kind: 'bump' });
    expect(on(' ', { target: 'ticket' })).toEqual({ kind: 'bump' });
    // On a button or link Enter and Space press it; on the page they do nothing.
    expect(on('Enter', { target: 'control' })).toBeNull();
    expect(on(' ', { target: 'control' })).toBeNull();
    expect(on('Enter')).toBeNull();
  });

  it('maps recall, acknowledge, moves, stages, help and close', () => {
    expect(on('r')).toEqual({ kind: 'recall' });
    expect(on('a')).toEqual({ kind: 'ack' });
    expect(on('ArrowDown')).toEqual({ kind: 'next' });
    expect(on('j')).toEqual({ kind: 'next' });
    expect(on('ArrowUp')).toEqual({ kind: 'prev' });
    expect(on('k')).toEqual({ kind: 'prev' });
    expect(on('1')).toEqual({ kind: 'column', index: 0 });
    expect(on('2')).toEqual({ kind: 'column', index: 1 });
    expect(on('3')).toEqual({ kind: 'column', index: 2 });
    expect(on('4')).toBeNull();
    expect(on('?')).toEqual({ kind: 'help' });
    expect(on('Escape')).toEqual({ kind: 'close' });
    expect(on('x')).toBeNull();
    expect(on('Tab')).toBeNull();
  });

  it('reads left and right as the screen shows the columns (Urdu runs right to left)', () => {
    expect(on('ArrowRight')).toEqual({ kind: 'column-step', delta: 1 });
    expect(on('ArrowLeft')).toEqual({ kind: 'column-step', delta: -1 });
    expect(on('ArrowRight', { dir: 'rtl' })).toEqual({ kind: 'column-step', delta: -1 });
    expect(on('ArrowLeft', { dir: 'rtl' })).toEqual({ kind: 'column-step', delta: 1 });
  });

  it('is off while typing, with a modifier held, and (but for Escape) in a dialog', () => {
    for (const key of ['b', 'r', 'ArrowDown', '1', 'Escape', 'Enter']) expect(on(key, { target: 'typing' })).toBeNull();
    expect(on('r', { ctrlKey: true })).toBeNull();
    expect(on('r', { metaKey: true })).toBeNull();
    expect(on('1', { altKey: true })).toBeNull();
    expect(on('b', { target: 'dialog' })).toBeNull();
    expect(on('ArrowDown', { target: 'dialog' })).toBeNull();
    expect(on('Escape', { target: 'dialog' })).toEqual({ kind: 'close' });
  });

  it('reads the physical key under an Urdu layout', () => {
    expect(on('ب', { code: 'KeyB' })).toEqual({ kind: 'bump' });
    expect(on('ر', { code: 'KeyR' })).toEqual({ kind: 'recall' });
    expect(on('۱', { code: 'Digit1' })).toEqual({ kind: 'column', index: 0 });
    // A Latin key is taken as typed, whatever the physical key.
    expect(on('x', { code: 'KeyB' })).toBeNull();
  });
});

describe('moving the focus among tickets', () => {
  // New: 1, 2, 3; Preparing: empty; Ready: 7, 8.
  const grid: Grid = [[1, 2, 3], [], [7, 8]];

  it('starts at the first ticket when none has the focus', () => {
    expect(moveFocus(grid, null, { kind: 'next' })).toBe(1);
    expect(moveFocus(grid, null, { kind: 'prev' })).toBe(1);
    expect(moveFocus(grid, 99, { kind: 'next' })).toBe(1);
    expect(moveFocus([[], [], [7]], null, { kind: 'next' })).toBe(7);
    expect(moveFocus([[], [], []], null, { kind: 'next' })).toBeNull();
  });

  it('runs down a column and on into the next non-empty one, and back up', () => {
    expect(moveFocus(grid, 1, { kind: 'next' })).toBe(2);
    expect(moveFocus(grid, 3, { kind: 'next' })).toBe(7);
    expect(moveFocus(grid, 8, { kind: 'next' })).toBe(8);
    expect(moveFocus(grid, 7, { kind: 'prev' })).toBe(3);
    expect(moveFocus(grid, 2, { kind: 'prev' })).toBe(1);
    expect(moveFocus(grid, 1, { kind: 'prev' })).toBe(1);
  });

  it('keeps its place going sideways, skipping empty columns', () => {
    expect(moveFocus(grid, 2, { kind: 'column-step', delta: 1 })).toBe(8);
    expect(moveFocus(grid, 3, { kind: 'column-step', delta: 1 })).toBe(8);
    expect(moveFocus(grid, 7, { kind: 'column-step', delta: -1 })).toBe(1);
    expect(moveFocus(grid, 8, { kind: 'column-step', delta: -1 })).toBe(2);
    expect(moveFocus(grid, 8, { kind: 'column-step', delta: 1 })).toBe(8);
    expect(moveFocus(grid, 1, { kind: 'column-step', delta: -1 })).toBe(1);
  });

  it('jumps to a stage by its number', () => {
    expect(moveFocus(grid, 8, { kind: 'column', index: 0 })).toBe(1);
    expect(moveFocus(grid, 1, { kind: 'column', index: 2 })).toBe(7);
    expect(moveFocus(grid, 1, { kind: 'column', index: 1 })).toBeNull();
  });

  it('after a bump goes to the ticket that takes its place, else the one before', () => {
    expect(afterBump(grid, 1)).toBe(2);
    expect(afterBump(grid, 3)).toBe(2);
    expect(afterBump([[5]], 5)).toBeNull();
    expect(afterBump(grid, 99)).toBeNull();
  });
});
