//! `melt8`: the Melt 8 Kitchen server without the desktop window. Only wiring: flags and
//! environment into a [`Config`], then [`Application`] does the work.

use chrono::FixedOffset;
use clap::{Args, Parser, Subcommand};
use kitchen_server::auth::{self, PasswordSetup};
use kitchen_server::clock::BusinessDay;
use kitchen_server::config::{self, Config, parse_utc_offset};
use kitchen_server::{Application, Secret};
use kitchen_store::{Store, StoreOptions};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

const ENV_HELP: &str = "\
Environment (a .env file in the current folder is read too; flags win over both):
  CHEF_USERNAME             staff login name (default: chef)
  CHEF_PASSWORD             staff password. Not set and none stored yet: a strong one is
                            generated at first start and printed once; only its argon2
                            hash is stored. Never given as a flag (it would show in `ps`).
  MELT8_DATA_DIR            data folder (default: the OS app-data folder)
  KITCHEN_PORT, KITCHEN_BIND, SHOP_UTC_OFFSET, BUSINESS_DAY_STARTS_AT,
  SQLITE_BUSY_TIMEOUT_MS    see `melt8 serve --help`
  RUST_LOG                  log detail, e.g. `info` (default) or `kitchen_server=debug`";

/// Melt 8 Kitchen: AI phone ordering and a live kitchen board for pizza shops.
#[derive(Debug, Parser)]
#[command(name = "melt8", version, after_help = ENV_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the kitchen server (API, live events) until Ctrl-C.
    #[command(after_help = ENV_HELP)]
    Serve(ServeArgs),
    /// Make a new chef password, print it once, and log out every dashboard. Restart a
    /// running server afterwards.
    ResetPassword {
        /// Data folder holding the database.
        #[arg(long, env = "MELT8_DATA_DIR", value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Data folder holding the database [default: the OS app-data folder, e.g.
    /// ~/.local/share/pk.melt8.kitchen]
    #[arg(long, env = "MELT8_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Port of the kitchen router (dashboard and API); 0 picks a free one.
    #[arg(long, short, env = "KITCHEN_PORT", default_value_t = 8080)]
    port: u16,
    /// Address to listen on. 127.0.0.1 keeps the kitchen on this PC; 0.0.0.0 lets a tablet
    /// on the shop's Wi-Fi reach it.
    #[arg(long, env = "KITCHEN_BIND", default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Staff login name.
    #[arg(long, env = "CHEF_USERNAME", default_value = "chef")]
    chef_username: String,
    /// The shop's UTC offset, e.g. +05:00 for Pakistan [default: this computer's]
    #[arg(long, env = "SHOP_UTC_OFFSET", value_parser = parse_utc_offset, allow_hyphen_values = true)]
    utc_offset: Option<FixedOffset>,
    /// Local hour (0-23) at which a new business day, and so order #1, begins.
    #[arg(long, env = "BUSINESS_DAY_STARTS_AT", default_value_t = 5, value_parser = clap::value_parser!(u32).range(0..=23))]
    day_starts_at: u32,
    /// How long (ms) a write waits for a locked database before answering 503.
    #[arg(long, env = "SQLITE_BUSY_TIMEOUT_MS", default_value_t = 5000)]
    busy_timeout_ms: u64,
}

fn main() -> ExitCode {
    if let Err(e) = dotenvy::dotenv()
        && !e.not_found()
    {
        eprintln!(
            "error: could not read the .env file: {e}. Fix the line it names, or remove the file."
        );
        return ExitCode::from(2);
    }
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve(args).await,
            Command::ResetPassword { data_dir } => reset_password(data_dir).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    use std::io::IsTerminal;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
}

#[allow(clippy::print_stdout)] // the console is where the owner reads the address and password
async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let data_dir = args.data_dir.unwrap_or_else(config::default_data_dir);
    let mut config = Config::new(&data_dir);
    config.bind = args.bind;
    config.port = args.port;
    config.chef_username = args.chef_username;
    config.chef_password = std::env::var("CHEF_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
        .map(Secret::new);
    config.business_day = BusinessDay {
        utc_offset: args.utc_offset.unwrap_or_else(config::local_offset),
        starts_at_hour: args.day_starts_at,
    };
    config.busy_timeout = Duration::from_millis(args.busy_timeout_ms);

    let app = Application::build(config.clone()).await?;
    let addr = app.local_addr()?;
    let shown_host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    };
    let base = match addr {
        std::net::SocketAddr::V6(_) if !addr.ip().is_unspecified() => {
            format!("http://[{shown_host}]:{}", addr.port())
        }
        _ => format!("http://{shown_host}:{}", addr.port()),
    };
    println!("Melt 8 Kitchen is running at {base}");
    println!("  kitchen API:  {base}/api   (health: {base}/health)");
    println!("  data folder:  {}", data_dir.display());
    println!("  stop with Ctrl-C");
    if let PasswordSetup::Generated(pw) = app.password_setup() {
        print_password(
            "No chef password was set, so one was made for you.",
            &config.chef_username,
            pw,
        );
    }
    app.run_until_stopped(shutdown_signal()).await?;
    println!("Melt 8 Kitchen stopped.");
    Ok(())
}

#[allow(clippy::print_stdout)]
fn print_password(headline: &str, username: &str, pw: &Secret) {
    println!();
    println!("  ┌──────────────────────────────────────────────────────────────┐");
    println!("  │ {headline:<60} │");
    println!("  │   username: {username:<48} │");
    println!("  │   password: {:<48} │", pw.expose());
    println!("  │ Write it down now: it is shown only this once (only a hash   │");
    println!("  │ is stored). Lost it? Run `melt8 reset-password`.             │");
    println!("  └──────────────────────────────────────────────────────────────┘");
    println!();
}

async fn reset_password(data_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let data_dir = data_dir.unwrap_or_else(config::default_data_dir);
    let path = data_dir.join(kitchen_store::DB_FILE_NAME);
    let store =
        tokio::task::spawn_blocking(move || Store::open(&path, &StoreOptions::default())).await??;
    let pw = auth::generate_password();
    auth::set_password(&store, &pw).await?;
    let username = std::env::var("CHEF_USERNAME").unwrap_or_else(|_| "chef".into());
    print_password(
        "A new chef password was made; every dashboard is logged out.",
        &username,
        &pw,
    );
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "could not listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing open requests");
}
