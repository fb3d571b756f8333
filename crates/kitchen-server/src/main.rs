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
    /// Call as OpenAI's SIP side would (server running with `--demo` and VOICE_ENGINE
    /// sip-realtime or sip-live): send the signed `live.transport.incoming` and
    /// `realtime.call.incoming` webhooks of one call to `/openai/webhook`; the demo's
    /// scripted sideband then places the order.
    #[arg(long)]
    sip: bool,
    /// With --sip: the demo's fake OpenAI API (printed by `serve --demo`), to report what
    /// the server asked of it (accept, hang-up, transfer).
    #[arg(long, value_name = "URL")]
    openai_url: Option<String>,
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
    let demo_fakes = if args.demo {
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
    for note in demo_fakes.iter().flat_map(|d| &d.notes) {
        println!("{note}");
    }
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

/// The demo's webhook secret (`OPENAI_WEBHOOK_SECRET` when none is configured), shared
/// by `serve --demo` and `simulate-call --sip`.
const DEMO_WEBHOOK_SECRET: &str = "whsec_bWVsdDgta2l0Y2hlbi1kZW1vLXdlYmhvb2sta2V5ISE=";

/// The fakes a demo server runs, alive as long as it.
struct DemoFakes {
    _realtime: kitchen_demo::FakeRealtime,
    _live: kitchen_demo::FakeLive,
    _rest: kitchen_demo::FakeTwilioRest,
    _openai_sip: Option<kitchen_demo::openai_sip::FakeOpenAiSip>,
    _live_sideband: Option<kitchen_demo::openai_sip::live_sideband::FakeLiveSideband>,
    /// What to tell the owner once the server is up.
    notes: Vec<String>,
}

/// Demo mode: a scripted fake AI (Realtime and GPT-Live, so either bridge engine answers),
/// and a local fake of Twilio's REST API so hang-ups and transfers never leave the machine
/// (what to try is in its `notes`). With a SIP engine (`VOICE_ENGINE=sip-realtime` or
/// `sip-live`), also a fake of OpenAI's call control and a scripted sideband, and a demo
/// webhook secret, so `melt8 simulate-call --sip` can ring it.
async fn start_demo(config: &mut Config) -> anyhow::Result<DemoFakes> {
    use kitchen_demo::live::{LiveChecks, LiveScript};
    use kitchen_demo::openai_sip::FakeOpenAiSip;
    use kitchen_demo::openai_sip::live_sideband::{FakeLiveSideband, LiveSidebandScript};
    use kitchen_demo::{FakeLive, FakeRealtime, FakeTwilioRest, Script};
    use kitchen_domain::VoiceEngine;
    use kitchen_domain::settings::{AccountSid, E164};
    const ADDRESS: &str = "House 12, Street 4, Block C, Gulberg III, Lahore";
    let engine = config.settings.voice_engine.unwrap_or_default();
    let sip = engine.is_sip();
    let script = if sip {
        Script::sideband_urdu_pizza_order("chicken-tikka", "large", 2, ADDRESS, "Ali Raza")
    } else {
        Script::urdu_pizza_order(
            "chicken-tikka",
            "large",
            2,
            "coca-cola",
            "1.5l",
            ADDRESS,
            "Ali Raza",
        )
    };
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
    if sip && settings.openai_webhook_secret.is_none() {
        settings.openai_webhook_secret = Some(Secret::new(DEMO_WEBHOOK_SECRET));
    }
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
    let mut notes = Vec::new();
    let (openai_sip, live_sideband) = if sip {
        let control = FakeOpenAiSip::start().await?;
        phone.openai_api_base = control.base_url();
        let sideband = if engine == VoiceEngine::SipLive {
            let script = LiveSidebandScript::urdu_pizza_order("chicken-tikka", "large", 2, ADDRESS);
            let sideband = FakeLiveSideband::start(script, None).await?;
            phone.openai_live_url = sideband.url();
            Some(sideband)
        } else {
            None
        };
        notes.push(format!(
            "DEMO MODE ({}): OpenAI's SIP side is faked at {} (call control) and its sideband is scripted.",
            engine.as_str(),
            control.base_url()
        ));
        notes.push(format!(
            "  Ring it with: melt8 simulate-call --sip --public-url http://127.0.0.1:{} --openai-url {}",
            phone.public_port,
            control.base_url()
        ));
        (Some(control), sideband)
    } else {
        notes.push(format!(
            "DEMO MODE: calls are answered by a scripted fake AI: Realtime at {}, GPT-Live (VOICE_ENGINE=live-bridge) at {}.",
            fake.url(),
            live.url()
        ));
        notes.push(format!(
            "  Place a call with: melt8 simulate-call --public-url http://127.0.0.1:{}",
            phone.public_port
        ));
        (None, None)
    };
    Ok(DemoFakes {
        _realtime: fake,
        _live: live,
        _rest: rest,
        _openai_sip: openai_sip,
        _live_sideband: live_sideband,
        notes,
    })
}

/// `simulate-call --sip`: one SIP call's two webhooks, signed like OpenAI's, then (with
/// `--openai-url`) what the server asked of OpenAI's call control until the call ended.
#[allow(clippy::print_stdout)]
async fn simulate_sip_call(args: SimulateArgs) -> anyhow::Result<()> {
    use kitchen_demo::openai_sip::{incoming_pair, send_webhook};
    let secret =
        std::env::var("OPENAI_WEBHOOK_SECRET").unwrap_or_else(|_| DEMO_WEBHOOK_SECRET.into());
    let from = kitchen_domain::PhoneNumber::parse(&args.from)
        .ok()
        .and_then(|n| n.e164().map(str::to_string))
        .unwrap_or_else(|| args.from.clone());
    let now = chrono::Utc::now();
    let tag = format!("demo{}", now.timestamp_millis());
    let (live, realtime) = incoming_pair(&tag, &from, now.timestamp());
    let url = format!("{}/openai/webhook", args.public_url.trim_end_matches('/'));
    println!("Ringing {url} as OpenAI's SIP side: one call from {from}, two webhooks …");
    let (live_id, rt_id) = (format!("wh_live_{tag}"), format!("wh_rt_{tag}"));
    let (a, b) = tokio::join!(
        send_webhook(&url, &secret, &live_id, now.timestamp(), &live),
        send_webhook(&url, &secret, &rt_id, now.timestamp(), &realtime),
    );
    let (a, b) = (a?, b?);
    println!("  live.transport.incoming (live_{tag}): HTTP {a}");
    println!("  realtime.call.incoming  (rtc_{tag}): HTTP {b}");
    if a != 200 || b != 200 {
        anyhow::bail!(
            "the server refused a webhook (is it running with --demo and VOICE_ENGINE=sip-realtime or sip-live? a 401 means another webhook secret)"
        );
    }
    let Some(openai) = args.openai_url else {
        println!(
            "Both webhooks were taken. The server accepts the call on its engine and the demo's sideband places the order (see the board)."
        );
        return Ok(());
    };
    let client = reqwest::Client::new();
    let base = openai.trim_end_matches('/');
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut reported = 0;
    loop {
        let mut seen: Vec<serde_json::Value> = Vec::new();
        for id in [format!("live_{tag}"), format!("rtc_{tag}")] {
            let res = client.get(format!("{base}/demo/calls/{id}")).send().await?;
            let list: Vec<serde_json::Value> = res.error_for_status()?.json().await?;
            seen.extend(list);
        }
        for r in seen.iter().skip(reported) {
            let what = match r["action"].as_str().unwrap_or_default() {
                "accept" => "accepted (the AI answers)".to_string(),
                "hangup" => "hung up by the AI (end_call)".to_string(),
                "refer" => format!(
                    "transferred to {}",
                    r["body"]["target_uri"].as_str().unwrap_or("?")
                ),
                "reject" => format!("rejected ({})", r["body"]["status_code"]),
                other => other.to_string(),
            };
            println!(
                "  {} {}: {what}",
                r["api"].as_str().unwrap_or_default(),
                r["id"].as_str().unwrap_or_default()
            );
        }
        reported = seen.len();
        let over = seen
            .iter()
            .any(|r| matches!(r["action"].as_str(), Some("hangup" | "refer" | "reject")));
        if over {
            println!("The call has ended. The order is on the kitchen board (GET /api/orders).");
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            anyhow::bail!("the call did not finish within 60 s");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[allow(clippy::print_stdout)]
async fn simulate_call(args: SimulateArgs) -> anyhow::Result<()> {
    use kitchen_demo::FakeCaller;
    if args.sip {
        return simulate_sip_call(args).await;
    }
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
