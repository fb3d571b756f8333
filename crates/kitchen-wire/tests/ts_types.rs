//! The dashboard's TypeScript types (`ui/src/generated/`) are generated from the Rust API
//! types with ts-rs and committed. This test regenerates them into a temporary folder and
//! fails when the committed files differ, so an API change cannot silently break the UI.
//!
//! Regenerate: `MELT8_WRITE_TS=1 cargo test -p kitchen-wire --test ts_types`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kitchen_domain::{CallRecord, DaySummary, Menu};
use kitchen_wire::{
    AnsweringUpdate, ConnectResult, KitchenEvent, OrderDto, PhoneDto, SettingsDto, SettingsUpdate,
    SetupCheck, SetupRequest, SetupStatus,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use ts_rs::TS;

fn generated_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/generated")
}

fn read_all(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".ts") {
            out.insert(name, std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    out
}

#[test]
fn the_committed_typescript_types_match_the_rust_types() {
    let fresh = tempfile::tempdir().unwrap();
    OrderDto::export_all_to(fresh.path()).unwrap();
    KitchenEvent::export_all_to(fresh.path()).unwrap();
    CallRecord::export_all_to(fresh.path()).unwrap();
    DaySummary::export_all_to(fresh.path()).unwrap();
    kitchen_domain::CashUp::export_all_to(fresh.path()).unwrap();
    SettingsDto::export_all_to(fresh.path()).unwrap();
    SettingsUpdate::export_all_to(fresh.path()).unwrap();
    kitchen_wire::PrintersDto::export_all_to(fresh.path()).unwrap();
    kitchen_wire::PrintRequest::export_all_to(fresh.path()).unwrap();
    kitchen_wire::PrintQueuedDto::export_all_to(fresh.path()).unwrap();
    SetupStatus::export_all_to(fresh.path()).unwrap();
    SetupRequest::export_all_to(fresh.path()).unwrap();
    Menu::export_all_to(fresh.path()).unwrap();
    kitchen_wire::QuoteDto::export_all_to(fresh.path()).unwrap();
    PhoneDto::export_all_to(fresh.path()).unwrap();
    AnsweringUpdate::export_all_to(fresh.path()).unwrap();
    ConnectResult::export_all_to(fresh.path()).unwrap();
    kitchen_wire::SipSetupResult::export_all_to(fresh.path()).unwrap();
    SetupCheck::export_all_to(fresh.path()).unwrap();
    kitchen_domain::OrderRequest::export_all_to(fresh.path()).unwrap();
    let want = read_all(fresh.path());
    assert!(want.contains_key("OrderDto.ts"), "{:?}", want.keys());
    let dir = generated_dir();
    if std::env::var_os("MELT8_WRITE_TS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for old in read_all(&dir).keys() {
            std::fs::remove_file(dir.join(old)).unwrap();
        }
        for (name, text) in &want {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let have = read_all(&dir);
    let stale: Vec<&String> = want
        .keys()
        .chain(have.keys())
        .filter(|k| want.get(*k) != have.get(*k))
        .collect();
    assert!(
        stale.is_empty(),
        "ui/src/generated is stale ({stale:?} differ from the Rust types); regenerate with \
         `MELT8_WRITE_TS=1 cargo test -p kitchen-wire --test ts_types` and commit"
    );
}
