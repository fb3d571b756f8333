//! The shop's id: what keeps its orders apart from other shops' in a chain's shared database.

use crate::SyncError;
use kitchen_store::{Store, keys};

/// Checks a shop id as given in `SHOP_ID`: 1 to 64 letters, digits, `.`, `_` or `-`.
pub fn validate_shop_id(raw: &str) -> Result<String, String> {
    let id = raw.trim();
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(id.to_string())
    } else {
        Err(format!(
            "SHOP_ID `{}` must be 1 to 64 letters, digits, '.', '_' or '-', e.g. gulberg-lahore",
            id.chars().take(80).collect::<String>()
        ))
    }
}

/// The shop's id: `configured` (stored, so it sticks when the variable is later unset), else
/// the stored one, else a new one generated now and stored.
pub async fn resolve_shop_id(store: &Store, configured: Option<&str>) -> Result<String, SyncError> {
    let stored = store.setting(keys::SHOP_ID).await?;
    if let Some(raw) = configured {
        let id = validate_shop_id(raw).map_err(SyncError::Config)?;
        if stored.as_deref() != Some(id.as_str()) {
            if let Some(old) = &stored {
                tracing::warn!(old = %old, new = %id, "the shop id changed (SHOP_ID); new orders sync under the new id");
            }
            store.set_setting(keys::SHOP_ID, id.clone()).await?;
        }
        return Ok(id);
    }
    if let Some(id) = stored {
        return Ok(id);
    }
    let simple = uuid::Uuid::new_v4().simple().to_string();
    let id = format!("shop-{}", &simple[..12]);
    store.set_setting(keys::SHOP_ID, id.clone()).await?;
    tracing::info!(shop_id = %id, "this shop's id was generated (set SHOP_ID to choose one)");
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shop_ids_are_short_plain_words() {
        assert_eq!(
            validate_shop_id(" gulberg-lahore ").unwrap(),
            "gulberg-lahore"
        );
        assert_eq!(validate_shop_id("shop_2.b").unwrap(), "shop_2.b");
        for bad in ["", "   ", "two words", "a/b", &"x".repeat(65), "دکان"] {
            assert!(
                validate_shop_id(bad).unwrap_err().contains("SHOP_ID"),
                "{bad}"
            );
        }
    }

    #[tokio::test]
    async fn a_generated_id_is_stored_once_and_a_configured_one_wins_and_sticks() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("melt8.db"), &Default::default()).unwrap();
        let first = resolve_shop_id(&store, None).await.unwrap();
        assert!(first.starts_with("shop-") && first.len() == 17, "{first}");
        assert_eq!(resolve_shop_id(&store, None).await.unwrap(), first);
        assert_eq!(
            resolve_shop_id(&store, Some("dha-karachi")).await.unwrap(),
            "dha-karachi"
        );
        assert_eq!(resolve_shop_id(&store, None).await.unwrap(), "dha-karachi");
        assert!(resolve_shop_id(&store, Some("no spaces")).await.is_err());
    }
}
