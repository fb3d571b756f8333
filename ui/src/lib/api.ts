// The kitchen API as the dashboard uses it. The one place that knows URLs, JSON shapes and
// error bodies; pages call these functions and get typed values or an `ApiError`.

// Wire types, generated from the Rust API types by ts-rs (`ui/src/generated/`, checked for
// staleness by the server's tests). Everything imports them through this module.
export type { CallCard } from '../generated/CallCard';
export type { CallCardKind } from '../generated/CallCardKind';
export type { CallOutcome } from '../generated/CallOutcome';
export type { CallEndReason } from '../generated/CallEndReason';
export type { CallQuote } from '../generated/CallQuote';
export type { CallRecord } from '../generated/CallRecord';
export type { DaySummary } from '../generated/DaySummary';
export type { CashUp } from '../generated/CashUp';
export type { MethodCashUp } from '../generated/MethodCashUp';
export type { RiderCashUp } from '../generated/RiderCashUp';
export type { Rider } from '../generated/Rider';
export type { HistoryDto } from '../generated/HistoryDto';
export type { ItemKind } from '../generated/ItemKind';
export type { KitchenEvent } from '../generated/KitchenEvent';
export type { MenuItem } from '../generated/MenuItem';
export type { MenuSize } from '../generated/MenuSize';
export type { OrderDto } from '../generated/OrderDto';
export type { OrderItemDto } from '../generated/OrderItemDto';
export type { OrderSource } from '../generated/OrderSource';
export type { OrderStatus } from '../generated/OrderStatus';
export type { SettingsDto } from '../generated/SettingsDto';
export type { SettingsUpdate } from '../generated/SettingsUpdate';
export type { SetupRequest } from '../generated/SetupRequest';
export type { SetupStatus } from '../generated/SetupStatus';
export type { TranscriptLine } from '../generated/TranscriptLine';
export type { PhoneDto } from '../generated/PhoneDto';
export type { TunnelDto } from '../generated/TunnelDto';
export type { TunnelState } from '../generated/TunnelState';
export type { SetupCheck } from '../generated/SetupCheck';
export type { PrinterConfig } from '../generated/PrinterConfig';
export type { PrinterKind } from '../generated/PrinterKind';
export type { PrinterState } from '../generated/PrinterState';
export type { PrinterStatusDto } from '../generated/PrinterStatusDto';
export type { PrintersDto } from '../generated/PrintersDto';
export type { PrintDocument } from '../generated/PrintDocument';
export type { PrintQueuedDto } from '../generated/PrintQueuedDto';
export type { TicketLanguage } from '../generated/TicketLanguage';
export type { SetupPart } from '../generated/SetupPart';
export type { ConnectResult } from '../generated/ConnectResult';
export type { SipSetupResult } from '../generated/SipSetupResult';
export type { Bill } from '../generated/Bill';
export type { BillLine } from '../generated/BillLine';
export type { ChosenOption } from '../generated/ChosenOption';
export type { Deal } from '../generated/Deal';
export type { DealChoice } from '../generated/DealChoice';
export type { DealPart } from '../generated/DealPart';
export type { DealSlot } from '../generated/DealSlot';
export type { DeliveryZone } from '../generated/DeliveryZone';
export type { Fulfilment } from '../generated/Fulfilment';
export type { FulfilmentRequest } from '../generated/FulfilmentRequest';
export type { Half } from '../generated/Half';
export type { LineRequest } from '../generated/LineRequest';
export type { MenuDto } from '../generated/MenuDto';
export type { MenuOption } from '../generated/MenuOption';
export type { OptionChoice } from '../generated/OptionChoice';
export type { OptionGroup } from '../generated/OptionGroup';
export type { OrderRequest } from '../generated/OrderRequest';
export type { Payment } from '../generated/Payment';
export type { PaymentMethod } from '../generated/PaymentMethod';
export type { QuoteDto } from '../generated/QuoteDto';
export type { TimeWindow } from '../generated/TimeWindow';
export type { DayRange } from '../generated/DayRange';
export type { OpeningHours } from '../generated/OpeningHours';
export type { PickupSettings } from '../generated/PickupSettings';
export type { TaxRates } from '../generated/TaxRates';
export type { TaxSettings } from '../generated/TaxSettings';
export type { Weekday } from '../generated/Weekday';

