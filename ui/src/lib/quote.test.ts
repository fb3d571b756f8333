import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Quoter, type QuoteOutcome } from './quote';

type Pending = { request: { n: number }; resolve: (v: string) => void; reject: (e: unknown) => void };

function setup() {
  const asked: Pending[] = [];
  const outcomes: QuoteOutcome<{ n: number }, string>[] = [];
  const busy: boolean[] = [];
  const quoter = new Quoter<{ n: number }, string>(
    (request) => new Promise((resolve, reject) => asked.push({ request, resolve, reject })),
    (o) => outcomes.push(o),
    (b) => busy.push(b),
    250,
  );
  return { quoter, asked, outcomes, busy };
}

describe('live quotes', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks once the changes pause for 250 ms', async () => {
    const { quoter, asked, outcomes } = setup();
    quoter.request({ n: 1 });
    await vi.advanceTimersByTimeAsync(200);
    quoter.request({ n: 2 });
    await vi.advanceTimersByTimeAsync(200);
    expect(asked).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(50);
    expect(asked.map((a) => a.request.n)).toEqual([2]);
    asked[0]!.resolve('bill 2');
    await vi.runAllTimersAsync();
    expect(outcomes).toEqual([{ ok: true, value: 'bill 2', request: { n: 2 } }]);
  });

  it('shows only the answer to the latest question, however late the others arrive', async () => {
    const { quoter, asked, outcomes, busy } = setup();
    quoter.request({ n: 1 });
    await vi.advanceTimersByTimeAsync(250);
    quoter.request({ n: 2 });
    await vi.advanceTimersByTimeAsync(250);
    expect(asked).toHaveLength(2);
    asked[1]!.resolve('bill 2');
    await vi.runAllTimersAsync();
    asked[0]!.resolve('bill 1');
    await vi.runAllTimersAsync();
    expect(outcomes).toEqual([{ ok: true, value: 'bill 2', request: { n: 2 } }]);
    expect(busy).toEqual([true, false]);
  });

  it('passes a refusal on, and asks nothing for the same request again', async () => {
    const { quoter, asked, outcomes } = setup();
    quoter.request({ n: 1 });
    await vi.advanceTimersByTimeAsync(250);
    asked[0]!.reject(new Error('422'));
    await vi.runAllTimersAsync();
    expect(outcomes).toEqual([{ ok: false, error: new Error('422'), request: { n: 1 } }]);
    quoter.request({ n: 1 });
    await vi.advanceTimersByTimeAsync(500);
    expect(asked).toHaveLength(1);
    quoter.refresh();
    await vi.advanceTimersByTimeAsync(250);
    expect(asked).toHaveLength(2);
  });

  it('drops what is on its way when there is nothing to price, or when stopped', async () => {
    const { quoter, asked, outcomes, busy } = setup();
    quoter.request({ n: 1 });
    await vi.advanceTimersByTimeAsync(250);
    quoter.request(null);
    asked[0]!.resolve('bill 1');
    quoter.request({ n: 2 });
    quoter.stop();
    await vi.runAllTimersAsync();
    expect(asked).toHaveLength(1);
    expect(outcomes).toEqual([]);
    expect(busy).toEqual([true, false, true, false]);
  });
});
