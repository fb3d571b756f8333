//! The menu tables: `menu_items` and their `menu_sizes`, replaced as a whole.

use crate::StoreError;
use kitchen_domain::{ItemId, ItemKind, Menu, MenuItem, MenuSize, Money, SizeId};
use r2d2_sqlite::rusqlite::{Connection, TransactionBehavior, params};

pub(crate) fn load(c: &Connection) -> Result<Menu, StoreError> {
    let mut items: Vec<MenuItem> = c
        .prepare_cached(
            "SELECT id, name, name_ur, kind, available FROM menu_items ORDER BY position",
        )?
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, String>(3)?,
                r.get(4)?,
            ))
        })?
        .map(|row| {
            let (id, name, name_ur, kind, available) = row?;
            let kind = ItemKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("menu item kind `{kind}`")))?;
            Ok(MenuItem {
                id: ItemId(id),
                name,
                name_ur,
                kind,
                available,
                sizes: Vec::new(),
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let mut stmt = c.prepare_cached(
        "SELECT item_id, id, label, price_paisa FROM menu_sizes ORDER BY item_id, position",
    )?;
    let sizes = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    for s in sizes {
        let (item_id, id, label, price) = s?;
        if let Some(item) = items.iter_mut().find(|i| i.id.0 == item_id) {
            item.sizes.push(MenuSize {
                id: SizeId(id),
                label,
                price: Money::from_paisa(price),
            });
        }
    }
    Menu::new(items).map_err(|e| StoreError::Corrupt(format!("stored menu: {e}")))
}

pub(crate) fn replace(c: &mut Connection, menu: &Menu) -> Result<(), StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute("DELETE FROM menu_sizes", [])?;
    tx.execute("DELETE FROM menu_items", [])?;
    insert_all(&tx, menu)?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn seed_if_empty(c: &mut Connection, menu: &Menu) -> Result<bool, StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let n: i64 = tx.query_row("SELECT COUNT(*) FROM menu_items", [], |r| r.get(0))?;
    if n > 0 {
        return Ok(false);
    }
    insert_all(&tx, menu)?;
    tx.commit()?;
    Ok(true)
}

fn insert_all(c: &Connection, menu: &Menu) -> Result<(), StoreError> {
    let mut item_stmt =
        c.prepare_cached("INSERT INTO menu_items (id, position, name, name_ur, kind, available) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
    let mut size_stmt =
        c.prepare_cached("INSERT INTO menu_sizes (item_id, id, position, label, price_paisa) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for (i, item) in menu.items().iter().enumerate() {
        item_stmt.execute(params![
            item.id.0,
            i as i64,
            item.name,
            item.name_ur,
            item.kind.as_str(),
            item.available
        ])?;
        for (j, size) in item.sizes.iter().enumerate() {
            size_stmt.execute(params![
                item.id.0,
                size.id.0,
                j as i64,
                size.label,
                size.price.paisa()
            ])?;
        }
    }
    Ok(())
}
