//! `melt8`: the Melt 8 Kitchen server without the desktop window. Only wiring: flags and
//! environment into a [`Config`], then [`Application`] does the work.

use chrono::FixedOffset;
use clap::{Args, Parser, Subcommand};
use kitchen_server::auth::{self, PasswordSetup};
use kitchen_server::clock::BusinessDay;
use kitchen_server::config::{self, Config, Env, Flags, parse_utc_offset};
use kitchen_server::{Application, Secret};
use kitchen_store::{Store, StoreOptions};
use std::path::PathBuf;
use std::process::ExitCode;

mod data_cli;
mod rehearse_cli;

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
  OPENAI_WEBHOOK_SECRET     checks OpenAI's signed webhooks for the SIP engines (whsec_…;
                            secret; never a flag)
  MELT8_DATA_DIR            data folder (default: the OS app-data folder)
  DATABASE_URL              optional PostgreSQL to sync orders to, e.g.
                            postgres://user:password@host:5432/db (?sslmode=require for TLS).
                            Prefer it to --database-url: a flag shows in `ps`
  SHOP_ID                   this shop's id in that database (default: generated once)
  KITCHEN_PORT, KITCHEN_BIND, SHOP_UTC_OFFSET, BUSINESS_DAY_STARTS_AT,
  SQLITE_BUSY_TIMEOUT_MS, PUBLIC_PORT, PUBLIC_BIND, PUBLIC_BASE_URL, TWILIO_ACCOUNT_SID,
  TWILIO_API_BASE, TWILIO_STUDIO_BASE, TWILIO_TRUNKING_BASE, OPENAI_REALTIME_URL,
  OPENAI_REALTIME_MODEL, OPENAI_API_BASE, OPENAI_LIVE_URL, OPENAI_VOICE, VOICE_ENGINE,
  SHOP_NAME, SHOP_GREETING, SHOP_PHONE, ETA_MINUTES, TWILIO_PHONE_NUMBER, NGROK_DOMAIN,
  SKIP_SETUP_WIZARD
  OPENAI_PROJECT_ID, OPENAI_LIVE_MODEL, OPENAI_LIVE_BACKEND_MODEL
                            the SIP engines' OpenAI project (proj_…) and the GPT-Live
                            models (default gpt-live-1.1, tools by gpt-5-mini)
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
    /// Play the conversation test set: each scenario's phone calls through a real server
    /// started here on a temporary data folder, the AI played by the built-in scripted fake
    /// (or, with --live, by the configured model), then the board, the call log and the call
    /// cards checked. Prints PASS/FAIL per scenario; exits 1 if any failed.
    Rehearse(rehearse_cli::RehearseArgs),
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
    /// Everything else: the one loader's flags (the desktop app reads the same variables).
    #[command(flatten)]
    flags: Flags,
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
    // A rehearsal starts a server per scenario: only their warnings, unless RUST_LOG says.
    init_logging(if matches!(cli.command, Command::Rehearse(_)) {
        "warn"
    } else {
        "info"
    });
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run_command(cli.command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one subcommand; its exit code (a rehearsal with a failed scenario exits 1).
async fn run_command(command: Command) -> anyhow::Result<ExitCode> {
    let done = match command {
        Command::Rehearse(args) => return rehearse_cli::run(args).await,
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
    };
    done.map(|()| ExitCode::SUCCESS)
}

fn init_logging(default_level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    use std::io::IsTerminal;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
}

#[allow(clippy::print_stdout)] // the console is where the owner reads the address and password
async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let env = Env::from_process().map_err(anyhow::Error::msg)?;
    let mut config = Config::load(&args.flags, &env)?;
    let data_dir = config.data_dir.clone();
    // In demo mode the fake AI and fake Twilio REST API live as long as the server.
    let _demo_fakes = if args.demo {
        config.demo = true;
        Some(start_demo(&mut config).await?)
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
    if config.settings.openai_api_key.is_none() {
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
    if config.settings.ngrok_authtoken.is_some() {
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
                ..
            } => println!(
                "  tunnel:       not online: {message} (trying again in {retry_in_secs} s)"
            ),
            TunnelStatus::Off | TunnelStatus::Connecting { .. } => {}
        }
    }
}