import type { CallCard } from '../generated/CallCard';
import type { CallRecord } from '../generated/CallRecord';
import type { DaySummary } from '../generated/DaySummary';
import type { MenuDto } from '../generated/MenuDto';
import type { CashUp } from '../generated/CashUp';
import type { OrderDto } from '../generated/OrderDto';
import type { OrderStatus } from '../generated/OrderStatus';
import type { SettingsDto } from '../generated/SettingsDto';
import type { SettingsUpdate } from '../generated/SettingsUpdate';
import type { SetupRequest } from '../generated/SetupRequest';
import type { SetupStatus } from '../generated/SetupStatus';
import type { PhoneDto } from '../generated/PhoneDto';
import type { SetupCheck } from '../generated/SetupCheck';
import type { ConnectResult } from '../generated/ConnectResult';
import type { SipSetupResult } from '../generated/SipSetupResult';
import type { OrderRequest } from '../generated/OrderRequest';
import type { QuoteDto } from '../generated/QuoteDto';
import type { PrintersDto } from '../generated/PrintersDto';
import type { PrintDocument } from '../generated/PrintDocument';
import type { PrintQueuedDto } from '../generated/PrintQueuedDto';

/** `PUT /api/menu/availability`: one switch (false: sold out). */
export type AvailabilityChange =
  | { item_id: string; available: boolean }
  | { item_id: string; size_id: string; available: boolean }
  | { group: string; option: string; available: boolean }
  | { deal_id: string; available: boolean };

/**
 * The stable codes of a field the server rejected (the contract with the server; the
 * dashboard words each one in English and Urdu, `i18n.ts`). Params in braces:
 * `too_long` {max}, `too_short` {min}, `out_of_range` {min, max}, `red_before_amber`
 * {amber, red}, `phone_invalid` {reason?}, `invalid` {reason?}; the menu and order codes'
 * params are listed in docs/menus-and-orders.md (`duplicate_id` {id}, `unknown_reference`
 * {given, allowed}).
 */
export const FIELD_CODES = [
  'required',
  'too_long',
  'too_short',
  'out_of_range',
  'red_before_amber',
  'phone_invalid',
  'phone_withheld',
  'has_spaces',
  'openai_key_format',
  'twilio_sid_format',
  'twilio_token_format',
  'model_format',
  'gender_unknown',
  'ngrok_domain_format',
  'ngrok_token_format',
  'twilio_incomplete',
  'ngrok_needs_token',
  'same_as_username',
  'invalid',
  // Menus and orders (issue 12). Money params (`minimum`, `food_total`, `total`) are paisa.
  'unknown_item',
  'unknown_size',
  'unknown_deal',
  'unknown_option_group',
  'unknown_option',
  'unknown_slot',
  'sold_out',
  'option_not_offered',
  'too_many_options',
  'too_few_options',
  'half_not_allowed',
  'slot_wrong_count',
  'slot_item_not_allowed',
  'slot_size_not_allowed',
  'deal_not_available_now',
  'zone_required',
  'unknown_zone',
  'below_minimum_order',
  'pays_with_below_total',
  'address_required',
  'pickup_not_offered',
  'payment_method_not_accepted',
  'duplicate_id',
  'unknown_reference',
  // Printers (issue 16).
  'printer_address_format',
  'printer_name_format',
  'paper_width',
  'ticket_language',
  // Riders (issue 16): a dispatch names a rider from the settings, only when it goes out.
  'unknown_rider',
  'rider_required',
  'rider_not_allowed',
  // Voice engines (issue 17).
  'voice_engine',
  'openai_project_format',
  'webhook_secret_format',
] as const;
export type FieldCode = (typeof FIELD_CODES)[number];

/**
 * One field the server rejected, e.g. `shop_phone` or `items[0].sizes[1].price`: its
 * English `message`, and the stable `code` with its `params` to word it in the screen's
 * language. A server that sends no code (older versions) gives `code: null`, `params: {}`.
 */
export type FieldProblem = {
  field: string;
  message: string;
  code: string | null;
  params: Record<string, string>;
};

/**
 * Any failed request: the HTTP status (0 when the server could not be reached), the code and
 * the values its text needs (`params`, e.g. `{"number": "+92…"}`; empty from older servers).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly params: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The session is gone (expired, logged out elsewhere, password changed). */
  get unauthorized(): boolean {
    return this.status === 401;
  }

  /** The server could not be reached at all. */
  get offline(): boolean {
    return this.status === 0;
  }
}

/**
 * Reads an error body. The server's shape is `{"error":{"code","message","params"?,"fields"?}}`;
 * a flat `{"error":code,"message","field"?}` is accepted too.
 */
