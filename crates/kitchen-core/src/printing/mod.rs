//! Printing: the print queue and one worker per printer.
//!
//! Jobs are queued in SQLite (`print_jobs`) with their bytes rendered **when queued**: what
//! prints is exactly the ticket that was asked for, a queued job needs nothing else to print
//! after a restart, and a worker is only a transport (the order or the settings changing
//! meanwhile do not change a waiting ticket).
//!
//! Each printer's worker takes its queued jobs oldest first, so tickets print in the order
//! they were queued. A job is marked done only after its bytes were written and the
//! connection closed cleanly; a failure leaves it queued (attempts and the error noted) and
//! the worker retries after a backoff growing from 1 s to 30 s, at once when the settings
//! change or a test page is asked for. A printer's trouble never touches the orders or the
//! other printers' workers. Every change of a printer's status is published as
//! `printer.changed`.
//!
//! What prints when: a new order → every `auto_print` printer prints its documents (the
//! KOT; the bill at once for a pickup, at dispatch for a delivery — [`dispatched`]); staff
//! ask for a KOT or a bill from the ticket ([`PrintService::print_order`]) — a document
//! printed before is marked REPRINT — or a test page.

pub mod transport;

use crate::clock::SharedClock;
use crate::events::EventBus;
use kitchen_domain::{
    Fulfilment, Order, OrderStatus, PrintDocument, PrinterConfig, PrinterKind, ShopSettings,
    TicketLanguage,
};
use kitchen_print::{DocOptions, Language, Paper, ShopHeader};
use kitchen_store::{NewPrintJob, Store, StoreError};
use kitchen_wire::{
    KitchenEvent, OrderDto, PrintJobDto, PrinterState, PrinterStatusDto, PrintersDto,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio_util::sync::CancellationToken;
use transport::{SendError, SendErrorKind, Spooler};

/// The first wait before retrying a failed job.
pub const FIRST_RETRY: Duration = Duration::from_secs(1);
/// The longest wait between retries.
pub const MAX_RETRY: Duration = Duration::from_secs(30);

/// Why a print request was refused.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// No printer has that id.
    #[error("there is no printer `{0}`; choose one from Settings → Printers")]
    UnknownPrinter(String),
    /// No printer prints that document.
    #[error("no printer is set up to print the {0}; tick it for a printer in Settings → Printers")]
    NoPrinterFor(&'static str),
    /// The order does not exist.
    #[error("order not found")]
    OrderNotFound,
    /// Drawing the ticket failed (its thread panicked): a bug, never the order's fault.
    #[error("the ticket could not be drawn: {0}")]
    Render(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl PrintError {
    /// The stable code the dashboard translates.
    pub fn code(&self) -> &'static str {
        match self {
            PrintError::UnknownPrinter(_) => "printer_not_found",
            PrintError::NoPrinterFor(_) => "no_printer_for_document",
            PrintError::OrderNotFound => "not_found",
            PrintError::Render(_) | PrintError::Store(_) => "internal",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Condition {
    state: PrinterState,
    code: Option<&'static str>,
    message: Option<String>,
}

impl Default for Condition {
    fn default() -> Self {
        Condition {
            state: PrinterState::Ready,
            code: None,
            message: None,
        }
    }
}

#[derive(Debug)]
struct Worker {
    wake: Arc<Notify>,
    condition: Condition,
    last_published: Option<PrinterStatusDto>,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    bus: EventBus,
    clock: SharedClock,
    utc_offset: chrono::FixedOffset,
    settings: watch::Receiver<Arc<ShopSettings>>,
    spooler: Spooler,
    workers: Mutex<HashMap<String, Worker>>,
    shutdown: CancellationToken,
}

/// The print queue and its workers. Cheap to clone.
#[derive(Debug, Clone)]
pub struct PrintService {
    inner: Arc<Inner>,
}

/// Whether an order update is its dispatch: a delivery that went out (with its rider, when
/// the shop has riders), whose bill the `auto_print` printers print then, naming the rider.
pub fn dispatched(status: OrderStatus, fulfilment: &Fulfilment) -> bool {
    status == OrderStatus::OutForDelivery && matches!(fulfilment, Fulfilment::Delivery { .. })
}

/// Days a printed job's row is kept (it marks a later print of the same document as a
/// reprint); older ones are forgotten when the service starts.
const PRINTED_KEPT_DAYS: i64 = 30;

/// What the service is built from.
#[derive(Debug)]
pub struct PrintSetup {
    /// The database (the queue lives there).
    pub store: Store,
    /// Where `printer.changed` goes, and where new orders come from.
    pub bus: EventBus,
    /// "Now".
    pub clock: SharedClock,
    /// The shop's offset from UTC, for printed times.
    pub utc_offset: chrono::FixedOffset,
    /// The settings in effect (printers, shop header, ticket language).
    pub settings: watch::Receiver<Arc<ShopSettings>>,
    /// The operating system's spooler.
    pub spooler: Spooler,
    /// Cancelled at shutdown: the workers stop (their queued jobs stay queued).
    pub shutdown: CancellationToken,
}

impl PrintService {
    /// Starts the service: a worker for every printer set up (resuming jobs queued before a
    /// restart), the watcher of settings changes and the listener for new orders.
    pub fn start(setup: PrintSetup) -> PrintService {
        let service = PrintService {
            inner: Arc::new(Inner {
                store: setup.store,
                bus: setup.bus,
                clock: setup.clock,
                utc_offset: setup.utc_offset,
                settings: setup.settings,
                spooler: setup.spooler,
                workers: Mutex::new(HashMap::new()),
                shutdown: setup.shutdown,
            }),
        };
        service.sync_workers();
        let s = service.clone();
        tokio::spawn(async move {
            let before = s.inner.clock.now() - chrono::Duration::days(PRINTED_KEPT_DAYS);
            match s.inner.store.forget_printed_jobs(before).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(jobs = n, "forgot print jobs printed over a month ago"),
                Err(e) => tracing::warn!(error = %e, "could not forget old print jobs"),
            }
        });
        let s = service.clone();
        let mut orders = s.inner.bus.subscribe();
        let started = s.inner.clock.now();
        tokio::spawn(async move {
            loop {
                let event = tokio::select! {
                    () = s.inner.shutdown.cancelled() => break,
                    e = orders.recv() => e,
                };
                match event {
                    Ok(p) => match &*p.event {
                        KitchenEvent::OrderCreated { order } => s.on_new_order(order).await,
                        KitchenEvent::OrderUpdated { order } => s.on_updated_order(order).await,
                        _ => {}
                    },
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(
                            missed = n,
                            "the printer queue fell behind the kitchen's events; checking the last hour's orders for tickets not yet queued"
                        );
                        let since = started.max(s.inner.clock.now() - chrono::Duration::hours(1));
                        s.catch_up(since).await;
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                }
            }
        });
        let s = service.clone();
        let mut settings = s.inner.settings.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = s.inner.shutdown.cancelled() => break,
                    r = settings.changed() => if r.is_err() { break },
                }
                s.sync_workers();
                s.wake_all();
            }
        });
        service
    }

    fn settings(&self) -> Arc<ShopSettings> {
        self.inner.settings.borrow().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Worker>> {
        self.inner
            .workers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts a worker for every printer that has none; a removed printer's worker stops
    /// on its own (its queued jobs stay, for when it is added back).
    fn sync_workers(&self) {
        let settings = self.settings();
        let mut workers = self.lock();
        workers.retain(|id, w| {
            let kept = settings.printers.iter().any(|p| &p.id == id);
            if !kept {
                // Its worker sees it is no longer current and ends.
                w.wake.notify_one();
            }
            kept
        });
        for p in &settings.printers {
            if workers.contains_key(&p.id) {
                continue;
            }
            let wake = Arc::new(Notify::new());
            workers.insert(
                p.id.clone(),
                Worker {
                    wake: wake.clone(),
                    condition: Condition::default(),
                    last_published: None,
                },
            );
            let s = self.clone();
            let id = p.id.clone();
            tokio::spawn(async move { s.run_worker(id, wake).await });
        }
    }

    fn wake_all(&self) {
        for w in self.lock().values() {
            w.wake.notify_one();
        }
    }

    fn wake(&self, printer_id: &str) {
        if let Some(w) = self.lock().get(printer_id) {
            w.wake.notify_one();
        }
    }

    fn printer(&self, id: &str) -> Option<PrinterConfig> {
        self.settings()
            .printers
            .iter()
            .find(|p| p.id == id)
            .cloned()
    }

    async fn run_worker(&self, id: String, wake: Arc<Notify>) {
        let mut backoff = FIRST_RETRY;
        // The worker ends when its printer is removed (a new worker takes over if it is
        // added back) or at shutdown.
        while !self.inner.shutdown.is_cancelled() && self.is_current_worker(&id, &wake) {
            let Some(printer) = self.printer(&id) else {
                break;
            };
            let job = match self.inner.store.next_print_job(id.clone()).await {
                Ok(job) => job,
                Err(e) => {
                    tracing::error!(printer = %id, error = %e, "could not read the print queue");
                    self.wait(&wake, MAX_RETRY).await;
                    continue;
                }
            };
            let Some(job) = job else {
                self.set_condition(&id, Condition::default()).await;
                backoff = FIRST_RETRY;
                tokio::select! {
                    () = self.inner.shutdown.cancelled() => break,
                    () = wake.notified() => {}
                }
                continue;
            };
            let ready = self
                .lock()
                .get(&id)
                .is_some_and(|w| w.condition.state == PrinterState::Ready);
            if ready {
                let printing = Condition {
                    state: PrinterState::Printing,
                    ..Condition::default()
                };
                self.set_condition(&id, printing).await;
            }
            let mut bytes = Vec::with_capacity(job.bytes.len() * job.copies as usize);
            for _ in 0..job.copies.max(1) {
                bytes.extend_from_slice(&job.bytes);
            }
            let sent = match printer.kind {
                PrinterKind::Network => transport::send_network(&printer.address, &bytes).await,
                PrinterKind::System => self.inner.spooler.send(&printer.address, &bytes).await,
            };
            match sent {
                Ok(()) => {
                    // Printed: the job must not go out again, so marking it done is retried
                    // (never the print) until the database takes it.
                    let mut wait = FIRST_RETRY;
                    while let Err(e) = self
                        .inner
                        .store
                        .print_job_done(job.id, self.inner.clock.now())
                        .await
                    {
                        tracing::error!(printer = %id, job = job.id, error = %e, "printed, but could not mark the job done yet");
                        if self.inner.shutdown.is_cancelled() {
                            return;
                        }
                        tokio::select! {
                            () = self.inner.shutdown.cancelled() => return,
                            () = tokio::time::sleep(wait) => {}
                        }
                        wait = (wait * 2).min(MAX_RETRY);
                    }
                    tracing::info!(printer = %id, job = job.id, document = %job.document, "printed");
                    backoff = FIRST_RETRY;
                    self.set_condition(&id, Condition::default()).await;
                }
                Err(e) => {
                    tracing::warn!(printer = %id, job = job.id, code = e.code, problem = %e.message, attempt = job.attempts + 1, "a print job waits");
                    if let Err(se) = self
                        .inner
                        .store
                        .print_job_failed(job.id, e.message.clone())
                        .await
                    {
                        tracing::error!(printer = %id, error = %se, "could not note a failed print");
                    }
                    self.set_condition(&id, condition_of(&e)).await;
                    self.wait(&wake, backoff).await;
                    backoff = (backoff * 2).min(MAX_RETRY);
                }
            }
        }
    }

    fn is_current_worker(&self, id: &str, wake: &Arc<Notify>) -> bool {
        self.lock()
            .get(id)
            .is_some_and(|w| Arc::ptr_eq(&w.wake, wake))
    }

    async fn wait(&self, wake: &Notify, d: Duration) {
        tokio::select! {
            () = self.inner.shutdown.cancelled() => {}
            () = wake.notified() => {}
            () = tokio::time::sleep(d) => {}
        }
    }

    async fn set_condition(&self, id: &str, c: Condition) {
        if let Some(w) = self.lock().get_mut(id) {
            w.condition = c;
        }
        self.publish(id).await;
    }

    /// Publishes a printer's status when it differs from what was last published.
    async fn publish(&self, id: &str) {
        let Some(printer) = self.printer(id) else {
            return;
        };
        let Ok(status) = self.status_of(&printer).await else {
            return;
        };
        let changed = {
            let mut workers = self.lock();
            match workers.get_mut(id) {
                Some(w) if w.last_published.as_ref() != Some(&status) => {
                    w.last_published = Some(status.clone());
                    true
                }
                _ => false,
            }
        };
        if changed {
            self.inner
                .bus
                .publish(KitchenEvent::PrinterChanged { printer: status });
        }
    }

    async fn status_of(&self, p: &PrinterConfig) -> Result<PrinterStatusDto, StoreError> {
        let queue = self.inner.store.print_queue_state(p.id.clone()).await?;
        let condition = self
            .lock()
            .get(&p.id)
            .map(|w| w.condition.clone())
            .unwrap_or_default();
        Ok(PrinterStatusDto {
            id: p.id.clone(),
            name: p.name.clone(),
            kind: p.kind,
            state: condition.state,
            message_code: condition.code.map(str::to_string),
            message: condition.message,
            jobs_waiting: queue.waiting,
            last_printed: queue.last_printed.map(kitchen_wire::dto::time),
        })
    }

    /// `GET /api/printers`: every printer's status and the system's printers.
    pub async fn printers(&self) -> Result<PrintersDto, StoreError> {
        let settings = self.settings();
        let mut printers = Vec::with_capacity(settings.printers.len());
        for p in &settings.printers {
            printers.push(self.status_of(p).await?);
        }
        let (system_printers, system_printers_problem) = match self.inner.spooler.printers().await {
            Ok(list) => (list, None),
            Err(code) => (Vec::new(), Some(code.to_string())),
        };
        Ok(PrintersDto {
            printers,
            system_printers,
            system_printers_problem,
        })
    }

    fn options(
        &self,
        p: &PrinterConfig,
        s: &ShopSettings,
        reprint: bool,
        rider_name: Option<String>,
    ) -> DocOptions {
        DocOptions {
            paper: Paper::from_mm(p.width_mm).unwrap_or(Paper::Mm80),
            language: match s.ticket_language {
                TicketLanguage::En => Language::En,
                TicketLanguage::Ur => Language::Ur,
            },
            reprint,
            rider_name,
            utc_offset: self.inner.utc_offset,
        }
    }

    fn header(s: &ShopSettings) -> ShopHeader {
        ShopHeader {
            name: s.shop_name.to_string(),
            address: s.shop_address.clone(),
            phone: s.shop_phone.as_ref().map(|p| p.to_string()),
        }
    }

    /// One copy of `doc` for printer `p`, drawn on a blocking thread (an Urdu ticket is a
    /// few milliseconds of shaping and rasterising; the runtime's threads stay free).
    async fn render(
        &self,
        doc: PrintDocument,
        order: &Order,
        p: &PrinterConfig,
        s: &ShopSettings,
        reprint: bool,
    ) -> Result<Vec<u8>, PrintError> {
        // A bill names the rider the order went out with (the dispatch bill, and any printed
        // after it); a KOT never does.
        let rider = match doc {
            PrintDocument::Bill => order.rider.as_ref().map(|r| r.name.clone()),
            PrintDocument::Kot => None,
        };
        let opts = self.options(p, s, reprint, rider);
        let header = Self::header(s);
        let order = order.clone();
        tokio::task::spawn_blocking(move || match doc {
            PrintDocument::Kot => kitchen_print::kot(&order, &opts),
            PrintDocument::Bill => kitchen_print::bill(&order, &header, &opts),
        })
        .await
        .map_err(|e| PrintError::Render(e.to_string()))
    }

    async fn queue(&self, jobs: Vec<NewPrintJob>) -> Result<Vec<PrintJobDto>, StoreError> {
        if jobs.is_empty() {
            return Ok(Vec::new());
        }
        let ids = self
            .inner
            .store
            .enqueue_print_jobs(jobs.clone(), self.inner.clock.now())
            .await?;
        let mut printers: Vec<&str> = jobs.iter().map(|j| j.printer_id.as_str()).collect();
        printers.dedup();
        for p in printers {
            self.publish(p).await;
            self.wake(p);
        }
        Ok(ids
            .into_iter()
            .zip(jobs)
            .map(|(id, j)| PrintJobDto {
                id,
                printer_id: j.printer_id,
                document: j.document,
                reprint: j.reprint,
                copies: j.copies,
            })
            .collect())
    }

    /// Queues `docs` of `order` on every `auto_print` printer that prints them, unless they
    /// were queued on their own before (an event seen twice prints nothing twice). A bill
    /// counts only if queued since the order's latest dispatch: a delivery undone and sent
    /// out again (with another rider) gets a bill naming the rider it went with.
    async fn auto_print(&self, order_id: i64, docs: &[PrintDocument]) -> Result<(), PrintError> {
        let settings = self.settings();
        if !settings.printers.iter().any(|p| p.auto_print) {
            return Ok(());
        }
        let order = self.inner.store.order(order_id).await?;
        let mut jobs = Vec::new();
        for &doc in docs {
            let since = match doc {
                PrintDocument::Bill => order.rider.as_ref().map(|r| r.dispatched_at),
                PrintDocument::Kot => None,
            };
            if self
                .inner
                .store
                .printed_before(order.id, doc.as_str(), true, since)
                .await?
            {
                continue;
            }
            for p in settings
                .printers
                .iter()
                .filter(|p| p.auto_print && p.prints(doc))
            {
                jobs.push(NewPrintJob {
                    printer_id: p.id.clone(),
                    order_id: Some(order.id),
                    document: doc.as_str().into(),
                    reprint: false,
                    copies: p.copies,
                    auto: true,
                    bytes: self.render(doc, &order, p, &settings, false).await?,
                });
            }
        }
        self.queue(jobs).await?;
        Ok(())
    }

    /// After missed events: every open order taken since `since` gets the automatic
    /// tickets it should have had (its KOT, a pickup's bill, a dispatched delivery's bill);
    /// what was queued before is not queued again.
    async fn catch_up(&self, since: chrono::DateTime<chrono::Utc>) {
        let filter = kitchen_store::OrderFilter {
            since: Some(since),
            limit: 1000,
            ..Default::default()
        };
        let orders = match self.inner.store.orders(filter).await {
            Ok(o) => o,
            Err(e) => {
                tracing::error!(error = %e, "could not list the orders to catch up on; print missed tickets from their tickets");
                return;
            }
        };
        // Oldest first, so the kitchen gets them in the order they were taken.
        for order in orders.iter().rev().filter(|o| !o.status.is_final()) {
            let mut docs = vec![PrintDocument::Kot];
            if matches!(order.fulfilment, Fulfilment::Pickup { .. })
                || dispatched(order.status, &order.fulfilment)
            {
                docs.push(PrintDocument::Bill);
            }
            if let Err(e) = self.auto_print(order.id, &docs).await {
                tracing::error!(order = order.number, error = %e, "could not queue a missed order's tickets; print them from the ticket");
            }
        }
    }

    async fn on_new_order(&self, order: &OrderDto) {
        let docs: &[PrintDocument] = if order.fulfilment.kind() == "pickup" {
            &[PrintDocument::Kot, PrintDocument::Bill]
        } else {
            &[PrintDocument::Kot]
        };
        if let Err(e) = self.auto_print(order.id, docs).await {
            tracing::error!(order = order.number, error = %e, "could not queue the new order's tickets; print them from the ticket");
        }
    }

    async fn on_updated_order(&self, order: &OrderDto) {
        if dispatched(order.status, &order.fulfilment)
            && let Err(e) = self.auto_print(order.id, &[PrintDocument::Bill]).await
        {
            tracing::error!(order = order.number, error = %e, "could not queue the dispatched order's bill; print it from the ticket");
        }
    }

    /// `POST /api/orders/{id}/print`: queues `doc` on one printer or on every printer that
    /// prints it. A document queued before for this order is marked REPRINT (and prints in
    /// one copy); a first print prints the printer's copies.
    pub async fn print_order(
        &self,
        order_id: i64,
        doc: PrintDocument,
        printer_id: Option<&str>,
    ) -> Result<Vec<PrintJobDto>, PrintError> {
        let settings = self.settings();
        let printers: Vec<&PrinterConfig> = match printer_id {
            Some(id) => vec![
                settings
                    .printers
                    .iter()
                    .find(|p| p.id == id)
                    .ok_or_else(|| PrintError::UnknownPrinter(id.chars().take(40).collect()))?,
            ],
            None => settings.printers.iter().filter(|p| p.prints(doc)).collect(),
        };
        if printers.is_empty() {
            return Err(PrintError::NoPrinterFor(match doc {
                PrintDocument::Kot => "kitchen ticket",
                PrintDocument::Bill => "bill",
            }));
        }
        let order = match self.inner.store.order(order_id).await {
            Ok(o) => o,
            Err(StoreError::NotFound) => return Err(PrintError::OrderNotFound),
            Err(e) => return Err(e.into()),
        };
        let reprint = self
            .inner
            .store
            .printed_before(order.id, doc.as_str(), false, None)
            .await?;
        let mut jobs = Vec::with_capacity(printers.len());
        for p in printers {
            jobs.push(NewPrintJob {
                printer_id: p.id.clone(),
                order_id: Some(order.id),
                document: doc.as_str().into(),
                reprint,
                copies: if reprint { 1 } else { p.copies },
                auto: false,
                bytes: self.render(doc, &order, p, &settings, reprint).await?,
            });
        }
        Ok(self.queue(jobs).await?)
    }

    /// `POST /api/printers/{id}/test`: queues a test page and retries the printer at once.
    pub async fn test_page(&self, printer_id: &str) -> Result<Vec<PrintJobDto>, PrintError> {
        let settings = self.settings();
        let p = settings
            .printers
            .iter()
            .find(|p| p.id == printer_id)
            .ok_or_else(|| PrintError::UnknownPrinter(printer_id.chars().take(40).collect()))?;
        let opts = self.options(p, &settings, false, None);
        let (name, header) = (p.name.clone(), Self::header(&settings));
        let bytes =
            tokio::task::spawn_blocking(move || kitchen_print::test_page(&name, &header, &opts))
                .await
                .map_err(|e| PrintError::Render(e.to_string()))?;
        Ok(self
            .queue(vec![NewPrintJob {
                printer_id: p.id.clone(),
                order_id: None,
                document: "test".into(),
                reprint: false,
                copies: 1,
                auto: false,
                bytes,
            }])
            .await?)
    }
}

fn condition_of(e: &SendError) -> Condition {
    Condition {
        state: match e.kind {
            SendErrorKind::Offline => PrinterState::Offline,
            SendErrorKind::OutOfPaper => PrinterState::OutOfPaper,
            SendErrorKind::Error => PrinterState::Error,
        },
        code: Some(e.code),
        message: Some(e.message.clone()),
    }
}
