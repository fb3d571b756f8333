//! The Twilio Elastic SIP trunk of the `sip-*` voice engines: the shop's number goes on a
//! trunk whose origination URL is the OpenAI project's SIP address, so a call's audio goes
//! from Twilio straight to OpenAI and never through this PC.
//!
//! Facts this relies on (Twilio's Elastic SIP Trunking REST API v1, its OpenAPI
//! description, and OpenAI's SIP guide):
//! - `https://trunking.twilio.com/v1`, form-encoded, HTTP Basic with the account SID and
//!   auth token. `GET /Trunks` lists (`{"trunks": […], "meta": {"next_page_url": …}}`),
//!   `POST /Trunks` creates and `POST /Trunks/{TK…}` updates a trunk (`FriendlyName`,
//!   `Secure`, `TransferMode`, `TransferCallerId`, `DisasterRecoveryUrl`,
//!   `DisasterRecoveryMethod`).
//! - `POST /Trunks/{TK}/OriginationUrls` needs all five of `SipUrl` (a `sip:` URI),
//!   `Priority` (0–65535), `Weight` (1–65535), `Enabled` and `FriendlyName`;
//!   `POST …/OriginationUrls/{OU…}` updates one; `GET` lists them (`origination_urls`).
//! - A number moves onto a trunk with `TrunkSid=TK…` on
//!   `/2010-04-01/Accounts/{AC}/IncomingPhoneNumbers/{PN}.json`, and off it with an empty
//!   `TrunkSid`. While a trunk is set, Twilio ignores the number's voice URLs, fallback
//!   included: the trunk's `DisasterRecoveryUrl` takes the fallback's place.
//! - OpenAI's SIP address is `sip:proj_…@sip.api.openai.com;transport=tls`; GPT-Live needs
//!   SRTP, hence `Secure=true` (SRTP + TLS) on the trunk. Handing a caller to a person is a
//!   SIP REFER, which the trunk passes on to the phone network only with
//!   `TransferMode=enable-all`; `TransferCallerId=from-transferee` shows the shop the
//!   caller's number rather than the shop's own.
//!
//! One trunk per account, found again by its fixed name ([`TRUNK_NAME`]), with one
//! origination URL found again by its name ([`ORIGINATION_NAME`]): running the setup twice
//! updates both instead of adding more. Its disaster-recovery URL is given by the caller
//! (the number's Studio fallback flow, which Twilio runs even while this PC is off).

use crate::twilio_rest::{IncomingNumber, RestError, TwilioRest};

/// Twilio's Elastic SIP Trunking REST API (v1).
pub use crate::config::TWILIO_TRUNKING_BASE as TRUNKING_BASE;
/// The name the shop's trunk is created with and found again by.
pub const TRUNK_NAME: &str = "Melt 8 Kitchen";
/// The name of the trunk's origination URL (OpenAI).
pub const ORIGINATION_NAME: &str = "Melt 8 Kitchen: OpenAI";
/// `TransferMode` that lets the AI hand a caller to the shop's (ordinary) phone.
pub const TRANSFER_MODE: &str = "enable-all";
/// `TransferCallerId`: the shop sees the caller's number on a handed-over call.
pub const TRANSFER_CALLER_ID: &str = "from-transferee";

/// Pages of a list read at most (50 items each), so a broken `next_page_url` cannot loop.
const MAX_PAGES: usize = 20;

/// An Elastic SIP trunk (the fields the kitchen uses).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Trunk {
    /// `TK…`.
    pub sid: String,
    /// Its name.
    #[serde(default)]
    pub friendly_name: Option<String>,
    /// SRTP + TLS.
    #[serde(default)]
    pub secure: bool,
    /// `disable-all`, `enable-all` or `sip-only`.
    #[serde(default)]
    pub transfer_mode: Option<String>,
    /// `from-transferee` or `from-transferor`.
    #[serde(default)]
    pub transfer_caller_id: Option<String>,
    /// TwiML fetched when sending the call to the origination URL fails.
    #[serde(default)]
    pub disaster_recovery_url: Option<String>,
    /// `GET` or `POST`.
    #[serde(default)]
    pub disaster_recovery_method: Option<String>,
}