export function parseErrorBody(status: number, body: unknown, fallback: string): ApiError {
  if (body && typeof body === 'object' && 'error' in body) {
    const b = body as Record<string, unknown>;
    const e = b.error;
    if (e && typeof e === 'object') {
      const inner = e as Record<string, unknown>;
      const fields = Array.isArray(inner.fields) ? inner.fields.flatMap(toFieldProblem) : [];
      return new ApiError(status, str(inner.code, 'error'), str(inner.message, fallback), fields, toParams(inner.params));
    }
    if (typeof e === 'string') {
      const message = str(b.message, fallback);
      const fields = typeof b.field === 'string' ? [{ field: b.field, message, code: null, params: {} }] : [];
      return new ApiError(status, e, message, fields);
    }
  }
  return new ApiError(status, `http_${status}`, fallback);
}

function str(v: unknown, fallback: string): string {
  return typeof v === 'string' && v !== '' ? v : fallback;
}

/** One entry of `fields`, or nothing when it is not a field problem. */
function toFieldProblem(v: unknown): FieldProblem[] {
  if (!v || typeof v !== 'object') return [];
  const f = v as Record<string, unknown>;
  if (typeof f.field !== 'string') return [];
  return [
    {
      field: f.field,
      message: typeof f.message === 'string' ? f.message : '',
      code: typeof f.code === 'string' && f.code !== '' ? f.code : null,
      params: toParams(f.params),
    },
  ];
}

/** `params` as strings; numbers are accepted and written out, anything else dropped. */
function toParams(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!v || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x === 'string') out[k] = x;
    else if (typeof x === 'number' && Number.isFinite(x)) out[k] = String(x);
  }
  return out;
}

/** Called with every 401, so the app can ask for the password again. */
/** What a session may do: the owner everything, a kitchen tablet the board's work. */
export type Role = 'owner' | 'kitchen';
export type SessionInfo = { username: string; role: Role };
export type PairingCode = { code: string; url: string; expires_at: string };

let onOwnerOnly: () => void = () => {};
/** Called when a kitchen session asked for an owner's page (403 `owner_only`). */
export function setOwnerOnlyHandler(handler: () => void): void {
  onOwnerOnly = handler;
}

let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/** Reports a session found gone some other way (the event stream was refused). */
export function reportUnauthorized(): void {
  onUnauthorized();
}

async function request<T>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        // Marks a script's request: the server must answer a 401 without a Basic challenge,
        // or the browser pops up its own password dialog over the board.
        'x-requested-with': 'XMLHttpRequest',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...extraHeaders,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'offline', 'The kitchen server cannot be reached.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = parseErrorBody(res.status, json, `${res.status} ${res.statusText}`.trim());
    // A failed login is a 401 too, but not an expired session.
    if (err.unauthorized && path !== '/api/login') onUnauthorized();
    if (err.status === 403 && err.code === 'owner_only') onOwnerOnly();
    throw err;
  }
  return json as T;
}

export type OrderQuery = {
  status?: OrderStatus;
  /** A business date (YYYY-MM-DD) or an RFC 3339 time. */
  since?: string;
  /** One business day (YYYY-MM-DD). */
  date?: string;
  phone?: string;
  limit?: number;
};

