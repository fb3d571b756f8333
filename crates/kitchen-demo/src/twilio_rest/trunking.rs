//! The fake's Elastic SIP Trunking API (`https://trunking.twilio.com/v1`, served under
//! `/v1`, see [`super::FakeTwilioRest::trunking_base_url`]):
//! - `GET /Trunks` lists, `POST /Trunks` creates, `GET /Trunks/{TK}` fetches and
//!   `POST /Trunks/{TK}` updates a trunk. `Secure` is `true`/`false`, `TransferMode` one of
//!   `disable-all`, `enable-all`, `sip-only`, `TransferCallerId` one of `from-transferee`,
//!   `from-transferor`, `DisasterRecoveryMethod` `GET` or `POST`, `DisasterRecoveryUrl` an
//!   http(s) URL; anything else is Twilio's 400 (code 20001).
//! - `GET`/`POST /Trunks/{TK}/OriginationUrls` and `POST …/OriginationUrls/{OU}`: a create
//!   needs all five of `SipUrl` (starting `sip:`), `Priority` (0–65535), `Weight`
//!   (1–65535), `Enabled` and `FriendlyName`, as the real API does; an update checks what
//!   it is given.
//! - `GET`/`POST /Trunks/{TK}/PhoneNumbers` (`PhoneNumberSid=PN…`) and
//!   `DELETE /Trunks/{TK}/PhoneNumbers/{PN}`: the same as setting or clearing the number's
//!   `TrunkSid` on `IncomingPhoneNumbers/{PN}.json`.

use super::{IncomingNumber, RequestKind, Shared, form_field, missing, not_found, twilio_error};
use crate::ids::twilio_sid;
use axum::http::Method;
use serde_json::{Value, json};

/// The prefix of the trunking routes.
pub(super) const TRUNKING_PREFIX: &str = "/v1";

/// One Elastic SIP trunk of the account, as the fake keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trunk {
    /// `TK…`.
    pub sid: String,
    /// `FriendlyName`.
    pub friendly_name: Option<String>,
    /// `Secure` (SRTP + TLS).
    pub secure: bool,
    /// `TransferMode`.
    pub transfer_mode: String,
    /// `TransferCallerId`.
    pub transfer_caller_id: String,
    /// `DisasterRecoveryUrl`.
    pub disaster_recovery_url: Option<String>,
    /// `DisasterRecoveryMethod`.
    pub disaster_recovery_method: Option<String>,
    /// Its origination URLs, oldest first.
    pub origination_urls: Vec<OriginationUrl>,
}

/// One origination URL of a trunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginationUrl {
    /// `OU…`.
    pub sid: String,
    /// `SipUrl`.
    pub sip_url: String,
    /// `Priority`.
    pub priority: u32,
    /// `Weight`.
    pub weight: u32,
    /// `Enabled`.
    pub enabled: bool,
    /// `FriendlyName`.
    pub friendly_name: String,
}

impl Trunk {
    fn json(&self, account_sid: &str) -> Value {
        let url = format!("https://trunking.twilio.com/v1/Trunks/{}", self.sid);
        json!({"sid": self.sid, "account_sid": account_sid, "friendly_name": self.friendly_name,
            "domain_name": null, "secure": self.secure, "transfer_mode": self.transfer_mode,
            "transfer_caller_id": self.transfer_caller_id,
            "disaster_recovery_url": self.disaster_recovery_url,
            "disaster_recovery_method": self.disaster_recovery_method,
            "cnam_lookup_enabled": false, "auth_type": "", "auth_type_set": [],
            "recording": {"mode": "do-not-record", "trim": "do-not-trim"},
            "symmetric_rtp_enabled": false, "date_created": "2026-01-01T00:00:00Z",
            "date_updated": null, "url": url,
            "links": {"origination_urls": format!("{url}/OriginationUrls"),
                "phone_numbers": format!("{url}/PhoneNumbers"),
                "credential_lists": format!("{url}/CredentialLists"),
                "ip_access_control_lists": format!("{url}/IpAccessControlLists"),
                "recording": format!("{url}/Recording")}})
    }
}

