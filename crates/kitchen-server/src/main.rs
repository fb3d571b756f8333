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

mod data_cli;

/// mimalloc instead of glibc malloc: every audio frame allocates a few small buffers, and
/// glibc's heap trimming and regrowth showed up in the relay benchmark's profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ENV_HELP: &str = "\
Environment (a .env file in the current folder is read too; flags win over both):
  CHEF_USERNAME             staff login name (default: chef)
  CHEF_PASSWORD             staff password. Not set and none stored yet: a strong one is
                            generated at first start and printed once; only its argon2
                            hash is stored. Never given as a flag (it would show in `ps`).
  OPENAI_API_KEY            the AI's key (secret; never a flag). Without it, calls go to
                            SHOP_PHONE or hear a short apology
  TWILIO_AUTH_TOKEN         checks Twilio's webhook signatures, authenticates REST calls
                            (secret; never a flag)
  NGROK_AUTHTOKEN           the ngrok agent token for the app's own tunnel (secret; never
                            a flag)
  MELT8_DATA_DIR            data folder (default: the OS app-data folder)
  DATABASE_URL              optional PostgreSQL to sync orders to, e.g.
                            postgres://user:password@host:5432/db (?sslmode=require for TLS).
                            Prefer it to --database-url: a flag shows in `ps`
  SHOP_ID                   this shop's id in that database (default: generated once)
  KITCHEN_PORT, KITCHEN_BIND, SHOP_UTC_OFFSET, BUSINESS_DAY_STARTS_AT,
  SQLITE_BUSY_TIMEOUT_MS, PUBLIC_PORT, PUBLIC_BIND, PUBLIC_BASE_URL, TWILIO_ACCOUNT_SID,
  TWILIO_API_BASE, OPENAI_REALTIME_URL, OPENAI_REALTIME_MODEL, OPENAI_VOICE, SHOP_NAME,
  SHOP_GREETING, SHOP_PHONE, ETA_MINUTES, TWILIO_PHONE_NUMBER, NGROK_DOMAIN,
  SKIP_SETUP_WIZARD
                            see `melt8 serve --help`
  RUST_LOG                  log detail, e.g. `info` (default) or `kitchen_phone=debug`";

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
    Serve(Box<ServeArgs>),
    /// Call a running `melt8 serve --demo` the way Twilio would: a scripted caller orders two
    /// large Chicken Tikka and a 1.5 L Coke, and the order appears on the kitchen board.
    SimulateCall(SimulateArgs),
    /// Make a new chef password, print it once, and log out every dashboard. Restart a
    /// running server afterwards.
    ResetPassword {
        /// Data folder holding the database.
        #[arg(long, env = "MELT8_DATA_DIR", value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Back the database up now (also while the server runs) into DIR/backups, keeping the
    /// newest 14, and print the backup's path.
    Backup {
        /// Data folder holding the database.
        #[arg(long, env = "MELT8_DATA_DIR", value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Replace the database with a backup. Refuses while the server or the desktop app runs;
    /// the current database is backed up first.
    Restore {
        /// The backup file, e.g. DIR/backups/melt8-20261124-050000-000.db
        file: PathBuf,
        /// Data folder holding the database.
        #[arg(long, env = "MELT8_DATA_DIR", value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Print one business day's orders as CSV, for a spreadsheet.
    Export(ExportArgs),
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// CSV (the only format, for now).
    #[arg(long, required = true)]
    csv: bool,
    /// The business day [default: today's]
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<chrono::NaiveDate>,
    /// Data folder holding the database.
    #[arg(long, env = "MELT8_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// The shop's UTC offset, for "today" [default: this computer's]
    #[arg(long, env = "SHOP_UTC_OFFSET", value_parser = parse_utc_offset, allow_hyphen_values = true)]
    utc_offset: Option<FixedOffset>,
    /// Local hour at which a business day begins.
    #[arg(long, env = "BUSINESS_DAY_STARTS_AT", default_value_t = 5, value_parser = clap::value_parser!(u32).range(0..=23))]
    day_starts_at: u32,
}

#[derive(Debug, Args)]
struct SimulateArgs {
    /// Where the server's public (Twilio) router listens.
    #[arg(long, default_value = "http://127.0.0.1:8081")]
    public_url: String,
    /// The public address the server believes Twilio uses [default: --public-url].
    #[arg(long, env = "PUBLIC_BASE_URL")]
    public_base_url: Option<String>,
    /// The caller's number.
    #[arg(long, default_value = "+923001234567")]
    from: String,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// No accounts needed: calls are answered by a built-in scripted AI (a fake of the
    /// OpenAI Realtime API) and Twilio is expected at http://127.0.0.1:PUBLIC_PORT. Try it
    /// with `melt8 simulate-call` from another terminal.
    #[arg(long)]
    demo: bool,
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
    /// Port of the public router that Twilio reaches (through the tunnel or your HTTPS proxy).
    #[arg(long, env = "PUBLIC_PORT", default_value_t = 8081)]
    public_port: u16,
    /// Address of the public router.
    #[arg(long, env = "PUBLIC_BIND", default_value = "127.0.0.1")]
    public_bind: IpAddr,
    /// The HTTPS address Twilio uses to reach the public router, e.g. https://shop.example.com
    /// (stream URLs and signature checks use it).
    #[arg(long, env = "PUBLIC_BASE_URL", value_parser = config::normalise_public_base_url)]
    public_base_url: Option<String>,
    /// Accept unsigned Twilio webhooks when TWILIO_AUTH_TOKEN is not set. Local experiments only.
    #[arg(long)]
    insecure_dev: bool,
    /// Your Twilio account (taken from each webhook when not set).
    #[arg(long, env = "TWILIO_ACCOUNT_SID")]
    twilio_account_sid: Option<String>,
    /// Twilio's REST API base URL.
    #[arg(long, env = "TWILIO_API_BASE", default_value = config::TWILIO_API_BASE)]
    twilio_api_base: String,
    /// The OpenAI Realtime endpoint.
    #[arg(long, env = "OPENAI_REALTIME_URL", default_value = config::OPENAI_REALTIME_URL)]
    openai_realtime_url: String,
    /// The Realtime model (the -mini variant is cheaper).
    #[arg(long, env = "OPENAI_REALTIME_MODEL", default_value = config::OPENAI_REALTIME_MODEL)]
    openai_model: String,
    /// The AI's voice.
    #[arg(long, env = "OPENAI_VOICE", default_value = "marin")]
    openai_voice: String,
    /// The shop's name, said in the greeting.
    #[arg(long, env = "SHOP_NAME", default_value = "Melt 8 Pizza")]
    shop_name: String,
    /// A greeting instead of the default one.
    #[arg(long, env = "SHOP_GREETING")]
    shop_greeting: Option<String>,
    /// The shop's phone: callers who ask for a person, or whom the AI cannot serve, go here.
    #[arg(long, env = "SHOP_PHONE")]
    shop_phone: Option<String>,
    /// The shop's Twilio number, the one callers dial (E.164, e.g. +924235550123).
    #[arg(long, env = "TWILIO_PHONE_NUMBER")]
    twilio_phone_number: Option<String>,
    /// A reserved ngrok domain for the tunnel, e.g. melt8-gulberg.ngrok.app.
    #[arg(long, env = "NGROK_DOMAIN")]
    ngrok_domain: Option<String>,
    /// The shop is configured through the environment or flags: mark the first-run setup
    /// wizard done, so the dashboard opens on the board.
    #[arg(long, env = "SKIP_SETUP_WIZARD")]
    skip_setup_wizard: bool,
    /// Minutes until delivery, told to callers.
    #[arg(long, env = "ETA_MINUTES", default_value_t = 35)]
    eta_minutes: u32,
    /// PostgreSQL to sync orders to, e.g. postgres://user:password@host:5432/db
    /// (?sslmode=require for TLS). Without it orders stay on this PC only.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, value_name = "URL")]
    database_url: Option<String>,
    /// This shop's id in a shared PostgreSQL database [default: generated at first start]
    #[arg(long, env = "SHOP_ID", value_parser = kitchen_sync::shop::validate_shop_id)]
    shop_id: Option<String>,
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
            Command::Serve(args) => serve(*args).await,
            Command::ResetPassword { data_dir } => reset_password(data_dir).await,
            Command::SimulateCall(args) => simulate_call(args).await,
            Command::Backup { data_dir } => data_cli::backup(data_dir).await,
            Command::Restore { file, data_dir } => data_cli::restore(file, data_dir).await,
            Command::Export(args) => {
                let day = BusinessDay {
                    utc_offset: args.utc_offset.unwrap_or_else(config::local_offset),
                    starts_at_hour: args.day_starts_at,
                };
                data_cli::export_csv(args.data_dir, args.date, day).await
            }
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
    config.skip_setup_wizard = args.skip_setup_wizard;
    let secret = |name: &str| {
        std::env::var(name)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(Secret::new)
    };
    let phone = &mut config.phone;
    phone.public_port = args.public_port;
    phone.public_bind = args.public_bind;
    phone.public_base_url = args.public_base_url;
    phone.insecure_dev = args.insecure_dev;
    phone.twilio_auth_token = secret("TWILIO_AUTH_TOKEN");
    phone.twilio_account_sid = args.twilio_account_sid;
    phone.twilio_api_base = args.twilio_api_base;
    phone.openai_api_key = secret("OPENAI_API_KEY");
    phone.openai_realtime_url = args.openai_realtime_url;
    phone.openai_model = args.openai_model;
    phone.openai_voice = args.openai_voice;
    phone.shop_name = args.shop_name;
    phone.greeting = args.shop_greeting;
    phone.shop_phone = match args
        .shop_phone
        .as_deref()
        .map(kitchen_domain::PhoneNumber::parse)
    {
        None => None,
        Some(Ok(kitchen_domain::PhoneNumber::E164(p))) => Some(p),
        Some(Ok(kitchen_domain::PhoneNumber::Withheld)) => {
            anyhow::bail!("SHOP_PHONE must be a phone number")
        }
        Some(Err(e)) => anyhow::bail!("SHOP_PHONE: {e}"),
    };
    phone.twilio_phone_number = match args
        .twilio_phone_number
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(kitchen_domain::PhoneNumber::parse)
    {
        None => None,
        Some(Ok(kitchen_domain::PhoneNumber::E164(p))) => Some(p),
        Some(Ok(kitchen_domain::PhoneNumber::Withheld)) => {
            anyhow::bail!("TWILIO_PHONE_NUMBER must be a phone number")
        }
        Some(Err(e)) => anyhow::bail!("TWILIO_PHONE_NUMBER: {e}"),
    };
    phone.ngrok_authtoken = secret("NGROK_AUTHTOKEN");
    phone.ngrok_domain = args
        .ngrok_domain
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    phone.eta_minutes = args.eta_minutes;
    config.sync.database_url = args
        .database_url
        .filter(|u| !u.trim().is_empty())
        .map(kitchen_sync::DatabaseUrl::new);
    config.sync.shop_id = args.shop_id;
    // In demo mode the fake AI and fake Twilio REST API live as long as the server.
    let _demo_fakes = if args.demo {
        Some(start_demo(phone).await?)
    } else {
        None
    };

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
    println!("  dashboard:    {base}/chef-dashboard");
    println!("  kitchen API:  {base}/api   (health: {base}/health)");
    let public = app.public_addr()?;
    println!(
        "  Twilio side:  http://{public}   (public URL: {})",
        config
            .phone
            .public_base_url
            .as_deref()
            .unwrap_or("not set: PUBLIC_BASE_URL")
    );
    if config.phone.openai_api_key.is_none() {
        println!("  note: OPENAI_API_KEY is not set, so calls go straight to the shop's phone");
    }
    println!("  data folder:  {}", data_dir.display());
    println!("  stop with Ctrl-C");
    if let PasswordSetup::Generated(pw) = app.password_setup() {
        print_password(
            "No chef password was set, so one was made for you.",
            &config.chef_username,
            pw,
        );
    }
    if config.phone.ngrok_authtoken.is_some() {
        println!("  tunnel:       opening the ngrok tunnel (NGROK_AUTHTOKEN)…");
    }
    tokio::spawn(print_tunnel_changes(app.state().tunnel.subscribe()));
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

/// The token `--demo` and `simulate-call` share when no real one is configured.
const DEMO_TWILIO_TOKEN: &str = "demo-twilio-auth-token";

/// The account a demo call belongs to (Twilio's documented test-credential form).
const DEMO_ACCOUNT_SID: &str = "AC00000000000000000000000000000000";
/// The demo account's number (Twilio's own test number), when TWILIO_PHONE_NUMBER is unset.
const DEMO_TWILIO_NUMBER: &str = "+15005550006";

/// Prints the tunnel's public URL each time it comes online (and why it is not).
#[allow(clippy::print_stdout)]
async fn print_tunnel_changes(
    mut status: tokio::sync::watch::Receiver<kitchen_tunnel::TunnelStatus>,
) {
    use kitchen_tunnel::TunnelStatus;
    while status.changed().await.is_ok() {
        let now = status.borrow_and_update().clone();
        match now {
            TunnelStatus::Online { url } => {
                println!("  tunnel:       online at {url}");
                println!(
                    "                Twilio voice URL: {url}/incoming-call (or press \"Connect my number\" on the Phone page)"
                );
            }
            TunnelStatus::Failed {
                message,
                retry_in_secs,
            } => println!(
                "  tunnel:       not online: {message} (trying again in {retry_in_secs} s)"
            ),
            TunnelStatus::Off | TunnelStatus::Connecting { .. } => {}
        }
    }
}

/// Demo mode: a scripted fake AI, and a local fake of Twilio's REST API so hang-ups and
/// transfers never leave the machine.
#[allow(clippy::print_stdout)]
async fn start_demo(
    phone: &mut kitchen_server::config::PhoneConfig,
) -> anyhow::Result<(kitchen_demo::FakeRealtime, kitchen_demo::FakeTwilioRest)> {
    use kitchen_demo::{FakeRealtime, FakeTwilioRest, Script};
    let script = Script::urdu_pizza_order(
        "chicken-tikka",
        "large",
        2,
        "coca-cola",
        "1.5l",
        "House 12, Street 4, Block C, Gulberg III, Lahore",
        "Ali Raza",
    );
    let fake = FakeRealtime::start_scripted(script).await?;
    phone.openai_api_key = Some(Secret::new("demo-key"));
    phone.openai_realtime_url = fake.url();
    if phone.twilio_auth_token.is_none() {
        phone.twilio_auth_token = Some(Secret::new(DEMO_TWILIO_TOKEN));
    }
    let account = phone
        .twilio_account_sid
        .get_or_insert_with(|| DEMO_ACCOUNT_SID.to_string())
        .clone();
    let token = phone
        .twilio_auth_token
        .as_ref()
        .map(|t| t.expose().to_string())
        .unwrap_or_default();
    let rest = FakeTwilioRest::start(&account, &token).await?;
    phone.twilio_api_base = rest.base_url();
    // The demo account owns the shop's number, so "Connect my number" and "Check setup" work.
    let number = phone
        .twilio_phone_number
        .get_or_insert_with(|| DEMO_TWILIO_NUMBER.to_string())
        .clone();
    rest.add_number(&number);
    if phone.public_base_url.is_none() {
        phone.public_base_url = Some(format!("http://127.0.0.1:{}", phone.public_port));
    }
    println!(
        "DEMO MODE: calls are answered by a scripted fake AI at {}.",
        fake.url()
    );
    println!(
        "  Place a call with: melt8 simulate-call --public-url http://127.0.0.1:{}",
        phone.public_port
    );
    Ok((fake, rest))
}

#[allow(clippy::print_stdout)]
async fn simulate_call(args: SimulateArgs) -> anyhow::Result<()> {
    use kitchen_demo::FakeCaller;
    use kitchen_demo::audio::tone;
    let token = std::env::var("TWILIO_AUTH_TOKEN").unwrap_or_else(|_| DEMO_TWILIO_TOKEN.into());
    let public_base = args
        .public_base_url
        .clone()
        .unwrap_or_else(|| args.public_url.clone());
    let caller = FakeCaller::new(
        args.public_url.trim_end_matches('/'),
        public_base.trim_end_matches('/'),
        &token,
    );
    println!("Calling {} from {} …", args.public_url, args.from);
    let call = caller.place_call(&args.from, "+15005550006").await?;
    if call.status != 200 {
        anyhow::bail!(
            "the server refused the call (HTTP {}): {}",
            call.status,
            call.twiml.trim()
        );
    }
    if call.stream_url.is_none() {
        anyhow::bail!(
            "the server did not connect the call to the AI (is it running with --demo, or with OPENAI_API_KEY?). It answered: {}",
            call.twiml.trim()
        );
    }
    let stream = caller.connect_stream(&call).await?;
    println!(
        "Connected ({}). The caller is ordering two large Chicken Tikka and a 1.5 L Coke …",
        call.call_sid
    );
    let voice = tone(1600, 330.0);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    while !stream.is_closed() {
        if std::time::Instant::now() > deadline {
            stream.stop()?;
            anyhow::bail!("the call did not finish within 90 s");
        }
        if stream.send_audio(&voice, true).await.is_err() {
            break; // the server ended the call between two frames
        }
    }
    println!(
        "The call has ended: {} bytes of AI speech heard. The order is on the kitchen board (GET /api/orders).",
        stream.audio_received().len()
    );
    Ok(())
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