function query(q: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

export const api = {
  login: (username: string, password: string) =>
    request<SessionInfo & { expires_at: string }>('POST', '/api/login', { username, password }),
  logout: () => request<void>('POST', '/api/logout'),
  session: () => request<SessionInfo>('GET', '/api/session'),
  /** A tablet redeems a one-time pairing code for a kitchen session. */
  pair: (code: string) => request<SessionInfo & { expires_at: string }>('POST', '/api/pair', { code }),
  /** (Owner) a one-time code, and the join link to show as a QR code, for a kitchen tablet. */
  newPairing: () => request<PairingCode>('POST', '/api/pairing'),

  orders: (q: OrderQuery = {}) => request<OrderDto[]>('GET', `/api/orders${query(q)}`),
  order: (id: number) => request<OrderDto>('GET', `/api/orders/${id}`),
  setStatus: (id: number, status: OrderStatus, reason?: string) =>
    request<OrderDto>('PUT', `/api/orders/${id}/status`, reason === undefined ? { status } : { status, reason }),
  /** Out for delivery with a rider from the settings, in one call. */
  dispatch: (id: number, riderId: string) =>
    request<OrderDto>('PUT', `/api/orders/${id}/status`, { status: 'out_for_delivery', rider_id: riderId }),
  /** The day's cash-up: by payment method and by rider. */
  cashup: (date?: string) => request<CashUp>('GET', `/api/cashup${query({ date })}`),
  /** (Owner) a rider's cash of `date` handed in; the server counts the amount. */
  markCollected: (riderId: string, date: string, expected: number) =>
    request<CashUp>('POST', `/api/cashup/riders/${encodeURIComponent(riderId)}/collected`, { date, expected }),
  /** (Owner) takes a rider's "collected" mark back. */
  unmarkCollected: (riderId: string, date: string) =>
    request<CashUp>('DELETE', `/api/cashup/riders/${encodeURIComponent(riderId)}/collected${query({ date })}`),
  undo: (id: number) => request<OrderDto>('POST', `/api/orders/${id}/undo`),
  /** A delivered order back to ready, a cancelled one back to where it was (409 `not_recallable` otherwise). */
  recall: (id: number) => request<OrderDto>('POST', `/api/orders/${id}/recall`),
  /** Prices an order without placing it. */
  quote: (order: OrderRequest) => request<QuoteDto>('POST', '/api/orders/quote', order),
  /** Places an order; the same `idempotencyKey` again returns the order already placed. */
  placeOrder: (order: OrderRequest, idempotencyKey: string) =>
    request<OrderDto>('POST', '/api/orders', order, { 'idempotency-key': idempotencyKey }),
  /** Changes a `new` order: the whole order again, re-priced (409 `order_not_editable` once it is being made). */
  updateOrder: (id: number, order: OrderRequest) => request<OrderDto>('PUT', `/api/orders/${id}`, order),

  menu: () => request<MenuDto>('GET', '/api/menu'),
  saveMenu: (menu: MenuDto) => request<MenuDto>('PUT', '/api/menu', menu),
  /** One item, size, option or deal sold out or back on sale; answers with the whole menu. */
  setAvailability: (change: AvailabilityChange) => request<MenuDto>('PUT', '/api/menu/availability', change),

  calls: (limit = 200) => request<CallRecord[]>('GET', `/api/calls${query({ limit })}`),
  call: (sid: string) => request<CallRecord>('GET', `/api/calls/${encodeURIComponent(sid)}`),
  /** The call cards still waiting for someone (ring back, a transfer's summary), newest first. */
  callCards: () => request<CallCard[]>('GET', '/api/call-cards'),
  /** Marks a call card done; done again answers with the card as first done. */
  callCardDone: (id: number) => request<CallCard>('POST', `/api/call-cards/${id}/done`),

  settings: () => request<SettingsDto>('GET', '/api/settings'),
  saveSettings: (changes: SettingsUpdate) => request<SettingsDto>('PUT', '/api/settings', changes),
  /** Checks changes without saving them: resolves, or throws an ApiError listing every wrong field. */
  checkSettings: (changes: SettingsUpdate) => request<void>('POST', '/api/settings/check', changes),
  setup: () => request<SetupStatus>('GET', '/api/setup'),
  saveSetup: (answers: SetupRequest) => request<SetupStatus>('POST', '/api/setup', answers),
  /** "Skip for now", kept on the server: no other tab, browser or kitchen screen opens the wizard. */
  skipSetup: () => request<SetupStatus>('POST', '/api/setup/skip'),

  summary: (date?: string) => request<DaySummary>('GET', `/api/summary${query({ date })}`),

  phone: () => request<PhoneDto>('GET', '/api/phone'),
  setAnsweringPaused: (paused: boolean) => request<PhoneDto>('PUT', '/api/phone/answering', { paused }),
  connectNumber: () => request<ConnectResult>('POST', '/api/phone/connect'),
  /** "Set up SIP trunk" (issue 17): the trunk, its OpenAI address, the number moved onto it. */
  sipSetup: () => request<SipSetupResult>('POST', '/api/phone/sip-setup'),
  checkSetup: () => request<SetupCheck[]>('POST', '/api/setup/check'),

  /** Each printer's status (ready, offline, out of paper…) and the computer's printers. */
  printers: () => request<PrintersDto>('GET', '/api/printers'),
  /** Queues a KOT or a bill (a reprint when printed before); 202 with the jobs. */
  printOrder: (id: number, document: PrintDocument, printerId?: string) =>
    request<PrintQueuedDto>('POST', `/api/orders/${id}/print`, {
      document,
      ...(printerId === undefined ? {} : { printer_id: printerId }),
    }),
  /** Queues a test page and retries the printer at once. */
  testPrinter: (id: string) => request<PrintQueuedDto>('POST', `/api/printers/${encodeURIComponent(id)}/test`),
};

/**
 * The day's orders as a CSV file for the owner's spreadsheet (BOM, readable columns, rupees);
 * opened as a plain link (the cookie authenticates). `format=data` gives the script columns.
 */
export function ordersCsvUrl(date: string, format?: 'data'): string {
  return `/api/orders.csv${query({ date, format })}`;
}

/** The live event stream's URL on this page's server. */
export function eventsUrl(loc: Pick<Location, 'protocol' | 'host'> = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api/events`;
}