impl OriginationUrl {
    fn json(&self, account_sid: &str, trunk_sid: &str) -> Value {
        json!({"sid": self.sid, "account_sid": account_sid, "trunk_sid": trunk_sid,
            "sip_url": self.sip_url, "priority": self.priority, "weight": self.weight,
            "enabled": self.enabled, "friendly_name": self.friendly_name,
            "date_created": "2026-01-01T00:00:00Z", "date_updated": null,
            "url": format!("https://trunking.twilio.com/v1/Trunks/{trunk_sid}/OriginationUrls/{}", self.sid)})
    }
}

/// Which trunking endpoint `path` (under [`TRUNKING_PREFIX`]) is, and the sids in it:
/// `(kind, trunk sid, child sid)`.
pub(super) fn route(method: &Method, path: &str) -> (RequestKind, Option<String>, Option<String>) {
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let s = |v: &str| Some(v.to_string());
    let get = method == Method::GET;
    let post = method == Method::POST;
    match parts.as_slice() {
        ["", "Trunks"] if get => (RequestKind::TrunkList, None, None),
        ["", "Trunks"] if post => (RequestKind::TrunkCreate, None, None),
        ["", "Trunks", tk] if get => (RequestKind::TrunkFetch, s(tk), None),
        ["", "Trunks", tk] if post => (RequestKind::TrunkUpdate, s(tk), None),
        ["", "Trunks", tk, "OriginationUrls"] if get => {
            (RequestKind::OriginationUrlList, s(tk), None)
        }
        ["", "Trunks", tk, "OriginationUrls"] if post => {
            (RequestKind::OriginationUrlCreate, s(tk), None)
        }
        ["", "Trunks", tk, "OriginationUrls", ou] if post => {
            (RequestKind::OriginationUrlUpdate, s(tk), s(ou))
        }
        ["", "Trunks", tk, "PhoneNumbers"] if get => (RequestKind::TrunkNumberList, s(tk), None),
        ["", "Trunks", tk, "PhoneNumbers"] if post => (RequestKind::TrunkNumberAdd, s(tk), None),
        ["", "Trunks", tk, "PhoneNumbers", pn] if method == Method::DELETE => {
            (RequestKind::TrunkNumberRemove, s(tk), s(pn))
        }
        _ => (RequestKind::Other, None, None),
    }
}

