// CLASSIFICATION: COMMUNITY
// Filename: policy.rs v1.2
// Author: Lukas Bower
// Date Modified: 2029-03-14

//! Capability policy: an agent may write a path only with an explicit grant.

pub struct Rule {
    pub write: bool,
    pub prefix: String,
}

pub fn allows(rules: &[Rule], path: &str, write: bool) -> bool {
    rules.iter().any(|r| path.starts_with(&r.prefix) && (r.write || !write))
}
