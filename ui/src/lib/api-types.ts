// Wire shapes of the kitchen API, written by hand from the Rust DTOs
// (crates/kitchen-server/src/api/dto.rs, events.rs, kitchen-store's CallRecord,
// kitchen-domain's MenuItem). They give way to the ts-rs output in ../generated/ when it
// lands; everything imports them through ./api.ts, so the switch is one edit there.

export type OrderStatus = 'new' | 'preparing' | 'ready' | 'delivered' | 'cancelled';
export type ItemKind = 'pizza' | 'drink' | 'side';
export type OrderSource = 'staff' | 'phone';

export type OrderItemDto = {
  item_id: string;
  name: string;
  name_ur?: string;
  kind: ItemKind;
  size_id: string;
  size_label: string;
  quantity: number;
  /** Paisa. */
  unit_price: number;
  /** Paisa. */
  line_total: number;
};

export type HistoryDto = {
  from: OrderStatus | null;
  to: OrderStatus;
  reason: string | null;
  by: string;
  at: string;
};

export type OrderDto = {
  id: number;
  uuid: string;
  number: number;
  business_date: string;
  status: OrderStatus;
  flavour: string;
  size: string;
  drink: string | null;
  address: string;
  landmark: string | null;
  customer_name: string | null;
  customer_phone: string | null;
  items: OrderItemDto[];
  /** Paisa. */
  total: number;
  source: OrderSource;
  call_sid: string | null;
  cancel_reason: string | null;
  order_time: string;
  updated_at: string;
  history?: HistoryDto[];
};

export type MenuSize = { id: string; label: string; /** Paisa. */ price: number };

export type MenuItem = {
  id: string;
  name: string;
  name_ur?: string;
  kind: ItemKind;
  available: boolean;
  sizes: MenuSize[];
};

export type CallOutcome = 'in_progress' | 'ordered' | 'transferred' | 'abandoned' | 'failed';

export type TranscriptLine = { speaker: string; text: string; at: string };

export type CallRecord = {
  call_sid: string;
  caller: string | null;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  duration_seconds: number | null;
  outcome: CallOutcome;
  outcome_reason: string | null;
  order_id: number | null;
  input_tokens: number;
  output_tokens: number;
  transcript?: TranscriptLine[];
};

export type KitchenEvent =
  | { type: 'order.created'; order: OrderDto }
  | { type: 'order.updated'; order: OrderDto }
  | { type: 'call.started'; call: CallRecord }
  | { type: 'call.ended'; call: CallRecord }
  | { type: 'menu.updated' };

export type SettingsDto = {
  shop_name: string;
  greeting: string | null;
  eta_minutes: number;
  amber_after_minutes: number;
  red_after_minutes: number;
  shop_phone: string | null;
  openai_api_key_set: boolean;
  twilio_auth_token_set: boolean;
};

export type DaySummary = {
  date: string;
  orders: number;
  /** Paisa. */
  revenue: number;
  average_minutes_to_ready: number | null;
  cancelled: number;
  delivered: number;
};