/// Answers an authorized trunking request already routed to `kind`.
pub(super) fn answer(
    shared: &Shared,
    kind: RequestKind,
    path: &str,
    trunk: Option<&str>,
    child: Option<&str>,
    form: &[(String, String)],
) -> (u16, Value) {
    let account = shared.account_sid.as_str();
    if kind == RequestKind::TrunkList {
        let trunks: Vec<Value> = shared
            .lock()
            .trunks
            .iter()
            .map(|t| t.json(account))
            .collect();
        return (200, page("trunks", "Trunks", trunks));
    }
    if kind == RequestKind::TrunkCreate {
        let mut t = Trunk {
            sid: twilio_sid("TK"),
            friendly_name: None,
            secure: false,
            transfer_mode: "disable-all".to_string(),
            transfer_caller_id: "from-transferee".to_string(),
            disaster_recovery_url: None,
            disaster_recovery_method: None,
            origination_urls: Vec::new(),
        };
        if let Err(e) = apply_trunk(&mut t, form) {
            return e;
        }
        let body = t.json(account);
        shared.lock().trunks.push(t);
        return (201, body);
    }
    let mut s = shared.lock();
    let Some(idx) = s.trunks.iter().position(|t| Some(t.sid.as_str()) == trunk) else {
        drop(s);
        return not_found(path);
    };
    let tk = s.trunks[idx].sid.clone();
    match kind {
        RequestKind::TrunkFetch => (200, s.trunks[idx].json(account)),
        RequestKind::TrunkUpdate => {
            let t = &mut s.trunks[idx];
            let mut updated = t.clone();
            if let Err(e) = apply_trunk(&mut updated, form) {
                return e;
            }
            *t = updated;
            (200, t.json(account))
        }
        RequestKind::OriginationUrlList => {
            let t = &s.trunks[idx];
            let urls = t
                .origination_urls
                .iter()
                .map(|u| u.json(account, &tk))
                .collect();
            (
                200,
                page(
                    "origination_urls",
                    &format!("Trunks/{tk}/OriginationUrls"),
                    urls,
                ),
            )
        }
        RequestKind::OriginationUrlCreate => {
            for name in ["SipUrl", "Priority", "Weight", "Enabled", "FriendlyName"] {
                if form_field(form, name).is_none() {
                    return missing(name);
                }
            }
            let mut u = OriginationUrl {
                sid: twilio_sid("OU"),
                sip_url: String::new(),
                priority: 0,
                weight: 1,
                enabled: false,
                friendly_name: String::new(),
            };
            if let Err(e) = apply_origination(&mut u, form) {
                return e;
            }
            let body = u.json(account, &tk);
            s.trunks[idx].origination_urls.push(u);
            (201, body)
        }
        RequestKind::OriginationUrlUpdate => {
            let Some(u) = s.trunks[idx]
                .origination_urls
                .iter_mut()
                .find(|u| Some(u.sid.as_str()) == child)
            else {
                drop(s);
                return not_found(path);
            };
            let mut updated = u.clone();
            if let Err(e) = apply_origination(&mut updated, form) {
                return e;
            }
            *u = updated;
            (200, u.json(account, &tk))
        }
        RequestKind::TrunkNumberList => {
            let numbers = s
                .numbers
                .iter()
                .filter(|n| n.trunk_sid.as_deref() == Some(tk.as_str()))
                .map(|n| n.json(account))
                .collect();
            (
                200,
                page(
                    "phone_numbers",
                    &format!("Trunks/{tk}/PhoneNumbers"),
                    numbers,
                ),
            )
        }
        RequestKind::TrunkNumberAdd => {
            let Some(pn) = form_field(form, "PhoneNumberSid") else {
                return missing("PhoneNumberSid");
            };
            match s.numbers.iter_mut().find(|n| n.sid == pn) {
                Some(n) => {
                    n.trunk_sid = Some(tk);
                    (201, n.json(account))
                }
                None => twilio_error(
                    400,
                    21608,
                    &format!("PhoneNumberSid {pn} is not a number of this account"),
                ),
            }
        }
        RequestKind::TrunkNumberRemove => {
            match s
                .numbers
                .iter_mut()
                .find(|n| Some(n.sid.as_str()) == child && n.trunk_sid.as_deref() == Some(&tk))
            {
                Some(n) => {
                    n.trunk_sid = None;
                    (204, Value::Null)
                }
                None => {
                    drop(s);
                    not_found(path)
                }
            }
        }
        _ => {
            drop(s);
            not_found(path)
        }
    }
}

/// Sets a number's `TrunkSid` (an update of `IncomingPhoneNumbers/{PN}.json`): empty takes
/// it off any trunk; otherwise the trunk must be the account's. Twilio then ignores the
/// number's voice URLs (kept, as Twilio keeps them).
pub(super) fn set_number_trunk(
    trunks: &[Trunk],
    number: &mut IncomingNumber,
    trunk_sid: &str,
) -> Result<(), (u16, Value)> {
    if trunk_sid.is_empty() {
        number.trunk_sid = None;
        return Ok(());
    }
    if !trunks.iter().any(|t| t.sid == trunk_sid) {
        return Err(twilio_error(
            400,
            21223,
            &format!("TrunkSid {trunk_sid} is not a trunk of this account"),
        ));
    }
    number.trunk_sid = Some(trunk_sid.to_string());
    Ok(())
}

