//! The typed settings row against a real SQLite file: round trips, secrets never stored,
//! and an older shop's text settings moved into it by migration 0004.
#![allow(clippy::unwrap_used)]

use kitchen_domain::settings::{Change, E164, Minutes, SettingsPatch, ShopName};
use kitchen_domain::{Secret, SettingsLayer};
use kitchen_store::migrate::MIGRATIONS;
use kitchen_store::rusqlite::Connection;
use kitchen_store::{Store, StoreOptions};

fn open(dir: &std::path::Path) -> Store {
    Store::open(&dir.join("melt8.db"), &StoreOptions::default()).unwrap()
}

#[tokio::test]
async fn a_saved_patch_comes_back_typed_and_clearing_forgets_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    assert_eq!(
        store.shop_settings().await.unwrap(),
        SettingsLayer::default()
    );
    let saved = store
        .save_shop_settings(SettingsPatch {
            shop_name: Change::Set(ShopName::parse("Melt 8 Gulberg").unwrap()),
            eta_minutes: Change::Set(Minutes::parse(45, 5, 180).unwrap()),
            shop_phone: Change::Set(E164::parse("03001234567", "x").unwrap()),
            start_at_login: Change::Set(false),
            answering_paused: Change::Set(true),
            ..SettingsPatch::default()
        })
        .await
        .unwrap();
    let read = store.shop_settings().await.unwrap();
    assert_eq!(read, saved);
    assert_eq!(read.eta_minutes.unwrap().get(), 45);
    assert_eq!(read.shop_phone.unwrap().as_str(), "+923001234567");
    assert_eq!(
        (read.start_at_login, read.answering_paused),
        (Some(false), Some(true))
    );

    let after = store
        .save_shop_settings(SettingsPatch {
            shop_name: Change::Clear,
            ..SettingsPatch::default()
        })
        .await
        .unwrap();
    assert_eq!(after.shop_name, None);
    assert_eq!(
        after.eta_minutes.unwrap().get(),
        45,
        "other values are kept"
    );
}

#[tokio::test]
async fn secrets_in_a_patch_never_reach_the_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let layer = store
        .save_shop_settings(SettingsPatch {
            openai_api_key: Change::Set(Secret::new("sk-never-in-sqlite-71c")),
            shop_name: Change::Set(ShopName::parse("Melt 8").unwrap()),
            ..SettingsPatch::default()
        })
        .await
        .unwrap();
    assert_eq!(layer.openai_api_key, None);
    drop(store);
    for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        let needle = b"sk-never-in-sqlite-71c";
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{:?}",
            entry.path()
        );
    }
}

#[tokio::test]
async fn an_older_shops_text_settings_move_into_the_typed_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("melt8.db");
    {
        // A database as version 3 left it, with settings saved from its dashboard.
        let conn = Connection::open(&path).unwrap();
        for m in MIGRATIONS.iter().filter(|m| m.version <= 3) {
            conn.execute_batch(m.sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        for (k, v) in [
            ("shop_name", "Melt 8 Johar Town"),
            ("eta_minutes", "50"),
            ("amber_after_minutes", "soon"),
            ("red_after_minutes", "15"),
            ("shop_phone", "+923001234567"),
            ("start_at_login", "false"),
            ("setup_done", "true"),
            ("answering_paused", "true"),
            ("ngrok_domain", "melt8.ngrok.app"),
            ("chef_password_hash", "$argon2id$kept"),
        ] {
            conn.execute("INSERT INTO settings (key, value) VALUES (?1, ?2)", [k, v])
                .unwrap();
        }
    }
    let store = Store::open(&path, &StoreOptions::default()).unwrap();
    let l = store.shop_settings().await.unwrap();
    assert_eq!(l.shop_name.unwrap().as_str(), "Melt 8 Johar Town");
    assert_eq!(l.eta_minutes.unwrap().get(), 50);
    assert_eq!(
        l.amber_after_minutes, None,
        "a value that never parsed stays unset"
    );
    assert_eq!(l.red_after_minutes.unwrap().get(), 15);
    assert_eq!(l.shop_phone.unwrap().as_str(), "+923001234567");
    assert_eq!(l.ngrok_domain.unwrap().as_str(), "melt8.ngrok.app");
    assert_eq!(
        (l.start_at_login, l.setup_done, l.answering_paused),
        (Some(false), Some(true), Some(true))
    );
    assert_eq!(
        store
            .setting("chef_password_hash")
            .await
            .unwrap()
            .as_deref(),
        Some("$argon2id$kept"),
        "the server's own values stay where they were"
    );
    assert_eq!(
        store.setting("shop_name").await.unwrap(),
        None,
        "old rows are gone"
    );
}

fn order_settings_patch() -> SettingsPatch {
    use kitchen_domain::{
        DeliveryZone, Money, OpeningHours, PaymentMethod, PickupSettings, TaxRates, TaxSettings,
    };
    let hours: OpeningHours = serde_json::from_str(
        r#"{"weekly": {"mon": [{"from": "12:00", "to": "02:00"}],
                       "fri": [{"from": "14:00", "to": "16:00"}, {"from": "18:00", "to": "03:00"}]},
            "closed_dates": ["2026-12-25"]}"#,
    )
    .unwrap();
    SettingsPatch {
        delivery_zones: Change::Set(vec![
            DeliveryZone {
                id: "gulberg".into(),
                name: "Gulberg".into(),
                name_ur: Some("گلبرگ".into()),
                fee: Money::from_rupees(150),
                min_order: Money::from_rupees(1_000),
                free_above: Some(Money::from_rupees(3_000)),
                eta_minutes: 40,
                areas: vec!["Gulberg II".into(), "Gulberg III".into()],
            },
            DeliveryZone {
                id: "dha".into(),
                name: "DHA".into(),
                name_ur: None,
                fee: Money::from_rupees(250),
                min_order: Money::ZERO,
                free_above: None,
                eta_minutes: 55,
                areas: vec![],
            },
        ]),
        pickup: Change::Set(PickupSettings {
            enabled: false,
            eta_minutes: 15,
        }),
        tax: Change::Set(TaxSettings {
            registered: true,
            prices_include_tax: false,
            rates_bp: TaxRates {
                cash: 1600,
                card: 500,
                wallet: 800,
            },
            on_delivery_fee: true,
        }),
        payment_methods: Change::Set(vec![PaymentMethod::Cash, PaymentMethod::Wallet]),
        hours: Change::Set(hours),
        ..SettingsPatch::default()
    }
}

