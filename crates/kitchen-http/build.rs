//! Makes sure the chef dashboard is built before `src/ui.rs` embeds it: when `ui/dist` is
//! missing (a fresh clone) or older than the UI's sources, runs `npm ci` (if `ui/node_modules`
//! is missing or older than `package-lock.json`) and `npm run build` in `ui/`.
//!
//! `./test` and `./run` build the UI themselves first (`scripts/build-ui.sh`), so there this
//! only checks a few timestamps. When nothing in `ui/` changed, cargo does not even run it.
//! `ui/dist` stays the single build output: the desktop shell points at it too.
#![allow(clippy::print_stdout)] // cargo reads its instructions from a build script's stdout

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::SystemTime;

/// What `npm run build` reads, relative to `ui/`. Changes to any of them rebuild the UI.
const SOURCES: &[&str] = &[
    "src",
    "public",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "svelte.config.js",
    "tsconfig.json",
];

fn main() -> ExitCode {
    // Read at run time, not compiled in: cargo reuses a built build script for a checkout
    // at another path (the same cache, a fresh clone), and the compiled-in path would point
    // at the first checkout.
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        eprintln!("error: cargo did not set CARGO_MANIFEST_DIR for the build script");
        return ExitCode::FAILURE;
    };
    let ui = Path::new(&manifest_dir).join("../../ui");
    for source in SOURCES {
        let path = ui.join(source);
        // A path that does not exist would make cargo rerun this script on every build.
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    println!(
        "cargo:rerun-if-changed={}",
        ui.join("dist/index.html").display()
    );
    match ensure_built(&ui) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nerror: the chef dashboard (ui/dist) could not be built: {message}\n");
            ExitCode::FAILURE
        }
    }
}

fn ensure_built(ui: &Path) -> Result<(), String> {
    let index = ui.join("dist/index.html");
    let Some(reason) = build_needed(ui, &index) else {
        return Ok(());
    };
    if !npm_available() {
        if index.exists() {
            println!(
                "cargo:warning=ui/dist is {reason}, but npm is not installed: embedding the old build"
            );
            return Ok(());
        }
        return Err(
            "npm is not installed. Install Node.js 20+ and npm, or run ./run which installs them."
                .into(),
        );
    }
    // Several cargo builds (and scripts/build-ui.sh) may share this checkout: one at a time,
    // and whoever waited looks again, since the build it waited for may have been enough.
    let lock_path = ui.join(".melt8-build.lock");
    let lock = File::create(&lock_path)
        .map_err(|e| format!("cannot create {}: {e}", lock_path.display()))?;
    fs4::FileExt::lock(&lock).map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    let Some(reason) = build_needed(ui, &index) else {
        return Ok(());
    };
    if newer_than(
        &ui.join("package-lock.json"),
        &ui.join("node_modules/.package-lock.json"),
    ) {
        npm(ui, &["ci", "--no-audit", "--no-fund"])?;
    }
    npm(ui, &["run", "build"])?;
    if !index.exists() {
        return Err(format!(
            "`npm run build` succeeded but {} is missing",
            index.display()
        ));
    }
    println!("cargo:warning=built the chef dashboard (ui/dist was {reason})");
    Ok(())
}

/// Why the UI needs building, if it does.
fn build_needed(ui: &Path, index: &Path) -> Option<&'static str> {
    let Some(built) = modified(index) else {
        return Some("missing");
    };
    SOURCES
        .iter()
        .filter_map(|s| newest(&ui.join(s)))
        .any(|t| t > built)
        .then_some("older than its sources")
}

/// Whether `a` is newer than `b` (or `b` is missing).
fn newer_than(a: &Path, b: &Path) -> bool {
    match (modified(a), modified(b)) {
        (_, None) => true,
        (Some(a), Some(b)) => a > b,
        (None, Some(_)) => false,
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The newest modification time of a file, or of anything in a folder.
fn newest(path: &Path) -> Option<SystemTime> {
    let own = modified(path);
    let Ok(entries) = std::fs::read_dir(path) else {
        return own;
    };
    entries
        .flatten()
        .filter_map(|e| newest(&e.path()))
        .chain(own)
        .max()
}

fn npm_program() -> &'static str {
    if cfg!(windows) { "npm.cmd" } else { "npm" }
}

fn npm_available() -> bool {
    Command::new(npm_program())
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs npm in `ui/`; its output goes to stderr (cargo shows it when the build fails), since
/// a build script's stdout is for cargo.
fn npm(ui: &Path, args: &[&str]) -> Result<(), String> {
    let shown = format!("npm {}", args.join(" "));
    let status = Command::new(npm_program())
        .args(args)
        .current_dir(ui)
        // Cargo sets DEBUG for build scripts; Node tools read it as their own log switch.
        .env_remove("DEBUG")
        .stdout(Stdio::from(std::io::stderr()))
        .status()
        .map_err(|e| format!("could not run `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{shown}` in {} failed ({status}); its output is above",
            PathBuf::from(ui).display()
        ))
    }
}
