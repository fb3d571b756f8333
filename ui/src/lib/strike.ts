// Lines struck off a ticket as the cook makes them: per screen (this device's
// localStorage), by order id and line index, forgotten once the order leaves the board.

/** Struck line indexes by order id. Never mutated: each change returns a new value. */
export type Struck = ReadonlyMap<number, ReadonlySet<number>>;

export const NO_STRIKES: Struck = new Map();

export const STRIKE_KEY = 'melt8.struck';

export function isStruck(s: Struck, orderId: number, line: number): boolean {
  return s.get(orderId)?.has(line) ?? false;
}

/** Strikes the line off, or back on if it was struck. */
export function toggleLine(s: Struck, orderId: number, line: number): Struck {
  const lines = new Set(s.get(orderId) ?? []);
  if (lines.has(line)) lines.delete(line);
  else lines.add(line);
  const next = new Map(s);
  if (lines.size === 0) next.delete(orderId);
  else next.set(orderId, lines);
  return next;
}

/** Only the orders still on the board (`onBoard`); `s` itself when nothing goes. */
export function pruneStruck(s: Struck, onBoard: (orderId: number) => boolean): Struck {
  let next: Map<number, ReadonlySet<number>> | null = null;
  for (const id of s.keys()) {
    if (onBoard(id)) continue;
    next ??= new Map(s);
    next.delete(id);
  }
  return next ?? s;
}

/** As stored: `{"12":[0,2]}`. */
export function serializeStruck(s: Struck): string {
  const out: Record<string, number[]> = {};
  for (const [id, lines] of s) out[String(id)] = [...lines].sort((a, b) => a - b);
  return JSON.stringify(out);
}

/** What was stored; anything unreadable (another version, a hand edit) is dropped. */
export function parseStruck(raw: string | null): Struck {
  if (!raw) return NO_STRIKES;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return NO_STRIKES;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return NO_STRIKES;
  const out = new Map<number, ReadonlySet<number>>();
  for (const [key, lines] of Object.entries(v as Record<string, unknown>)) {
    const id = Number(key);
    if (!Number.isSafeInteger(id) || id <= 0 || !Array.isArray(lines)) continue;
    const set = new Set(lines.filter((l): l is number => Number.isInteger(l) && l >= 0 && l < 1000));
    if (set.size > 0) out.set(id, set);
  }
  return out;
}
