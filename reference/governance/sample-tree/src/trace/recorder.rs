// CLASSIFICATION: COMMUNITY
// Filename: recorder.rs v0.9
// Author: Lukas Bower
// Date Modified: 2029-03-08

//! Appends one JSON object a line to /log/trace/live.log (TRACE_OUT overrides the directory).

use std::io::Write;

pub fn record(agent: &str, event: &str, detail: &str, ok: bool) {
    let dir = std::env::var("TRACE_OUT").unwrap_or_else(|_| "/log/trace".into());
    if let Ok(mut f) = std::fs::OpenOptions::new().append(true).create(true).open(format!("{dir}/live.log")) {
        let _ = writeln!(f, r#"{{"agent":"{agent}","event":"{event}","detail":"{detail}","ok":{ok}}}"#);
    }
}
