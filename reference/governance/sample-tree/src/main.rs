// CLASSIFICATION: COMMUNITY
// Filename: main.rs v0.7
// Author: Lukas Bower
// Date Modified: 2029-03-12

//! Plan 9 init for the Cohesix root server: mounts the namespace and starts the shell.

mod secure9p;
mod trace;

fn main() {
    let role = std::fs::read_to_string("/srv/cohrole").unwrap_or_else(|_| "DroneWorker".into());
    trace::recorder::record("init", "spawn", role.trim(), true);
    println!("Cohesix init complete");
}