#[tokio::test]
async fn zones_pickup_tax_payment_methods_and_hours_round_trip_and_clear() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let patch = order_settings_patch();
    let saved = store.save_shop_settings(patch.clone()).await.unwrap();
    drop(store);

    let store = open(dir.path());
    let read = store.shop_settings().await.unwrap();
    assert_eq!(read, saved);
    let mut expected = SettingsLayer::default();
    expected.apply(&patch);
    assert_eq!(read, expected, "every value exactly as set");
    assert_eq!(read.delivery_zones.as_ref().unwrap()[1].id, "dha");
    assert_eq!(read.tax.unwrap().rates_bp.wallet, 800);
    assert_eq!(read.hours.as_ref().unwrap().closed_dates.len(), 1);

    let stored: (String, String) = store
        .call(|c| {
            Ok(c.query_row(
                "SELECT json_extract(delivery_zones_json, '$[0].fee'), payment_methods_json
                 FROM shop_settings",
                [],
                |r| Ok((r.get::<_, i64>(0)?.to_string(), r.get(1)?)),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(stored, ("15000".into(), r#"["cash","wallet"]"#.into()));

    let cleared = store
        .save_shop_settings(SettingsPatch {
            tax: Change::Clear,
            hours: Change::Clear,
            ..SettingsPatch::default()
        })
        .await
        .unwrap();
    assert_eq!((cleared.tax, cleared.hours.as_ref()), (None, None));
    assert_eq!(cleared.delivery_zones, expected.delivery_zones, "kept");
    assert_eq!(store.shop_settings().await.unwrap(), cleared);
}

#[tokio::test]
async fn a_hand_edited_order_setting_that_no_longer_passes_reads_as_unset() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let saved = store
        .save_shop_settings(SettingsPatch {
            shop_name: Change::Set(ShopName::parse("Melt 8 DHA").unwrap()),
            ..order_settings_patch()
        })
        .await
        .unwrap();
    store
        .call(|c| {
            c.execute_batch(
                // Not JSON; JSON of the wrong shape; right shape but against the rules
                // (an ETA of 999 minutes, no payment method at all).
                r#"UPDATE shop_settings SET
                     tax_json = '{"registered": true, "rates_bp": ',
                     hours_json = '42',
                     delivery_zones_json = json_set(delivery_zones_json, '$[0].eta_minutes', 999),
                     payment_methods_json = '[]'"#,
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let read = store.shop_settings().await.unwrap();
    assert_eq!(
        (
            read.tax,
            read.hours.as_ref(),
            read.delivery_zones.as_ref(),
            read.payment_methods.as_ref()
        ),
        (None, None, None, None)
    );
    assert_eq!(read.pickup, saved.pickup, "the untouched value is kept");
    assert_eq!(read.shop_name, saved.shop_name);
    let resolved = kitchen_domain::ShopSettings::resolve(&SettingsLayer::default(), &read);
    assert_eq!(
        resolved.payment_methods,
        kitchen_domain::PaymentMethod::ALL.to_vec(),
        "the default applies"
    );

    // Saving something else works and writes the broken values out as unset.
    let after = store
        .save_shop_settings(SettingsPatch {
            eta_minutes: Change::Set(Minutes::parse(30, 5, 180).unwrap()),
            ..SettingsPatch::default()
        })
        .await
        .unwrap();
    assert_eq!(after.tax, None);
    assert_eq!(after.pickup, saved.pickup);
    let tax_json: Option<String> = store
        .call(|c| Ok(c.query_row("SELECT tax_json FROM shop_settings", [], |r| r.get(0))?))
        .await
        .unwrap();
    assert_eq!(tax_json, None);
}
