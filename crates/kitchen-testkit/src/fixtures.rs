//! Orders a Lahore pizza shop really gets.

use serde_json::{Value, json};

/// Two large Chicken Tikka and a 1.5 L Coke to Gulberg, from a Pakistani mobile.
pub fn family_order() -> Value {
    json!({
        "items": [
            {"item_id": "chicken-tikka", "size_id": "large", "quantity": 2},
            {"item_id": "coca-cola", "size_id": "1.5l", "quantity": 1}
        ],
        "address": "House 12, Street 4, Block C, Gulberg III, Lahore",
        "landmark": "near Hafeez Centre",
        "customer_name": "Ali Raza",
        "customer_phone": "0300-1234567"
    })
}

/// The price of [`family_order`] on the default menu, in paisa.
pub const FAMILY_ORDER_TOTAL: i64 = 2 * 219_900 + 32_000;

/// A single small pizza with a given phone number.
pub fn small_order(phone: &str) -> Value {
    json!({
        "items": [{"item_id": "veggie", "size_id": "small", "quantity": 1}],
        "address": "Flat 3, Askari 11, Lahore",
        "customer_phone": phone
    })
}
