//! The shop's settings as the owner stored them: one typed row of `shop_settings`
//! (migration 0004), read into a [`SettingsLayer`] and changed by a [`SettingsPatch`].
//! Secrets are never stored here; a patch's secrets are ignored (the settings service keeps
//! them in the secret store).

use crate::StoreError;
use kitchen_domain::settings::update::ranges;
use kitchen_domain::settings::{
    AccountSid, AiPrices, E164, Greeting, ItemCount, Minutes, ModelName, NgrokDomain, Problem,
    SettingsLayer, SettingsPatch, ShopName,
};
use kitchen_domain::shop;
use r2d2_sqlite::rusqlite::{Connection, OptionalExtension, Row, params};

const COLUMNS: &str = "shop_name, greeting, eta_minutes, amber_after_minutes, red_after_minutes, \
     shop_phone, twilio_account_sid, twilio_phone_number, openai_model, ngrok_domain, \
     start_at_login, setup_done, answering_paused, delivery_zones_json, pickup_json, tax_json, \
     payment_methods_json, hours_json, busy_minutes_per_order, ai_voice_gender, catering_min_items, \
     max_concurrent_ai_calls, max_call_minutes, max_calls_per_caller_per_hour, \
     daily_ai_budget_minutes, ai_prices_json, printers_json, shop_address, ticket_language, \
     riders_json, voice_engine, openai_project_id, openai_live_model, openai_live_backend_model";

/// A stored JSON setting, read back through the same rule that let it in; a value that no
/// longer passes counts as unset, with a warning.
fn json<T: serde::de::DeserializeOwned>(
    column: &'static str,
    text: Option<String>,
    rule: impl FnOnce(T) -> Result<T, Vec<kitchen_domain::FieldError>>,
) -> Option<T> {
    let value = match serde_json::from_str::<T>(&text?) {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(column, problem = %e, "ignored a stored setting that is not valid");
            return None;
        }
    };
    match rule(value) {
        Ok(v) => Some(v),
        Err(problems) => {
            let problem = problems
                .first()
                .map(|p| p.message.clone())
                .unwrap_or_default();
            tracing::warn!(
                column,
                problem,
                "ignored a stored setting that is not valid"
            );
            None
        }
    }
}

fn to_json<T: serde::Serialize>(v: Option<&T>) -> Option<String> {
    v.and_then(|v| serde_json::to_string(v).ok())
}

/// A stored value that no longer passes its rule (written by hand, or by an older version
/// with looser rules) counts as unset, with a warning: the shop keeps working on the
/// environment's value or the default.
fn checked<T>(column: &'static str, value: Option<Result<T, Problem>>) -> Option<T> {
    match value? {
        Ok(v) => Some(v),
        Err(p) => {
            tracing::warn!(column, problem = %p, "ignored a stored setting that is not valid");
            None
        }
    }
}

fn minutes(n: Option<i64>, (lo, hi): (u32, u32)) -> Option<Result<Minutes, Problem>> {
    n.map(|n| Minutes::parse(u32::try_from(n).unwrap_or(u32::MAX), lo, hi))
}

fn count(n: Option<i64>, (lo, hi): (u32, u32)) -> Option<Result<ItemCount, Problem>> {
    n.map(|n| ItemCount::parse(u32::try_from(n).unwrap_or(u32::MAX), lo, hi))
}

