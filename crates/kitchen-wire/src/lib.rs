//! The wire types of Melt 8 Kitchen: what the kitchen API and the live event stream send
//! and take, shared by the HTTP layer (kitchen-http), the desktop shell (kitchen-desktop,
//! src-tauri) and the dashboard, whose TypeScript types (`ui/src/generated/`) are generated
//! from these with ts-rs.
//!
//! Plain data only: domain values are converted into these shapes at the boundary
//! ([`dto::OrderDto::from_order`]); nothing here does I/O or knows the store.

pub mod dto;
pub mod error;
pub mod events;
pub mod phone;
pub mod printing;
pub mod settings;
pub mod setup;
pub mod tunnel;

pub use dto::{ChangedDto, HistoryDto, MenuDto, OrderDto, OrderItemDto, QuoteDto};
pub use error::{ErrorBody, ErrorInfo};
pub use events::KitchenEvent;
pub use phone::{AnsweringUpdate, ConnectResult, PhoneDto, SetupCheck, SetupPart, SipSetupResult};
pub use printing::{
    PrintJobDto, PrintQueuedDto, PrintRequest, PrinterState, PrinterStatusDto, PrintersDto,
};
pub use settings::{SettingsDto, SettingsUpdate};
pub use setup::{SetupRequest, SetupStatus, SetupSteps, SetupValues};
pub use tunnel::{TunnelDto, TunnelState};
