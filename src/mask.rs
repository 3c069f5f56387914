//! Secrets in what trustlint shows (SPEC TL603 and §6: trustlint never
//! prints a secret). Every text that quotes the scanned files — source
//! excerpts in human output, messages, labels, help — goes through
//! [`secrets`] (where they are) or [`mask`] (the text rewritten):
//!
//! - an access key ID, `AKIA` (long-term) or `ASIA` (temporary) and 16
//!   uppercase letters or digits, is shown as `AKIA…` + its last 4
//!   characters;
//! - a secret access key, 40 characters of `[A-Za-z0-9/+]` standing alone,
//!   within [`SECRET_REACH`] bytes after a secret-key name
//!   (`aws_secret_access_key`, `SecretAccessKey`, `aws-secret-access-key`,
//!   `secret_key`, … in any case) or after an access key ID, is replaced by
//!   as many `*`.
//!
//! AWS's documented examples (`AKIAIOSFODNN7EXAMPLE` and its secret) are
//! shown as written. To recognise another kind of secret, add a finder in
//! [`secrets`]; everything that shows text uses it.

use std::borrow::Cow;
use std::ops::Range;

/// AWS's documented example key ID.
/// See: <https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html>
pub const EXAMPLE_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
/// AWS's documented example secret access key.
pub const EXAMPLE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// How far after a secret-key name (or a key ID) its secret is looked for:
/// `"SecretAccessKey": "…"`, `- Name: AWS_SECRET_ACCESS_KEY\n  Value: …`.
pub const SECRET_REACH: usize = 128;

/// How far before a text's start a caller should include context so that a
/// secret-key name before it is seen (the name plus [`SECRET_REACH`]).
pub const LOOK_BEHIND: usize = SECRET_REACH + 64;

const KEY_ID_LEN: usize = 20;
const SECRET_LEN: usize = 40;

/// A secret found in a text: its byte range and what to show instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Secret {
    pub range: Range<usize>,
    pub shown: String,
}

fn is_key_id_char(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

fn is_secret_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'/' || b == b'+'
}

/// Access key IDs: `AKIA`/`ASIA` + 16 of `[A-Z0-9]`, wherever they are
/// (a longer run is masked too: showing too little is the safe side).
fn key_ids(b: &[u8], out: &mut Vec<Secret>) {
    let mut i = 0;
    while i + KEY_ID_LEN <= b.len() {
        // Most texts hold no `A` followed by `KIA`/`ASIA`: jump to the next `A`.
        match memchr::memchr(b'A', &b[i..b.len() - KEY_ID_LEN + 1]) {
            Some(off) => i += off,
            None => break,
        }
        let is_prefix = b[i] == b'A' && matches!(&b[i + 1..i + 4], b"KIA" | b"SIA");
        if is_prefix && b[i + 4..i + KEY_ID_LEN].iter().all(|&c| is_key_id_char(c)) {
            let id = &b[i..i + KEY_ID_LEN];
            if id != EXAMPLE_KEY_ID.as_bytes() {
                let last4 = String::from_utf8_lossy(&id[KEY_ID_LEN - 4..]);
                let prefix = String::from_utf8_lossy(&id[..4]);
                out.push(Secret {
                    range: i..i + KEY_ID_LEN,
                    shown: format!("{prefix}…{last4}"),
                });
            }
            i += KEY_ID_LEN;
        } else {
            i += 1;
        }
    }
}

/// Does a secret-key name end at `end` (exclusive), given that `secret`
/// (any case) starts at `start`? `secret[_-]?(access[_-]?)?key`.
fn name_end(b: &[u8], start: usize) -> Option<usize> {
    let word = |at: usize, w: &[u8]| {
        b.get(at..at + w.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(w))
    };
    let sep = |at: usize| usize::from(matches!(b.get(at), Some(b'_' | b'-')));
    let mut at = start + "secret".len();
    at += sep(at);
    if word(at, b"access") {
        at += "access".len();
        at += sep(at);
    }
    word(at, b"key").then_some(at + "key".len())
}

