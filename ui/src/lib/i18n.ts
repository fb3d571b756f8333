// Every string the dashboard shows, in English and Urdu. `Messages` is the English
// dictionary's type, so a missing or mistyped Urdu entry fails `npm run check`.

import type { CallOutcome, ItemKind, OrderStatus } from './api';

export type Lang = 'en' | 'ur';

const en = {
  appName: 'Melt 8 Kitchen',
  nav: { board: 'Board', menu: 'Menu', settings: 'Settings', calls: 'Calls', summary: 'Day summary' },
  logout: 'Log out',
  switchLanguage: 'اردو',
  soundOn: 'Sound on',
  soundOff: 'Sound off',
  connection: { stopped: 'Not connected', connecting: 'Connecting…', online: 'Live', offline: 'Offline' } satisfies Record<
    'stopped' | 'connecting' | 'online' | 'offline',
    string
  >,
  offlineBanner: (seconds: number | null) =>
    seconds === null
      ? 'No connection to the kitchen server. The board may be out of date.'
      : `No connection to the kitchen server. Trying again in ${seconds} s — the board may be out of date.`,
  retryNow: 'Try now',

  login: {
    title: 'Chef login',
    username: 'Username',
    password: 'Password',
    submit: 'Log in',
    busy: 'Logging in…',
    expired: 'Your session has ended. Log in again — the board is kept.',
    wrong: 'Wrong username or password.',
    tooMany: (seconds: number | null) =>
      seconds === null ? 'Too many attempts. Wait a minute and try again.' : `Too many attempts. Try again in ${seconds} s.`,
    unreachable: 'The kitchen server cannot be reached.',
  },

  status: {
    new: 'New',
    preparing: 'Preparing',
    ready: 'Ready',
    delivered: 'Delivered',
    cancelled: 'Cancelled',
  } satisfies Record<OrderStatus, string>,
  kind: { pizza: 'Pizza', drink: 'Drink', side: 'Side' } satisfies Record<ItemKind, string>,

  board: {
    search: 'Search phone or #number',
    clearSearch: 'Clear',
    empty: 'No orders',
    loading: 'Loading orders…',
    today: 'Today',
    doneSummary: (delivered: number, cancelled: number) => `Today: ${delivered} delivered, ${cancelled} cancelled`,
    matches: (n: number) => (n === 1 ? '1 order matches' : `${n} orders match`),
  },

  ticket: {
    number: (n: number) => `#${n}`,
    advance: { new: 'Start preparing', preparing: 'Mark ready', ready: 'Delivered' } satisfies Partial<Record<OrderStatus, string>>,
    cancel: 'Cancel',
    acknowledge: 'New order — tap to stop the alert',
    phone: 'Phone',
    withheld: 'Number withheld',
    noPhone: 'No phone',
    address: 'Address',
    landmark: 'Landmark',
    total: 'Total',
    fromPhone: 'Phone order',
    fromStaff: 'Counter order',
    reason: 'Reason',
    age: 'Waiting',
    details: 'Details',
  },

  undo: {
    changed: (n: number, to: string) => `Order #${n} → ${to}`,
    button: (seconds: number) => `Undo (${seconds} s)`,
    done: (n: number) => `Order #${n}: change undone`,
    expired: 'Too late to undo: 30 seconds have passed.',
    nothing: 'Nothing to undo: the order has changed since.',
  },

  cancel: {
    title: (n: number) => `Cancel order #${n}?`,
    reason: 'Reason (required)',
    presets: ['Customer cancelled', 'Customer not reachable', 'Item out of stock', 'Duplicate order'],
    confirm: 'Cancel the order',
    back: 'Keep the order',
    required: 'Give a reason for cancelling.',
  },

  errors: {
    failed: (message: string) => `That did not work: ${message}`,
    offline: 'The kitchen server cannot be reached. Try again when it is back.',
    changedElsewhere: 'That order was changed on another screen; the board now shows it as it is.',
    dismiss: 'Dismiss',
  },

  menu: {
    title: 'Menu',
    loading: 'Loading the menu…',
    addItem: 'Add item',
    removeItem: 'Remove item',
    addSize: 'Add size',
    removeSize: 'Remove size',
    id: 'Id',
    name: 'Name (English)',
    nameUr: 'Name (Urdu)',
    kind: 'Kind',
    available: 'Available',
    soldOut: 'Sold out',
    size: 'Size',
    sizeId: 'Size id',
    price: 'Price (Rs)',
    save: 'Save menu',
    saving: 'Saving…',
    saved: 'Menu saved. The next call uses it.',
    discard: 'Discard changes',
    badPrice: 'Enter a price in rupees, e.g. 1250',
    fix: 'Some fields need fixing (marked below).',
    changedElsewhere: 'The menu was changed on another screen.',
    reload: 'Load it',
    newItem: 'New item',
    unsaved: 'Unsaved changes',
  },

  settings: {
    title: 'Settings',
    loading: 'Loading settings…',
    shopName: 'Shop name',
    greeting: 'Greeting (said by the AI at the start of a call)',
    etaMinutes: 'Delivery time told to callers (minutes)',
    amberAfter: 'Ticket turns amber after (minutes)',
    redAfter: 'Ticket turns red after (minutes)',
    shopPhone: "Shop's phone (calls are passed here)",
    openaiKey: 'OpenAI API key',
    twilioToken: 'Twilio auth token',
    isSet: 'set',
    notSet: 'not set',
    secretHint: 'Type a new value to replace it. Saved values are never shown.',
    save: 'Save settings',
    saving: 'Saving…',
    saved: 'Settings saved.',
    unavailable: 'This kitchen server does not offer settings yet.',
    notANumber: 'Enter a whole number.',
  },

  calls: {
    title: 'Call log',
    loading: 'Loading calls…',
    none: 'No calls yet.',
    time: 'Time',
    caller: 'Caller',
    duration: 'Duration',
    outcome: 'Outcome',
    order: 'Order',
    transcript: 'Transcript',
    showTranscript: 'Show what was said',
    hideTranscript: 'Hide',
    noTranscript: 'Nothing was said on this call.',
    withheld: 'Withheld',
    outcomes: {
      in_progress: 'In progress',
      ordered: 'Ordered',
      transferred: 'Transferred',
      abandoned: 'Hung up',
      failed: 'Failed',
    } satisfies Record<CallOutcome, string>,
    speakers: { caller: 'Caller', ai: 'AI', system: 'System' } as Record<string, string>,
  },

  summary: {
    title: 'Day summary',
    date: 'Business day',
    loading: 'Loading…',
    orders: 'Orders',
    revenue: 'Revenue',
    avgToReady: 'Average time to ready',
    minutes: (m: number) => `${m.toFixed(1)} min`,
    cancelled: 'Cancelled',
    delivered: 'Delivered',
    none: '—',
    csv: 'Download CSV',
    unavailable: 'This kitchen server does not offer day summaries yet.',
  },

  order: {
    title: (n: number) => `Order #${n}`,
    history: 'History',
    by: (who: string) => `by ${who}`,
    back: 'Back to the board',
    notFound: 'No such order.',
    taken: 'Taken',
  },

  common: { loading: 'Loading…', retry: 'Try again', close: 'Close' },
};