/// One origination URL of a trunk (where Twilio sends its incoming calls).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct OriginationUrl {
    /// `OU…`.
    pub sid: String,
    /// `sip:…`.
    pub sip_url: String,
    /// Lower wins.
    #[serde(default)]
    pub priority: u32,
    /// Share among equal priorities.
    #[serde(default)]
    pub weight: u32,
    /// Whether Twilio uses it.
    #[serde(default)]
    pub enabled: bool,
    /// Its name.
    #[serde(default)]
    pub friendly_name: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct Meta {
    #[serde(default)]
    next_page_url: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct TrunkPage {
    #[serde(default)]
    trunks: Vec<Trunk>,
    #[serde(default)]
    meta: Option<Meta>,
}

#[derive(Debug, serde::Deserialize)]
struct OriginationPage {
    #[serde(default)]
    origination_urls: Vec<OriginationUrl>,
    #[serde(default)]
    meta: Option<Meta>,
}

/// Why the SIP setup could not be done or checked.
#[derive(Debug, thiserror::Error)]
pub enum SipError {
    /// No OpenAI project id in the settings.
    #[error("no OpenAI project id")]
    ProjectIdMissing,
    /// The project id is not `proj_` followed by letters and digits.
    #[error("{0:?} is not an OpenAI project id (proj_…)")]
    BadProjectId(String),
    /// Twilio refused the account SID and auth token.
    #[error("Twilio refused the credentials")]
    Unauthorized,
    /// The shop's number is not one of the account's.
    #[error("the number {0} is not in this Twilio account")]
    NumberNotInAccount(String),
    /// Any other REST failure.
    #[error(transparent)]
    Rest(RestError),
}

impl From<RestError> for SipError {
    fn from(e: RestError) -> Self {
        if e.is_unauthorized() {
            SipError::Unauthorized
        } else {
            SipError::Rest(e)
        }
    }
}

/// OpenAI's SIP address for the project `project_id` (`proj_…`), checked.
pub fn origination_sip_url(project_id: Option<&str>) -> Result<String, SipError> {
    let id = project_id
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .ok_or(SipError::ProjectIdMissing)?;
    let ok = id
        .strip_prefix("proj_")
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric()));
    if !ok {
        return Err(SipError::BadProjectId(id.to_string()));
    }
    Ok(format!("sip:{id}@sip.api.openai.com;transport=tls"))
}

/// What the setup must leave behind on the trunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    /// [`origination_sip_url`] of the project.
    pub sip_url: String,
    /// The trunk's disaster-recovery URL (POST).
    pub disaster_recovery_url: String,
}

impl Wanted {
    /// Whether `trunk` already has every setting the setup makes.
    pub fn trunk_ok(&self, trunk: &Trunk) -> bool {
        trunk.secure
            && trunk.transfer_mode.as_deref() == Some(TRANSFER_MODE)
            && trunk.transfer_caller_id.as_deref() == Some(TRANSFER_CALLER_ID)
            && trunk.disaster_recovery_url.as_deref() == Some(self.disaster_recovery_url.as_str())
            && trunk
                .disaster_recovery_method
                .as_deref()
                .is_some_and(|m| m.eq_ignore_ascii_case("POST"))
    }

    /// Whether `url` already sends calls to the project, enabled.
    pub fn origination_ok(&self, url: &OriginationUrl) -> bool {
        url.sip_url == self.sip_url && url.enabled
    }
}

/// What [`set_up`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetUp {
    /// The trunk as it is now.
    pub trunk: Trunk,
    /// Whether the trunk was made now (not found from an earlier run).
    pub trunk_created: bool,
    /// The origination URL as it is now.
    pub origination: OriginationUrl,
    /// The number as it is now (on the trunk).
    pub number: IncomingNumber,
}

/// What [`inspect`] found: the trunk (if any), its origination URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The shop's trunk, found by [`TRUNK_NAME`].
    pub trunk: Option<Trunk>,
    /// Its origination URLs.
    pub origination_urls: Vec<OriginationUrl>,
}

impl TwilioRest {
    /// The account's trunks (every page, up to [`MAX_PAGES`]).
    pub async fn list_trunks(&self) -> Result<Vec<Trunk>, RestError> {
        let mut url = format!("{}/Trunks?PageSize=50", self.trunking_base);
        let mut all = Vec::new();
        for _ in 0..MAX_PAGES {
            let page: TrunkPage = self.get_json(&url).await?;
            all.extend(page.trunks);
            match page.meta.and_then(|m| m.next_page_url) {
                Some(next) if !next.is_empty() => url = next,
                _ => break,
            }
        }
        Ok(all)
    }

