//! `melt8 backup`, `melt8 restore FILE` and `melt8 export --csv`: the owner's data tools.
//! (A module of the `melt8` binary, not of the library: only wiring and console output.)

use anyhow::{Context, bail};
use chrono::{NaiveDate, Utc};
use kitchen_server::clock::BusinessDay;
use kitchen_server::config;
use kitchen_server::data_safety::backup_dir;
use kitchen_store::{Store, StoreOptions};
use std::io::Write;
use std::path::PathBuf;

fn existing_store_path(data_dir: Option<PathBuf>) -> anyhow::Result<(PathBuf, PathBuf)> {
    let data_dir = data_dir.unwrap_or_else(config::default_data_dir);
    let db = data_dir.join(kitchen_store::DB_FILE_NAME);
    if !db.is_file() {
        bail!(
            "there is no database at {} (choose the data folder with --data-dir or MELT8_DATA_DIR)",
            db.display()
        );
    }
    Ok((data_dir, db))
}

async fn open(db: PathBuf) -> anyhow::Result<Store> {
    Ok(tokio::task::spawn_blocking(move || Store::open(&db, &StoreOptions::default())).await??)
}

/// Writes a backup now and prints its path.
#[allow(clippy::print_stdout)]
pub async fn backup(data_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let (data_dir, db) = existing_store_path(data_dir)?;
    let store = open(db).await?;
    let path = store
        .backup_into(backup_dir(&data_dir), Utc::now())
        .await
        .context("backing up the database")?;
    println!("{}", path.display());
    Ok(())
}

/// Replaces the database with `file`, refusing while a server runs.
#[allow(clippy::print_stdout)]
pub async fn restore(file: PathBuf, data_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let data_dir = data_dir.unwrap_or_else(config::default_data_dir);
    let db = data_dir.join(kitchen_store::DB_FILE_NAME);
    let backups = backup_dir(&data_dir);
    let done = {
        let (file, data_dir) = (file.clone(), data_dir.clone());
        tokio::task::spawn_blocking(move || {
            kitchen_store::backup::restore(&data_dir, &db, &backups, &file, Utc::now())
        })
        .await??
    };
    println!(
        "Restored {} ({} orders) into {}.",
        file.display(),
        done.orders,
        data_dir.display()
    );
    if let Some(previous) = done.previous {
        println!("The database as it was is saved as {}.", previous.display());
    }
    println!("Start the server again to use it.");
    Ok(())
}

/// Prints one business day's orders as CSV.
pub async fn export_csv(
    data_dir: Option<PathBuf>,
    date: Option<NaiveDate>,
    day: BusinessDay,
) -> anyhow::Result<()> {
    let (_, db) = existing_store_path(data_dir)?;
    let store = open(db).await?;
    let date = date.unwrap_or_else(|| day.date_of(Utc::now()));
    let orders = store.orders_of_day(date).await?;
    let csv = kitchen_store::orders_csv(&orders);
    let mut out = std::io::stdout().lock();
    out.write_all(csv.as_bytes())
        .and_then(|()| out.flush())
        .context("writing the CSV")?;
    Ok(())
}
