//! Pure domain of Melt 8 Kitchen: what a menu, an order and its status flow are, and the
//! rules every order obeys no matter who takes it (the phone AI or a person at the counter);
//! the shop's settings ([`settings`]) as typed values with one set of rules, used alike by
//! the setup wizard, the settings API and the environment loader.
//!
//! Nothing here does I/O, reads the clock or touches a socket or SQL: time and ids come in
//! from the caller, so every rule is unit-tested beside its type.

pub mod bill;
pub mod call;
pub mod call_card;
pub mod hours;
pub mod menu;
pub mod money;
pub mod order;
pub mod phone;
pub mod printers;
pub mod quantity;
pub mod rider;
pub mod secret;
pub mod settings;
pub mod shop;
pub mod status;
pub mod summary;
pub mod urdu;
pub mod validation;
pub mod voice_engine;

pub use bill::{Bill, BillLine, Tax};
pub use call::{CallEndReason, CallOutcome, CallRecord, CallUpdate, TranscriptLine};
pub use call_card::{CallCard, CallCardKind, CallQuote, NewCallCard};
pub use hours::{DayRange, OpeningHours, TimeOfDay, TimeWindow, Weekday};
pub use menu::{
    AvailabilityChange, AvailabilityTarget, Deal, DealSlot, ItemId, ItemKind, Menu, MenuError,
    MenuItem, MenuOption, MenuParts, MenuSize, OptionGroup, SizeId,
};
pub use money::Money;
pub use order::{
    ChangeNote, ChosenOption, DealChoice, DealContents, DealPart, Fulfilment, FulfilmentRequest,
    Half, HalfRequest, LineRequest, NewOrder, OptionChoice, Order, OrderChanged, OrderLine,
    OrderRequest, OrderSource, Payment, PaymentRequest, PriceContext, StatusChangeRecord,
    describe_changes,
};
pub use phone::{PhoneError, PhoneNumber};
pub use printers::{PrintDocument, PrinterConfig, PrinterKind, TicketLanguage};
pub use quantity::Quantity;
pub use rider::{CashCollected, CashUp, MethodCashUp, OrderRider, Rider, RiderCashUp};
pub use secret::Secret;
pub use settings::{Change, SettingsLayer, SettingsPatch, ShopSettings};
pub use shop::{DeliveryZone, PaymentMethod, PickupSettings, TaxRates, TaxSettings, VoiceGender};
pub use status::{Handover, OrderStatus, StatusChange, StatusError, UnknownStatus};
pub use summary::{AiUsage, DaySummary};
pub use validation::{FieldError, ValidationErrors};
pub use voice_engine::VoiceEngine;
