//! Reads the root `tauri.conf.json` (the package root is the repository root, where the
//! Tauri CLI looks for it too) for the app's context.

fn main() {
    tauri_build::build();
}