export type Messages = typeof en;

const ur: Messages = {
  appName: 'میلٹ 8 کچن',
  nav: { board: 'آرڈر بورڈ', menu: 'مینو', settings: 'سیٹنگز', calls: 'کالیں', summary: 'دن کا خلاصہ' },
  logout: 'لاگ آؤٹ',
  switchLanguage: 'English',
  soundOn: 'آواز آن',
  soundOff: 'آواز بند',
  connection: { stopped: 'رابطہ نہیں', connecting: 'رابطہ ہو رہا ہے…', online: 'لائیو', offline: 'آف لائن' },
  offlineBanner: (seconds) =>
    seconds === null
      ? 'کچن سرور سے رابطہ نہیں۔ بورڈ پرانا ہو سکتا ہے۔'
      : `کچن سرور سے رابطہ نہیں۔ ${seconds} سیکنڈ میں دوبارہ کوشش — بورڈ پرانا ہو سکتا ہے۔`,
  retryNow: 'ابھی کوشش کریں',

  login: {
    title: 'شیف لاگ اِن',
    username: 'یوزر نیم',
    password: 'پاس ورڈ',
    submit: 'لاگ اِن',
    busy: 'لاگ اِن ہو رہا ہے…',
    expired: 'آپ کا سیشن ختم ہو گیا۔ دوبارہ لاگ اِن کریں — بورڈ محفوظ ہے۔',
    wrong: 'یوزر نیم یا پاس ورڈ غلط ہے۔',
    tooMany: (seconds) =>
      seconds === null ? 'بہت زیادہ کوششیں۔ ایک منٹ بعد دوبارہ کوشش کریں۔' : `بہت زیادہ کوششیں۔ ${seconds} سیکنڈ بعد کوشش کریں۔`,
    unreachable: 'کچن سرور تک رسائی نہیں ہو رہی۔',
  },

  status: { new: 'نیا', preparing: 'تیاری میں', ready: 'تیار', delivered: 'ڈیلیور ہو گیا', cancelled: 'منسوخ' },
  kind: { pizza: 'پیزا', drink: 'مشروب', side: 'سائیڈ' },

  board: {
    search: 'فون یا #نمبر تلاش کریں',
    clearSearch: 'صاف کریں',
    empty: 'کوئی آرڈر نہیں',
    loading: 'آرڈر آ رہے ہیں…',
    today: 'آج',
    doneSummary: (delivered, cancelled) => `آج: ${delivered} ڈیلیور، ${cancelled} منسوخ`,
    matches: (n) => `${n} آرڈر ملے`,
  },

  ticket: {
    number: (n) => `#${n}`,
    advance: { new: 'تیاری شروع کریں', preparing: 'تیار ہے', ready: 'ڈیلیور ہو گیا' },
    cancel: 'منسوخ کریں',
    acknowledge: 'نیا آرڈر — الرٹ بند کرنے کے لیے چھوئیں',
    phone: 'فون',
    withheld: 'نمبر پوشیدہ',
    noPhone: 'فون نہیں',
    address: 'پتہ',
    landmark: 'نشانی',
    total: 'کل',
    fromPhone: 'فون آرڈر',
    fromStaff: 'کاؤنٹر آرڈر',
    reason: 'وجہ',
    age: 'انتظار',
    details: 'تفصیل',
  },

  undo: {
    changed: (n, to) => `آرڈر #${n} ← ${to}`,
    button: (seconds) => `واپس کریں (${seconds} سیکنڈ)`,
    done: (n) => `آرڈر #${n}: تبدیلی واپس ہو گئی`,
    expired: 'واپسی کا وقت ختم: 30 سیکنڈ گزر گئے۔',
    nothing: 'واپس کرنے کو کچھ نہیں: آرڈر اس کے بعد بدل چکا ہے۔',
  },

  cancel: {
    title: (n) => `آرڈر #${n} منسوخ کریں؟`,
    reason: 'وجہ (ضروری)',
    presets: ['گاہک نے منسوخ کیا', 'گاہک سے رابطہ نہیں ہو سکا', 'چیز ختم ہو گئی', 'دوہرا آرڈر'],
    confirm: 'آرڈر منسوخ کریں',
    back: 'آرڈر رہنے دیں',
    required: 'منسوخی کی وجہ لکھیں۔',
  },

  errors: {
    failed: (message) => `یہ نہیں ہو سکا: ${message}`,
    offline: 'کچن سرور تک رسائی نہیں۔ سرور واپس آنے پر دوبارہ کوشش کریں۔',
    changedElsewhere: 'یہ آرڈر کسی اور اسکرین پر بدل چکا ہے؛ بورڈ اب درست حالت دکھا رہا ہے۔',
    dismiss: 'بند کریں',
  },

  menu: {
    title: 'مینو',
    loading: 'مینو آ رہا ہے…',
    addItem: 'آئٹم شامل کریں',
    removeItem: 'آئٹم ہٹائیں',
    addSize: 'سائز شامل کریں',
    removeSize: 'سائز ہٹائیں',
    id: 'شناخت',
    name: 'نام (انگریزی)',
    nameUr: 'نام (اردو)',
    kind: 'قسم',
    available: 'دستیاب',
    soldOut: 'ختم',
    size: 'سائز',
    sizeId: 'سائز شناخت',
    price: 'قیمت (روپے)',
    save: 'مینو محفوظ کریں',
    saving: 'محفوظ ہو رہا ہے…',
    saved: 'مینو محفوظ ہو گیا۔ اگلی کال یہی استعمال کرے گی۔',
    discard: 'تبدیلیاں چھوڑ دیں',
    badPrice: 'قیمت روپوں میں لکھیں، مثلاً 1250',
    fix: 'کچھ خانے درست کریں (نیچے نشان زدہ)۔',
    changedElsewhere: 'مینو کسی اور اسکرین پر بدل گیا ہے۔',
    reload: 'نیا مینو لائیں',
    newItem: 'نیا آئٹم',
    unsaved: 'غیر محفوظ تبدیلیاں',
  },

  settings: {
    title: 'سیٹنگز',
    loading: 'سیٹنگز آ رہی ہیں…',
    shopName: 'دکان کا نام',
    greeting: 'سلام (کال کے شروع میں AI کہے گا)',
    etaMinutes: 'ڈیلیوری کا وقت جو گاہک کو بتایا جائے (منٹ)',
    amberAfter: 'ٹکٹ پیلا ہو جائے (منٹ بعد)',
    redAfter: 'ٹکٹ لال ہو جائے (منٹ بعد)',
    shopPhone: 'دکان کا فون (کالیں یہاں منتقل ہوں گی)',
    openaiKey: 'OpenAI API key',
    twilioToken: 'Twilio auth token',
    isSet: 'موجود',
    notSet: 'موجود نہیں',
    secretHint: 'بدلنے کے لیے نئی قدر لکھیں۔ محفوظ قدر کبھی دکھائی نہیں جاتی۔',
    save: 'سیٹنگز محفوظ کریں',
    saving: 'محفوظ ہو رہا ہے…',
    saved: 'سیٹنگز محفوظ ہو گئیں۔',
    unavailable: 'یہ کچن سرور ابھی سیٹنگز نہیں دیتا۔',
    notANumber: 'پورا عدد لکھیں۔',
  },

  calls: {
    title: 'کال لاگ',
    loading: 'کالیں آ رہی ہیں…',
    none: 'ابھی کوئی کال نہیں۔',
    time: 'وقت',
    caller: 'کال کرنے والا',
    duration: 'دورانیہ',
    outcome: 'نتیجہ',
    order: 'آرڈر',
    transcript: 'گفتگو',
    showTranscript: 'گفتگو دیکھیں',
    hideTranscript: 'چھپائیں',
    noTranscript: 'اس کال پر کچھ نہیں کہا گیا۔',
    withheld: 'پوشیدہ',
    outcomes: { in_progress: 'جاری', ordered: 'آرڈر ہوا', transferred: 'منتقل', abandoned: 'فون بند کر دیا', failed: 'ناکام' },
    speakers: { caller: 'گاہک', ai: 'AI', system: 'سسٹم' },
  },

  summary: {
    title: 'دن کا خلاصہ',
    date: 'کاروباری دن',
    loading: 'آ رہا ہے…',
    orders: 'آرڈر',
    revenue: 'آمدنی',
    avgToReady: 'تیار ہونے کا اوسط وقت',
    minutes: (m) => `${m.toFixed(1)} منٹ`,
    cancelled: 'منسوخ',
    delivered: 'ڈیلیور',
    none: '—',
    csv: 'CSV ڈاؤن لوڈ کریں',
    unavailable: 'یہ کچن سرور ابھی دن کا خلاصہ نہیں دیتا۔',
  },

  order: {
    title: (n) => `آرڈر #${n}`,
    history: 'تاریخچہ',
    by: (who) => `از ${who}`,
    back: 'بورڈ پر واپس',
    notFound: 'ایسا کوئی آرڈر نہیں۔',
    taken: 'لیا گیا',
  },

  common: { loading: 'آ رہا ہے…', retry: 'دوبارہ کوشش کریں', close: 'بند کریں' },
};

export const MESSAGES: Record<Lang, Messages> = { en, ur };

/** Text direction of a language. */
export function direction(lang: Lang): 'ltr' | 'rtl' {
  return lang === 'ur' ? 'rtl' : 'ltr';
}
