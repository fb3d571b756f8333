//! `scripts/check-shipped-deps.sh` (run by `./test`) against throwaway cargo workspaces:
//! it fails, naming the path, when a shipped package links a crate called
//! `kitchen-testkit` or `jsonschema`, and passes once the test kit is a dev-dependency.
//! Path dependencies only, `--offline`: nothing is downloaded or compiled.

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// A workspace in a temporary folder (deleted on drop): `server` (a library and a binary,
/// as kitchen-server holds `melt8`), `desktop` (a binary on `server`'s library, as the
/// desktop app is), and the empty libraries `kitchen-demo`, `kitchen-testkit` and
/// `jsonschema`.
struct Workspace {
    dir: tempfile::TempDir,
    /// A cargo home of its own: with path dependencies only cargo needs nothing from the
    /// shared one, and a build running beside the test cannot make cargo print
    /// "Blocking waiting for file lock" into the output the test reads.
    cargo_home: tempfile::TempDir,
}

impl Workspace {
    /// `server_deps` is the `[dependencies]` and `[dev-dependencies]` text of `server`;
    /// `demo_deps` the `[dependencies]` of `kitchen-demo`.
    fn new(server_deps: &str, demo_deps: &str) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            &root.join("Cargo.toml"),
            "[workspace]\nresolver = \"2\"\n\
             members = [\"server\", \"desktop\", \"kitchen-demo\", \"kitchen-testkit\", \
             \"jsonschema\"]\n",
        );
        package(root, "server", true, server_deps);
        let desktop_deps = "[dependencies]\nserver = { path = \"../server\" }\n";
        package(root, "desktop", true, desktop_deps);
        package(root, "kitchen-demo", false, demo_deps);
        package(root, "kitchen-testkit", false, "");
        package(root, "jsonschema", false, "");
        Workspace {
            dir,
            cargo_home: tempfile::tempdir().unwrap(),
        }
    }

    /// Runs the check on `packages` of this workspace.
    fn check(&self, packages: &[&str]) -> Output {
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/check-shipped-deps.sh");
        Command::new("bash")
            .arg(script)
            .arg("--offline")
            .arg("--manifest-path")
            .arg(self.dir.path().join("Cargo.toml"))
            .args(packages)
            // Outside the repository: no cargo configuration of ours applies.
            .current_dir(self.dir.path())
            .env("CARGO", env!("CARGO"))
            .env("CARGO_HOME", self.cargo_home.path())
            .output()
            .unwrap()
    }
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A package `name`: a library, a binary too if `bin`, and `deps` in its manifest.
fn package(root: &Path, name: &str, bin: bool, deps: &str) {
    let dir = root.join(name);
    write(
        &dir.join("Cargo.toml"),
        &format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n{deps}"),
    );
    write(&dir.join("src/lib.rs"), "");
    if bin {
        write(&dir.join("src/main.rs"), "fn main() {}\n");
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const TESTKIT_AS_NORMAL: &str = "[dependencies]\n\
    kitchen-demo = { path = \"../kitchen-demo\" }\n\
    kitchen-testkit = { path = \"../kitchen-testkit\" }\n";

const TESTKIT_AS_DEV: &str = "[dependencies]\n\
    kitchen-demo = { path = \"../kitchen-demo\" }\n\n\
    [dev-dependencies]\n\
    kitchen-testkit = { path = \"../kitchen-testkit\" }\n";

#[test]
fn a_shipped_package_linking_the_test_kit_fails_and_the_path_is_named() {
    let ws = Workspace::new(TESTKIT_AS_NORMAL, "");
    let out = ws.check(&["server", "desktop"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for package in ["server", "desktop"] {
        assert!(
            stderr.contains(&format!(
                "the shipped package {package} links kitchen-testkit"
            )),
            "{stderr}"
        );
    }
    // The inverted tree shows who pulls it in: desktop through server.
    let from_desktop = stderr
        .split("cargo tree -i kitchen-testkit -e normal -p desktop")
        .nth(1)
        .unwrap_or_else(|| panic!("no path shown for desktop: {stderr}"));
    // Only the tree's own lines: cargo may add notes of its own (a lock wait) in between.
    let lines: Vec<&str> = from_desktop
        .lines()
        .filter(|line| line.contains(" v0.1.0"))
        .collect();
    assert!(lines.len() >= 3, "{from_desktop}");
    assert!(
        lines[0].starts_with("kitchen-testkit v0.1.0"),
        "{from_desktop}"
    );
    assert!(lines[1].contains("server v0.1.0"), "{from_desktop}");
    assert!(lines[2].contains("desktop v0.1.0"), "{from_desktop}");
}

#[test]
fn the_test_kit_as_a_dev_dependency_passes() {
    let ws = Workspace::new(TESTKIT_AS_DEV, "");
    let out = ws.check(&["server", "desktop"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("ok: none of (kitchen-testkit jsonschema)"));
}

#[test]
fn jsonschema_reaching_a_shipped_package_another_way_fails_too() {
    let demo_deps = "[dependencies]\njsonschema = { path = \"../jsonschema\" }\n";
    let ws = Workspace::new(TESTKIT_AS_DEV, demo_deps);
    let out = ws.check(&["desktop"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the shipped package desktop links jsonschema"),
        "{stderr}"
    );
    assert!(stderr.contains("kitchen-demo v0.1.0"), "{stderr}");
}

#[test]
fn an_unknown_package_is_an_error_not_a_pass() {
    let ws = Workspace::new(TESTKIT_AS_DEV, "");
    let out = ws.check(&["melt8-kitchen"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}