    /// Creates the shop's trunk or, given `existing` (`TK…`), updates it, with every setting
    /// [`Wanted`] names.
    pub async fn save_trunk(
        &self,
        existing: Option<&str>,
        wanted: &Wanted,
    ) -> Result<Trunk, RestError> {
        let url = match existing {
            Some(sid) => format!("{}/Trunks/{sid}", self.trunking_base),
            None => format!("{}/Trunks", self.trunking_base),
        };
        self.post_form(
            url,
            &[
                ("FriendlyName", TRUNK_NAME),
                ("Secure", "true"),
                ("TransferMode", TRANSFER_MODE),
                ("TransferCallerId", TRANSFER_CALLER_ID),
                ("DisasterRecoveryUrl", &wanted.disaster_recovery_url),
                ("DisasterRecoveryMethod", "POST"),
            ],
        )
        .await
    }

    /// A trunk's origination URLs (every page, up to [`MAX_PAGES`]).
    pub async fn list_origination_urls(
        &self,
        trunk_sid: &str,
    ) -> Result<Vec<OriginationUrl>, RestError> {
        let mut url = format!(
            "{}/Trunks/{trunk_sid}/OriginationUrls?PageSize=50",
            self.trunking_base
        );
        let mut all = Vec::new();
        for _ in 0..MAX_PAGES {
            let page: OriginationPage = self.get_json(&url).await?;
            all.extend(page.origination_urls);
            match page.meta.and_then(|m| m.next_page_url) {
                Some(next) if !next.is_empty() => url = next,
                _ => break,
            }
        }
        Ok(all)
    }

    /// Creates the trunk's origination URL to `sip_url` or, given `existing` (`OU…`),
    /// updates it: enabled, priority 10, weight 10, named [`ORIGINATION_NAME`].
    pub async fn save_origination_url(
        &self,
        trunk_sid: &str,
        existing: Option<&str>,
        sip_url: &str,
    ) -> Result<OriginationUrl, RestError> {
        let base = format!("{}/Trunks/{trunk_sid}/OriginationUrls", self.trunking_base);
        let url = match existing {
            Some(sid) => format!("{base}/{sid}"),
            None => base,
        };
        self.post_form(
            url,
            &[
                ("SipUrl", sip_url),
                ("Priority", "10"),
                ("Weight", "10"),
                ("Enabled", "true"),
                ("FriendlyName", ORIGINATION_NAME),
            ],
        )
        .await
    }
}

/// The shop's number in the account, or [`SipError::NumberNotInAccount`].
pub async fn find_number(
    rest: &TwilioRest,
    phone_number: &str,
) -> Result<IncomingNumber, SipError> {
    rest.find_incoming_number(phone_number)
        .await?
        .ok_or_else(|| SipError::NumberNotInAccount(phone_number.to_string()))
}

/// The shop's trunk (by [`TRUNK_NAME`]) and its origination URLs, as they are now.
pub async fn inspect(rest: &TwilioRest) -> Result<Found, SipError> {
    let trunk = rest
        .list_trunks()
        .await?
        .into_iter()
        .find(|t| t.friendly_name.as_deref() == Some(TRUNK_NAME));
    let origination_urls = match &trunk {
        Some(t) => rest.list_origination_urls(&t.sid).await?,
        None => Vec::new(),
    };
    Ok(Found {
        trunk,
        origination_urls,
    })
}