fn from_row(r: &Row<'_>) -> Result<SettingsLayer, r2d2_sqlite::rusqlite::Error> {
    let text = |i: usize| r.get::<_, Option<String>>(i);
    let flag = |i: usize| r.get::<_, Option<bool>>(i);
    Ok(SettingsLayer {
        shop_name: checked("shop_name", text(0)?.map(|v| ShopName::parse(&v))),
        greeting: checked("greeting", text(1)?.map(|v| Greeting::parse(&v))),
        eta_minutes: checked("eta_minutes", minutes(r.get(2)?, ranges::ETA_MINUTES)),
        amber_after_minutes: checked(
            "amber_after_minutes",
            minutes(r.get(3)?, ranges::AMBER_AFTER_MINUTES),
        ),
        red_after_minutes: checked(
            "red_after_minutes",
            minutes(r.get(4)?, ranges::RED_AFTER_MINUTES),
        ),
        shop_phone: checked(
            "shop_phone",
            text(5)?.map(|v| E164::parse(&v, "shop_phone")),
        ),
        twilio_account_sid: checked(
            "twilio_account_sid",
            text(6)?.map(|v| AccountSid::parse(&v)),
        ),
        twilio_phone_number: checked(
            "twilio_phone_number",
            text(7)?.map(|v| E164::parse(&v, "twilio_phone_number")),
        ),
        openai_model: checked("openai_model", text(8)?.map(|v| ModelName::parse(&v))),
        ngrok_domain: checked("ngrok_domain", text(9)?.map(|v| NgrokDomain::parse(&v))),
        start_at_login: flag(10)?,
        setup_done: flag(11)?,
        answering_paused: flag(12)?,
        openai_api_key: None,
        twilio_auth_token: None,
        ngrok_authtoken: None,
        delivery_zones: json("delivery_zones_json", text(13)?, shop::check_zones),
        pickup: json("pickup_json", text(14)?, shop::check_pickup),
        tax: json("tax_json", text(15)?, shop::check_tax),
        payment_methods: json(
            "payment_methods_json",
            text(16)?,
            shop::check_payment_methods,
        ),
        hours: json("hours_json", text(17)?, shop::check_hours),
        busy_minutes_per_order: checked(
            "busy_minutes_per_order",
            minutes(r.get(18)?, ranges::BUSY_MINUTES_PER_ORDER),
        ),
        ai_voice_gender: checked(
            "ai_voice_gender",
            text(19)?.map(|v| shop::VoiceGender::parse(&v)),
        ),
        catering_min_items: checked(
            "catering_min_items",
            r.get::<_, Option<i64>>(20)?.map(|n| {
                let (lo, hi) = ranges::CATERING_MIN_ITEMS;
                ItemCount::parse(u32::try_from(n).unwrap_or(u32::MAX), lo, hi)
            }),
        ),
        max_concurrent_ai_calls: checked(
            "max_concurrent_ai_calls",
            count(r.get(21)?, ranges::MAX_CONCURRENT_AI_CALLS),
        ),
        max_call_minutes: checked(
            "max_call_minutes",
            minutes(r.get(22)?, ranges::MAX_CALL_MINUTES),
        ),
        max_calls_per_caller_per_hour: checked(
            "max_calls_per_caller_per_hour",
            count(r.get(23)?, ranges::MAX_CALLS_PER_CALLER_PER_HOUR),
        ),
        daily_ai_budget_minutes: checked(
            "daily_ai_budget_minutes",
            minutes(r.get(24)?, ranges::DAILY_AI_BUDGET_MINUTES),
        ),
        ai_prices: json("ai_prices_json", text(25)?, AiPrices::check),
        printers: json(
            "printers_json",
            text(26)?,
            kitchen_domain::printers::check_printers,
        ),
        shop_address: checked(
            "shop_address",
            text(27)?.map(|v| kitchen_domain::printers::check_shop_address(&v)),
        ),
        ticket_language: checked(
            "ticket_language",
            text(28)?.map(|v| kitchen_domain::TicketLanguage::parse(&v)),
        ),
        riders: json(
            "riders_json",
            text(29)?,
            kitchen_domain::rider::check_riders,
        ),
        voice_engine: checked(
            "voice_engine",
            text(30)?.map(|v| kitchen_domain::VoiceEngine::parse(&v)),
        ),
        openai_project_id: checked(
            "openai_project_id",
            text(31)?.map(|v| kitchen_domain::ProjectId::parse(&v)),
        ),
        openai_live_model: checked("openai_live_model", text(32)?.map(|v| ModelName::parse(&v))),
        openai_live_backend_model: checked(
            "openai_live_backend_model",
            text(33)?.map(|v| ModelName::parse(&v)),
        ),
        openai_webhook_secret: None,
    })
}

/// The stored layer (empty before anything was saved).
pub(crate) fn load(c: &Connection) -> Result<SettingsLayer, StoreError> {
    Ok(c.query_row(
        &format!("SELECT {COLUMNS} FROM shop_settings WHERE id = 1"),
        [],
        from_row,
    )
    .optional()?
    .unwrap_or_default())
}

