// The call log's list: newest call first, one row per CallSid.

import type { CallRecord } from './api';

/** Adds or replaces a call (a live `call.started` / `call.ended`), newest first. */
export function upsertCall(calls: readonly CallRecord[], call: CallRecord): CallRecord[] {
  const rest = calls.filter((c) => c.call_sid !== call.call_sid);
  const old = calls.find((c) => c.call_sid === call.call_sid);
  const merged: CallRecord = old?.transcript && !call.transcript ? { ...call, transcript: old.transcript } : call;
  return [...rest, merged].sort((a, b) => Date.parse(b.started_at) - Date.parse(a.started_at));
}