/// The first standalone run of exactly [`SECRET_LEN`] secret characters
/// starting in `from..from + SECRET_REACH`. The work is bounded by the
/// reach, whatever follows (a megabyte of base64 after a name).
fn secret_after(b: &[u8], from: usize) -> Option<Range<usize>> {
    let limit = (from + SECRET_REACH).min(b.len());
    let mut i = from;
    while i < limit {
        if !is_secret_char(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = start;
        while end < b.len() && end - start <= SECRET_LEN && is_secret_char(b[end]) {
            end += 1;
        }
        let alone = (start == 0 || !is_secret_char(b[start - 1]))
            && (end == b.len() || !is_secret_char(b[end]));
        if alone && end - start == SECRET_LEN {
            return Some(start..end);
        }
        // The rest of a longer run, up to the reach.
        i = end;
        while i < limit && is_secret_char(b[i]) {
            i += 1;
        }
    }
    None
}

/// Secret access keys after their names or after a key ID.
fn secret_keys(b: &[u8], ids: &[Secret], out: &mut Vec<Secret>) {
    let mut anchors: Vec<usize> = ids.iter().map(|s| s.range.end).collect();
    let mut i = 0;
    while i + 6 <= b.len() {
        match memchr::memchr2(b's', b'S', &b[i..b.len() - 5]) {
            Some(off) => i += off,
            None => break,
        }
        if b[i..i + 6].eq_ignore_ascii_case(b"secret") {
            if let Some(end) = name_end(b, i) {
                anchors.push(end);
                i = end;
                continue;
            }
        }
        i += 1;
    }
    // Key IDs are shown from their own (masked) form, so a secret is never
    // looked for inside one; only the IDs AWS documents are not secrets.
    anchors.sort_unstable();
    let mut last_end = 0;
    for a in anchors {
        let Some(r) = secret_after(b, a.max(last_end)) else {
            continue;
        };
        if &b[r.clone()] == EXAMPLE_SECRET.as_bytes() {
            last_end = r.end;
            continue;
        }
        last_end = r.end;
        out.push(Secret {
            shown: "*".repeat(r.len()),
            range: r,
        });
    }
}

/// Every secret in `text`, in order, not overlapping.
pub fn secrets(text: &str) -> Vec<Secret> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    key_ids(b, &mut out);
    let ids = out.clone();
    secret_keys(b, &ids, &mut out);
    out.sort_by_key(|s| s.range.start);
    // A secret run that contains a key ID is masked whole.
    let mut merged: Vec<Secret> = Vec::with_capacity(out.len());
    for s in out {
        match merged.last_mut() {
            Some(prev) if s.range.start < prev.range.end => {
                if s.range.end > prev.range.end {
                    *prev = Secret {
                        shown: "*".repeat(s.range.end - prev.range.start),
                        range: prev.range.start..s.range.end,
                    };
                }
            }
            _ => merged.push(s),
        }
    }
    merged
}

/// `text` with every secret masked (borrowed when it holds none).
pub fn mask(text: &str) -> Cow<'_, str> {
    let found = secrets(text);
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in found {
        out.push_str(&text[at..s.range.start]);
        out.push_str(&s.shown);
        at = s.range.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// Mask a string in place (no copy when it holds no secret).
pub fn mask_in_place(s: &mut String) {
    if let Cow::Owned(m) = mask(s) {
        *s = m;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "AKIAQ3EGRZ5WPNX7TK42";
    const SECRET: &str = "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";

    #[test]
    fn key_ids_show_prefix_and_last_four() {
        assert_eq!(mask(&format!("key {ID}.")), "key AKIA…TK42.");
        assert_eq!(mask("x=ASIAY34FZKBOKMUTVV7A"), "x=ASIA…VV7A");
        assert_eq!(
            mask(&format!("\"{ID}\",\"{ID}\"")),
            "\"AKIA…TK42\",\"AKIA…TK42\""
        );
        // Too short, lower case, or AWS's example: shown as written.
        assert_eq!(mask("AKIA2E0A8F3B244C998"), "AKIA2E0A8F3B244C998");
        assert_eq!(mask("akia2e0a8f3b244c9986"), "akia2e0a8f3b244c9986");
        assert_eq!(mask(EXAMPLE_KEY_ID), EXAMPLE_KEY_ID);
        assert!(matches!(mask("no secrets here"), Cow::Borrowed(_)));
    }

    #[test]
    fn secrets_next_to_their_names() {
        let stars = "*".repeat(40);
        for (text, want) in [
            (
                format!("aws_secret_access_key = {SECRET}"),
                format!("aws_secret_access_key = {stars}"),
            ),
            (
                format!("AWS_SECRET_ACCESS_KEY={SECRET}\n"),
                format!("AWS_SECRET_ACCESS_KEY={stars}\n"),
            ),
            (
                format!("\"SecretAccessKey\": \"{SECRET}\""),
                format!("\"SecretAccessKey\": \"{stars}\""),
            ),
            (
                format!("--aws-secret-access-key '{SECRET}'"),
                format!("--aws-secret-access-key '{stars}'"),
            ),
            (
                format!("secret_key: {SECRET}"),
                format!("secret_key: {stars}"),
            ),
            (
                format!("- Name: AWS_SECRET_ACCESS_KEY\n  Value: {SECRET}"),
                format!("- Name: AWS_SECRET_ACCESS_KEY\n  Value: {stars}"),
            ),
            // After a key ID (a credentials CSV line).
            (format!("{ID},{SECRET}"), format!("AKIA…TK42,{stars}")),
        ] {
            assert_eq!(mask(&text), want, "{text}");
        }
        // Not next to a name, not 40 characters, or AWS's example: shown.
        for text in [
            format!("sha {}", "a".repeat(40)),
            format!("secret_key = {}", &SECRET[..39]),
            format!("secret_key = {SECRET}x"),
            format!("aws_secret_access_key = {EXAMPLE_SECRET}"),
            format!("secret_key = {}{SECRET}", " ".repeat(SECRET_REACH)),
        ] {
            assert_eq!(mask(&text), text);
        }
    }

    #[test]
    fn ranges_are_ordered_and_disjoint() {
        let text = format!("{ID} secret_key={SECRET} ASIAY34FZKBOKMUTVV7A");
        let found = secrets(&text);
        assert_eq!(found.len(), 3);
        assert!(found.windows(2).all(|w| w[0].range.end <= w[1].range.start));
        assert_eq!(&text[found[1].range.clone()], SECRET);
        // Linear on a long text, with or without a name.
        let run = format!("secret_key {}", "A".repeat(1_000_000)).repeat(3);
        assert!(secrets(&run).is_empty());
        let long = format!("secret_key {}", "AKIA-".repeat(500_000));
        assert!(secrets(&long).is_empty());
    }
}