/// Applies `patch` (secrets ignored) to the stored layer in one transaction; returns the
/// new stored layer.
pub(crate) fn save(c: &mut Connection, patch: &SettingsPatch) -> Result<SettingsLayer, StoreError> {
    let tx = c.transaction_with_behavior(r2d2_sqlite::rusqlite::TransactionBehavior::Immediate)?;
    let mut layer = load(&tx)?;
    layer.apply(&patch.without_secrets());
    let text = |v: Option<&str>| v.map(str::to_string);
    let mins = |m: Option<Minutes>| m.map(Minutes::get);
    tx.execute(
        &format!(
            "INSERT INTO shop_settings (id, {COLUMNS})
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34)
             ON CONFLICT (id) DO UPDATE SET
               shop_name = excluded.shop_name, greeting = excluded.greeting,
               eta_minutes = excluded.eta_minutes,
               amber_after_minutes = excluded.amber_after_minutes,
               red_after_minutes = excluded.red_after_minutes,
               shop_phone = excluded.shop_phone,
               twilio_account_sid = excluded.twilio_account_sid,
               twilio_phone_number = excluded.twilio_phone_number,
               openai_model = excluded.openai_model, ngrok_domain = excluded.ngrok_domain,
               start_at_login = excluded.start_at_login, setup_done = excluded.setup_done,
               answering_paused = excluded.answering_paused,
               delivery_zones_json = excluded.delivery_zones_json,
               pickup_json = excluded.pickup_json, tax_json = excluded.tax_json,
               payment_methods_json = excluded.payment_methods_json,
               hours_json = excluded.hours_json,
               busy_minutes_per_order = excluded.busy_minutes_per_order,
               ai_voice_gender = excluded.ai_voice_gender,
               catering_min_items = excluded.catering_min_items,
               max_concurrent_ai_calls = excluded.max_concurrent_ai_calls,
               max_call_minutes = excluded.max_call_minutes,
               max_calls_per_caller_per_hour = excluded.max_calls_per_caller_per_hour,
               daily_ai_budget_minutes = excluded.daily_ai_budget_minutes,
               ai_prices_json = excluded.ai_prices_json,
               printers_json = excluded.printers_json,
               shop_address = excluded.shop_address,
               ticket_language = excluded.ticket_language,
               riders_json = excluded.riders_json,
               voice_engine = excluded.voice_engine,
               openai_project_id = excluded.openai_project_id,
               openai_live_model = excluded.openai_live_model,
               openai_live_backend_model = excluded.openai_live_backend_model"
        ),
        params![
            text(layer.shop_name.as_ref().map(ShopName::as_str)),
            text(layer.greeting.as_ref().map(Greeting::as_str)),
            mins(layer.eta_minutes),
            mins(layer.amber_after_minutes),
            mins(layer.red_after_minutes),
            text(layer.shop_phone.as_ref().map(E164::as_str)),
            text(layer.twilio_account_sid.as_ref().map(AccountSid::as_str)),
            text(layer.twilio_phone_number.as_ref().map(E164::as_str)),
            text(layer.openai_model.as_ref().map(ModelName::as_str)),
            text(layer.ngrok_domain.as_ref().map(NgrokDomain::as_str)),
            layer.start_at_login,
            layer.setup_done,
            layer.answering_paused,
            to_json(layer.delivery_zones.as_ref()),
            to_json(layer.pickup.as_ref()),
            to_json(layer.tax.as_ref()),
            to_json(layer.payment_methods.as_ref()),
            to_json(layer.hours.as_ref()),
            mins(layer.busy_minutes_per_order),
            layer.ai_voice_gender.map(|g| g.as_str()),
            layer.catering_min_items.map(ItemCount::get),
            layer.max_concurrent_ai_calls.map(ItemCount::get),
            mins(layer.max_call_minutes),
            layer.max_calls_per_caller_per_hour.map(ItemCount::get),
            mins(layer.daily_ai_budget_minutes),
            to_json(layer.ai_prices.as_ref()),
            to_json(layer.printers.as_ref()),
            layer.shop_address.as_deref(),
            layer.ticket_language.map(|l| l.as_str()),
            to_json(layer.riders.as_ref()),
            layer.voice_engine.map(|e| e.as_str()),
            text(layer.openai_project_id.as_ref().map(kitchen_domain::ProjectId::as_str)),
            text(layer.openai_live_model.as_ref().map(ModelName::as_str)),
            text(layer.openai_live_backend_model.as_ref().map(ModelName::as_str)),
        ],
    )?;
    tx.commit()?;
    Ok(layer)
}