/// Makes (or brings up to date) the shop's trunk and its origination URL, then moves
/// `number` onto it. Safe to run again: the trunk and the URL are found by name and
/// updated, never duplicated; a step that is already right is not sent again.
pub async fn set_up(
    rest: &TwilioRest,
    number: &IncomingNumber,
    wanted: &Wanted,
) -> Result<SetUp, SipError> {
    let found = inspect(rest).await?;
    let trunk_created = found.trunk.is_none();
    let trunk = match found.trunk {
        Some(t) if wanted.trunk_ok(&t) => t,
        other => {
            rest.save_trunk(other.map(|t| t.sid).as_deref(), wanted)
                .await?
        }
    };
    // Ours is the one with our name; else one that already points at the project (made by
    // hand in the console), which is adopted rather than doubled.
    let ours = found
        .origination_urls
        .iter()
        .find(|u| u.friendly_name.as_deref() == Some(ORIGINATION_NAME))
        .or_else(|| {
            found
                .origination_urls
                .iter()
                .find(|u| u.sip_url == wanted.sip_url)
        })
        .cloned();
    let origination = match ours {
        Some(u)
            if wanted.origination_ok(&u)
                && u.friendly_name.as_deref() == Some(ORIGINATION_NAME) =>
        {
            u
        }
        other => {
            rest.save_origination_url(&trunk.sid, other.map(|u| u.sid).as_deref(), &wanted.sip_url)
                .await?
        }
    };
    let number = if number.trunk() == Some(trunk.sid.as_str()) {
        number.clone()
    } else {
        rest.set_number_trunk(&number.sid, &trunk.sid).await?
    };
    tracing::info!(trunk = %trunk.sid, created = trunk_created, number = %number.phone_number, "the number's calls now go over the SIP trunk to OpenAI");
    Ok(SetUp {
        trunk,
        trunk_created,
        origination,
        number,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trunk() -> Trunk {
        Trunk {
            sid: "TK1".into(),
            friendly_name: Some(TRUNK_NAME.into()),
            secure: true,
            transfer_mode: Some("enable-all".into()),
            transfer_caller_id: Some("from-transferee".into()),
            disaster_recovery_url: Some(
                "https://webhooks.twilio.com/v1/Accounts/AC1/Flows/FW1".into(),
            ),
            disaster_recovery_method: Some("POST".into()),
        }
    }

    fn wanted() -> Wanted {
        Wanted {
            sip_url: origination_sip_url(Some("proj_abc123")).unwrap(),
            disaster_recovery_url: "https://webhooks.twilio.com/v1/Accounts/AC1/Flows/FW1".into(),
        }
    }

    #[test]
    fn the_sip_address_is_the_projects_on_openais_global_host_over_tls() {
        assert_eq!(
            origination_sip_url(Some(" proj_abc123 ")).unwrap(),
            "sip:proj_abc123@sip.api.openai.com;transport=tls"
        );
        assert!(matches!(
            origination_sip_url(None),
            Err(SipError::ProjectIdMissing)
        ));
        assert!(matches!(
            origination_sip_url(Some("  ")),
            Err(SipError::ProjectIdMissing)
        ));
        for bad in ["proj_", "abc123", "proj_ab@c", "sk-proj_abc", "proj_a;b"] {
            assert!(
                matches!(
                    origination_sip_url(Some(bad)),
                    Err(SipError::BadProjectId(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_trunk_is_right_only_with_srtp_transfers_and_the_disaster_url() {
        let w = wanted();
        assert!(w.trunk_ok(&trunk()));
        for broken in [
            Trunk {
                secure: false,
                ..trunk()
            },
            Trunk {
                transfer_mode: Some("sip-only".into()),
                ..trunk()
            },
            Trunk {
                transfer_caller_id: Some("from-transferor".into()),
                ..trunk()
            },
            Trunk {
                disaster_recovery_url: None,
                ..trunk()
            },
            Trunk {
                disaster_recovery_method: Some("GET".into()),
                ..trunk()
            },
        ] {
            assert!(!w.trunk_ok(&broken), "{broken:?}");
        }
    }

    #[test]
    fn an_origination_url_is_right_only_to_the_project_and_enabled() {
        let w = wanted();
        let url = OriginationUrl {
            sid: "OU1".into(),
            sip_url: w.sip_url.clone(),
            priority: 10,
            weight: 10,
            enabled: true,
            friendly_name: Some(ORIGINATION_NAME.into()),
        };
        assert!(w.origination_ok(&url));
        assert!(!w.origination_ok(&OriginationUrl {
            enabled: false,
            ..url.clone()
        }));
        assert!(!w.origination_ok(&OriginationUrl {
            sip_url: "sip:proj_other@sip.api.openai.com;transport=tls".into(),
            ..url
        }));
    }

    #[test]
    fn twilio_json_reads_into_a_trunk_and_an_unauthorized_answer_is_typed() {
        let t: Trunk = serde_json::from_str(
            r#"{"sid":"TK1","friendly_name":"Melt 8 Kitchen","secure":true,"transfer_mode":"enable-all",
            "transfer_caller_id":"from-transferee","disaster_recovery_url":null,"disaster_recovery_method":null,
            "domain_name":null,"cnam_lookup_enabled":false}"#,
        )
        .unwrap();
        assert_eq!(t.sid, "TK1");
        assert!(t.disaster_recovery_url.is_none());
        let e = SipError::from(RestError::Status {
            status: 401,
            body: "{}".into(),
        });
        assert!(matches!(e, SipError::Unauthorized));
        let e = RestError::Status {
            status: 400,
            body: r#"{"code":21218,"message":"x"}"#.into(),
        };
        assert_eq!(e.twilio_code(), Some(21218));
    }
}