/// The fakes a `--demo` server talks to; they live as long as the server.
struct DemoFakes {
    _realtime: kitchen_demo::FakeRealtime,
    _live: kitchen_demo::FakeLive,
    _rest: kitchen_demo::FakeTwilioRest,
}

/// Demo mode: a scripted fake AI (Realtime and GPT-Live), and a local fake of Twilio's REST
/// API so hang-ups and transfers never leave the machine.
#[allow(clippy::print_stdout)]
async fn start_demo(config: &mut Config) -> anyhow::Result<DemoFakes> {
    use kitchen_demo::live::{LiveChecks, LiveScript};
    use kitchen_demo::{FakeLive, FakeRealtime, FakeTwilioRest, Script};
    use kitchen_domain::settings::{AccountSid, E164};
    const ADDRESS: &str = "House 12, Street 4, Block C, Gulberg III, Lahore";
    let script = Script::urdu_pizza_order(
        "chicken-tikka",
        "large",
        2,
        "coca-cola",
        "1.5l",
        ADDRESS,
        "Ali Raza",
    );
    let fake = FakeRealtime::start_scripted(script).await?;
    // The same order on the live bridge (VOICE_ENGINE=live-bridge, or the engine chosen in
    // the dashboard): both fakes run, so either engine answers the demo's calls.
    let live_script = LiveScript::urdu_pizza_and_drink_order(
        "chicken-tikka",
        "large",
        2,
        "coca-cola",
        "1.5l",
        ADDRESS,
        "Ali Raza",
    );
    let live = FakeLive::start(Some(live_script), LiveChecks::default()).await?;
    // The demo's own values go into the environment's layer: settings the owner saved in
    // the dashboard still win over them.
    let settings = &mut config.settings;
    settings.openai_api_key = Some(Secret::new("demo-key"));
    let token = settings
        .twilio_auth_token
        .get_or_insert_with(|| Secret::new(DEMO_TWILIO_TOKEN))
        .expose()
        .to_string();
    let account = match &settings.twilio_account_sid {
        Some(sid) => sid.clone(),
        None => AccountSid::parse(DEMO_ACCOUNT_SID).map_err(anyhow::Error::msg)?,
    };
    settings.twilio_account_sid = Some(account.clone());
    let number = match &settings.twilio_phone_number {
        Some(n) => n.clone(),
        None => E164::parse(DEMO_TWILIO_NUMBER, "the demo number").map_err(anyhow::Error::msg)?,
    };
    settings.twilio_phone_number = Some(number.clone());
    let rest = FakeTwilioRest::start(account.as_str(), &token).await?;
    let phone = &mut config.phone;
    phone.openai_realtime_url = fake.url();
    phone.openai_live_url = live.url();
    phone.twilio_api_base = rest.base_url();
    phone.twilio_studio_base = rest.studio_base_url();
    // "Set up SIP trunk" makes its trunk in the fake too.
    phone.twilio_trunking_base = rest.trunking_base_url();
    // The demo account owns the shop's number, so "Connect my number" and "Check setup" work.
    rest.add_number(number.as_str());
    if phone.public_base_url.is_none() {
        phone.public_base_url = Some(format!("http://127.0.0.1:{}", phone.public_port));
    }
    println!(
        "DEMO MODE: calls are answered by a scripted fake AI: Realtime at {}, GPT-Live (VOICE_ENGINE=live-bridge) at {}.",
        fake.url(),
        live.url()
    );
    println!(
        "  Place a call with: melt8 simulate-call --public-url http://127.0.0.1:{}",
        phone.public_port
    );
    Ok(DemoFakes {
        _realtime: fake,
        _live: live,
        _rest: rest,
    })
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
    // A running server keeps the old password in memory (and its open dashboards): it
    // would go on accepting it. So, as for a restore, the server must be stopped first.
    let _lock = match kitchen_store::backup::DataDirLock::exclusive(&data_dir) {
        Ok(lock) => lock,
        Err(kitchen_store::backup::BackupError::InUse(dir)) => anyhow::bail!(
            "Melt 8 Kitchen is running with the data folder {dir}. Stop the server (and the desktop app) first, then reset the password: a running server would go on accepting the old one"
        ),
        Err(e) => return Err(e.into()),
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What the desktop app does (src-tauri/src/server.rs): no flags, the same loader.
    fn desktop_config(env: &Env) -> Config {
        Config::load(&Flags::default(), env).unwrap()
    }

    fn melt8_serve_config(args: &[&str], env: &Env) -> Config {
        let cli = Cli::try_parse_from(args).unwrap();
        let Command::Serve(serve) = cli.command else {
            panic!("not serve")
        };
        Config::load(&serve.flags, env).unwrap()
    }

    #[test]
    fn both_binaries_build_the_same_config_from_the_same_environment() {
        let env = Env::from_pairs([
            ("MELT8_DATA_DIR", "/srv/melt8"),
            ("KITCHEN_PORT", "9090"),
            ("KITCHEN_BIND", "0.0.0.0"),
            ("SHOP_UTC_OFFSET", "+05:00"),
            ("BUSINESS_DAY_STARTS_AT", "4"),
            ("SQLITE_BUSY_TIMEOUT_MS", "2500"),
            ("PUBLIC_PORT", "9091"),
            ("PUBLIC_BASE_URL", "shop.example.com"),
            ("OPENAI_REALTIME_URL", "ws://127.0.0.1:9/v1/realtime"),
            ("TWILIO_API_BASE", "http://127.0.0.1:9/2010-04-01"),
            ("TWILIO_STUDIO_BASE", "http://127.0.0.1:9/v2"),
            ("SHOP_NAME", "Melt 8 Gulberg"),
            ("SHOP_PHONE", "0300 1234567"),
            ("ETA_MINUTES", "40"),
            ("OPENAI_API_KEY", "sk-test-env"),
            ("SKIP_SETUP_WIZARD", "1"),
            ("CHEF_PASSWORD", "a-long-password"),
        ]);
        let melt8 = melt8_serve_config(&["melt8", "serve"], &env);
        let desktop = desktop_config(&env);
        // The secret store is the desktop's own choice (the keychain); everything else is
        // the same, field for field.
        assert_eq!(format!("{melt8:?}"), format!("{desktop:?}"));
        assert_eq!(desktop.port, 9090);
        assert_eq!(desktop.business_day.starts_at_hour, 4);
        assert_eq!(desktop.business_day.utc_offset.local_minus_utc(), 5 * 3600);
        assert_eq!(
            desktop.phone.public_base_url.as_deref(),
            Some("https://shop.example.com")
        );
        assert_eq!(desktop.settings.setup_done, Some(true));
        assert_eq!(
            desktop.settings.shop_phone.as_ref().map(|p| p.as_str()),
            Some("+923001234567")
        );
        assert!(desktop.chef_password.is_some());
    }

    #[test]
    fn a_flag_wins_over_its_variable_and_booleans_read_as_people_write_them() {
        let env = Env::from_pairs([("KITCHEN_PORT", "9090"), ("SKIP_SETUP_WIZARD", "no")]);
        let c = melt8_serve_config(&["melt8", "serve", "--port", "7070"], &env);
        assert_eq!(c.port, 7070);
        assert_eq!(c.settings.setup_done, None);
        let yes = Env::from_pairs([("SKIP_SETUP_WIZARD", "yes")]);
        assert_eq!(desktop_config(&yes).settings.setup_done, Some(true));
        let flag = melt8_serve_config(&["melt8", "serve", "--skip-setup-wizard"], &Env::default());
        assert_eq!(flag.settings.setup_done, Some(true));
    }

    #[test]
    fn every_bad_value_is_reported_at_once_naming_variable_and_flag() {
        let env = Env::from_pairs([
            ("KITCHEN_PORT", "eighty"),
            ("SHOP_PHONE", "call me"),
            ("TWILIO_AUTH_TOKEN", "not-a-token"),
            ("SKIP_SETUP_WIZARD", "perhaps"),
        ]);
        let err = Config::load(&Flags::default(), &env).unwrap_err();
        let text = err.to_string();
        assert_eq!(err.0.len(), 4, "{text}");
        assert!(text.contains("KITCHEN_PORT (--port)"), "{text}");
        assert!(text.contains("SHOP_PHONE (--shop-phone)"), "{text}");
        assert!(text.contains("TWILIO_AUTH_TOKEN"), "{text}");
        assert!(text.contains("SKIP_SETUP_WIZARD"), "{text}");
        assert!(
            !text.contains("not-a-token"),
            "a secret is never repeated: {text}"
        );
    }
}