fn page(key: &str, path: &str, items: Vec<Value>) -> Value {
    let url = format!("https://trunking.twilio.com/v1/{path}?PageSize=50&Page=0");
    json!({key: items, "meta": {"page": 0, "page_size": 50, "first_page_url": url,
        "previous_page_url": null, "url": url, "next_page_url": null, "key": key}})
}

fn invalid(name: &str, value: &str, allowed: &str) -> (u16, Value) {
    twilio_error(
        400,
        20001,
        &format!("Invalid {name} '{value}': must be {allowed}"),
    )
}

fn boolean(name: &str, value: &str) -> Result<bool, (u16, Value)> {
    match value {
        "true" | "True" => Ok(true),
        "false" | "False" => Ok(false),
        v => Err(invalid(name, v, "true or false")),
    }
}

fn number_in(name: &str, value: &str, lo: u32, hi: u32) -> Result<u32, (u16, Value)> {
    value
        .parse::<u32>()
        .ok()
        .filter(|n| (lo..=hi).contains(n))
        .ok_or_else(|| invalid(name, value, &format!("a whole number from {lo} to {hi}")))
}

fn apply_trunk(t: &mut Trunk, form: &[(String, String)]) -> Result<(), (u16, Value)> {
    if let Some(v) = form_field(form, "FriendlyName") {
        t.friendly_name = Some(v).filter(|v| !v.is_empty());
    }
    if let Some(v) = form_field(form, "Secure") {
        t.secure = boolean("Secure", &v)?;
    }
    if let Some(v) = form_field(form, "TransferMode") {
        if !["disable-all", "enable-all", "sip-only"].contains(&v.as_str()) {
            return Err(invalid(
                "TransferMode",
                &v,
                "disable-all, enable-all or sip-only",
            ));
        }
        t.transfer_mode = v;
    }
    if let Some(v) = form_field(form, "TransferCallerId") {
        if !["from-transferee", "from-transferor"].contains(&v.as_str()) {
            return Err(invalid(
                "TransferCallerId",
                &v,
                "from-transferee or from-transferor",
            ));
        }
        t.transfer_caller_id = v;
    }
    if let Some(v) = form_field(form, "DisasterRecoveryUrl") {
        if !(v.is_empty() || v.starts_with("https://") || v.starts_with("http://")) {
            return Err(invalid("DisasterRecoveryUrl", &v, "an http(s) URL"));
        }
        t.disaster_recovery_url = Some(v).filter(|v| !v.is_empty());
    }
    if let Some(v) = form_field(form, "DisasterRecoveryMethod") {
        let m = v.to_ascii_uppercase();
        if m != "GET" && m != "POST" {
            return Err(invalid("DisasterRecoveryMethod", &v, "GET or POST"));
        }
        t.disaster_recovery_method = Some(m);
    }
    Ok(())
}

fn apply_origination(
    u: &mut OriginationUrl,
    form: &[(String, String)],
) -> Result<(), (u16, Value)> {
    if let Some(v) = form_field(form, "SipUrl") {
        if !v.starts_with("sip:") || v.len() <= 4 {
            return Err(invalid("SipUrl", &v, "a sip: URI"));
        }
        u.sip_url = v;
    }
    if let Some(v) = form_field(form, "Priority") {
        u.priority = number_in("Priority", &v, 0, 65535)?;
    }
    if let Some(v) = form_field(form, "Weight") {
        u.weight = number_in("Weight", &v, 1, 65535)?;
    }
    if let Some(v) = form_field(form, "Enabled") {
        u.enabled = boolean("Enabled", &v)?;
    }
    if let Some(v) = form_field(form, "FriendlyName") {
        if v.is_empty() {
            return Err(missing("FriendlyName"));
        }
        u.friendly_name = v;
    }
    Ok(())
}
