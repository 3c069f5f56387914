//! HCL (Terraform `.tf`) through hcl-edit, which keeps byte spans on every
//! block, attribute, key and expression (research/crates.md §3).
//!
//! This module only parses and offers span helpers; turning expressions into
//! [`crate::tree::Node`]s needs the module's variables and data sources, so
//! it lives with the Terraform extractor (`extract::tf_eval`). hcl-edit caps
//! nesting itself (64 levels), so no input can overflow the stack here.

use hcl_edit::structure::Body;

use super::ParseError;
use crate::source::Span;

/// Parse a `.tf` file.
pub fn parse(text: &str) -> Result<Body, ParseError> {
    separators(text)?;
    if let Some(body) = without_unread_blocks(text) {
        return Ok(body);
    }
    hcl_edit::parser::parse_body(text).map_err(|e| {
        let mut at = e.location().offset().min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        let message = super::json::lower_first(e.message());
        // hcl-edit's own limits (64 nested levels, 128 chained operators).
        let limit = message
            .contains("nesting depth")
            .then_some((crate::limit::Limit::HclNestingDepth, 64));
        let e = ParseError::new(Span::new(at, end), format!("invalid HCL: {message}"));
        match limit {
            Some(l) => e.limit(l),
            None => e,
        }
    })
}

/// The resource types whose blocks the Terraform extractor reads: roles,
/// the four policy resources, OIDC providers (`extract::terraform` and
/// `extract::tf_eval::module` hold each to this list in a test).
pub const READ_RESOURCES: &[&str] = &[
    "aws_iam_role",
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "aws_iam_openid_connect_provider",
];

/// The data source whose blocks the Terraform extractor reads.
pub const READ_DATA: &str = "aws_iam_policy_document";

/// Is a top-level block one the extractor never reads? It reads variables,
/// locals, the [`READ_RESOURCES`] and [`READ_DATA`]; not modules, outputs,
/// providers, other resources (a fifth of the `aws_iam_*` bytes of real
/// repositories are attachments, users, access keys and the like).
pub fn unread(ident: &str, labels: &[&str]) -> bool {
    match ident {
        "variable" | "locals" => false,
        "resource" => labels.first().is_none_or(|t| !READ_RESOURCES.contains(t)),
        "data" => labels.first().is_none_or(|t| *t != READ_DATA),
        _ => true,
    }
}

/// The top-level blocks of a file the extractor never reads, found
/// by a light scan (strings, comments and heredocs skipped): the byte
/// range of each. `None` when the scan is unsure.
fn unread_blocks(text: &str) -> Option<Vec<std::ops::Range<usize>>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // Skip whitespace and comments between items.
        match b[i] {
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'#' => {
                i = text[i..].find('\n').map_or(b.len(), |n| i + n);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(b.len(), |n| i + n);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map(|n| i + 2 + n + 2)?;
                continue;
            }
            _ => {}
        }
        // An item: `ident label* {` … `}` (a block) or an attribute, which
        // ends the scan (rare at the top level; the whole file is parsed).
        let start = i;
        let line_end = text[i..].find('\n').map_or(b.len(), |n| i + n);
        let head = &text[i..line_end];
        let brace = head.find('{')?;
        let mut words = head[..brace].split_whitespace();
        let ident = words.next()?;
        if !ident.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            || !ident
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        {
            return None;
        }
        let mut labels = Vec::new();
        for w in words {
            let l = w.strip_prefix('"').and_then(|w| w.strip_suffix('"'))?;
            if l.contains(['\\', '"', '$']) {
                return None;
            }
            labels.push(l);
        }
        i += brace + 1;
        if unread(ident, &labels) {
            let mut check = super::hcl_check::Check::new(text, i);
            check.body()?;
            i = check.i;
            out.push(start..i);
        } else {
            i = block_end(text, i)?;
        }
    }
    Some(out)
}

/// The byte after the `}` closing a block whose body starts at `i`:
/// braces counted, strings, comments and heredocs skipped. `None` when
/// unsure. For the blocks hcl-edit parses, which report their own errors.
fn block_end(text: &str, mut i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 1usize;
    while depth > 0 {
        let c = *b.get(i)?;
        match c {
            b'{' => depth += 1,
            b'}' => depth -= 1,
            b'"' => i = string_end(b, i, 0)?,
            b'#' => i = line_end(b, i)?,
            b'/' if b.get(i + 1) == Some(&b'/') => i = line_end(b, i)?,
            b'/' if b.get(i + 1) == Some(&b'*') => i = comment_end(text, i)?,
            b'<' if b.get(i + 1) == Some(&b'<') => i = heredoc_end(text, i)?,
            _ => {}
        }
        i += 1;
    }
    Some(i)
}

/// The line break ending a line comment at `i` (a comment on the last line
/// of a text inside a block is unsure).
fn line_end(b: &[u8], i: usize) -> Option<usize> {
    memchr::memchr(b'\n', &b[i..]).map(|n| i + n)
}

/// The last byte (`/`) of a `/* */` comment starting at `i`.
fn comment_end(text: &str, i: usize) -> Option<usize> {
    text[i + 2..].find("*/").map(|n| i + 2 + n + 1)
}

/// Strings nested in interpolations deeper than this make the scan unsure
/// (hcl-edit caps nesting at 64 levels anyway).
const MAX_STRING_NESTING: usize = 32;

/// The closing quote of a string starting at `i` (escapes and `${…}` with
/// nested strings followed). `None` at a line end, the end of the text or
/// past [`MAX_STRING_NESTING`].
fn string_end(b: &[u8], i: usize, depth: usize) -> Option<usize> {
    if depth > MAX_STRING_NESTING {
        return None;
    }
    let mut j = i + 1;
    let mut nested = 0usize;
    loop {
        match *b.get(j)? {
            // HCL's escapes; any other is invalid.
            b'\\'
                if matches!(
                    b.get(j + 1)?,
                    b'n' | b'r' | b't' | b'"' | b'\\' | b'u' | b'U'
                ) =>
            {
                j += 1
            }
            b'\\' => return None,
            b'\n' if nested == 0 => return None,
            b'"' if nested == 0 => return Some(j),
            b'"' => j = string_end(b, j, depth + 1)?,
            // `$${` and `%%{` are a literal `${` and `%{`.
            c @ (b'$' | b'%') if nested == 0 && b.get(j + 1) == Some(&c) => j += 1,
            // An interpolation opened inside another, outside a string, is
            // invalid.
            b'{' if j > 0 && matches!(b[j - 1], b'$' | b'%') && nested > 0 => return None,
            b'{' if j > 0 && matches!(b[j - 1], b'$' | b'%') => nested += 1,
            b'{' if nested > 0 => nested += 1,
            b'}' if nested > 0 => nested -= 1,
            _ => {}
        }
        j += 1;
    }
}

/// The last byte of a heredoc (`<<EOF` or `<<-EOF`) starting at `i`.
fn heredoc_end(text: &str, i: usize) -> Option<usize> {
    let rest = &text[i + 2..];
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let line_end = rest.find('\n')?;
    let tag = rest[..line_end].trim();
    if tag.is_empty() || !tag.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
        return None;
    }
    let body_start = text.len() - rest.len() + line_end + 1;
    let mut at = body_start;
    for line in text[body_start..].split_inclusive('\n') {
        if line.trim() == tag {
            return Some(at + line.trim_end_matches(['\n', '\r']).len() - 1);
        }
        at += line.len();
    }
    None
}

/// Parse a file with the blocks the extractor never reads blanked out
/// (replaced by as many spaces, so every span is the file's). Three quarters
/// of the Terraform bytes in real repositories are such blocks, and
/// hcl-edit is the costliest parser trustlint runs; a file of a million
/// unrelated blocks also took 1.6 GB as one syntax tree (issue 11). Each
/// blanked block passes [`Check`] instead. On any doubt — the scan is
/// unsure, a blanked block starts a line like a block the extractor reads
/// (a sign the scan went wrong), the rest does not parse — `None`, and the
/// caller parses the whole file, so its errors are hcl-edit's as before.
fn without_unread_blocks(text: &str) -> Option<Body> {
    if !may_have_unread_blocks(text) {
        return None;
    }
    let blocks = unread_blocks(text)?;
    if blocks.is_empty() {
        return None;
    }
    let mut kept = text.as_bytes().to_vec();
    for r in blocks {
        if READ_AT_LINE_START
            .as_ref()?
            .find(&text[r.clone()])
            .is_some()
        {
            return None;
        }
        // One comment of spaces, `/*   */`: hcl-edit skips a comment with
        // one search for its end, where it reads spaces a character at a
        // time, and each line break would be an item of the body. Lines
        // are counted in the original text, so spans are all that must
        // stay. (A block is at least four bytes long: `a {}` is five.)
        let block = &mut kept[r];
        block.fill(b' ');
        if let Some(n) = block.len().checked_sub(2).filter(|&n| n >= 2) {
            block[..2].copy_from_slice(b"/*");
            block[n..].copy_from_slice(b"*/");
        }
    }
    // Only ASCII spaces replaced whole blocks (which start and end on
    // ASCII bytes), so the text is still UTF-8.
    let kept = String::from_utf8(kept).ok()?;
    hcl_edit::parser::parse_body(&kept).ok()
}

/// Does a line start a block the extractor never reads ([`unread`])?
/// Top-level blocks start their lines; a file of roles and policies only
/// (most files that are Terraform IAM code) is parsed whole without the
/// scan.
fn may_have_unread_blocks(text: &str) -> bool {
    let b = text.as_bytes();
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', b).map(|i| i + 1))
        .any(|start| {
            // Lines inside blocks are indented, and a closing brace is no
            // block: most lines are ruled out by their first byte.
            if !b.get(start).is_some_and(u8::is_ascii_alphabetic) {
                return false;
            }
            let line = &text[start..];
            let ident_end = line
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(line.len());
            let rest = line[ident_end..].trim_start_matches([' ', '\t']);
            let label = rest
                .strip_prefix('"')
                .and_then(|r| r.split_once('"'))
                .map(|(label, _)| label);
            unread(&line[..ident_end], label.as_slice())
        })
}

/// Lines that start a block the extractor reads, or any `aws_iam_` block
/// (more than is read, which only makes the check warier).
static READ_AT_LINE_START: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::new([
            "\nresource \"aws_iam_",
            "\ndata \"aws_iam_",
            "\nvariable ",
            "\nlocals ",
            "\nlocals{",
        ])
        .ok()
    });

/// Bound the expressions hcl-edit would build: each but the first follows
/// a separator (`,` `=` `[` `{` `(`) outside a quoted string; more than
/// [`super::MAX_VALUES`] of them is an error at the one that crosses it.
fn separators(text: &str) -> Result<(), ParseError> {
    // Each separator is a byte: a shorter text cannot cross the bound.
    if text.len() < super::MAX_VALUES {
        return Ok(());
    }
    let mut count = 1usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' || b == b'\n' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if matches!(b, b',' | b'=' | b'[' | b'{' | b'(') {
            count += 1;
            if count > super::MAX_VALUES {
                return Err(super::too_many_values(i));
            }
        }
    }
    Ok(())
}

/// The span of anything hcl-edit spans (empty when it has none).
pub fn span_of(x: &impl hcl_edit::Span) -> Span {
    x.span().map_or(Span::EMPTY, |r| Span::new(r.start, r.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_has_a_span() {
        let e = parse("resource \"a\" \"b\" {\n  x = \n}\n").unwrap_err();
        assert!(e.message.starts_with("invalid HCL"), "{}", e.message);
        assert!(e.span.start > 0);
    }

    /// Top-level blocks that are not blanked: identifier, labels, span and
    /// the body as hcl-edit sees it.
    fn read_blocks(body: &Body) -> Vec<(String, Vec<String>, Span, String)> {
        body.blocks()
            .filter(|b| {
                let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
                !unread(b.ident.as_str(), &labels)
            })
            .map(|b| {
                let labels = b.labels.iter().map(|l| l.as_str().to_owned()).collect();
                let inner = format!("{:?}", b.body);
                (b.ident.as_str().to_owned(), labels, span_of(b), inner)
            })
            .collect()
    }

    /// Blanking is taken and keeps every read block as a full parse has it.
    fn assert_blanked_like_full(text: &str) {
        let filtered = without_unread_blocks(text).unwrap_or_else(|| panic!("unsure: {text}"));
        let full = hcl_edit::parser::parse_body(text).unwrap();
        assert_eq!(read_blocks(&filtered), read_blocks(&full));
        assert!(filtered.blocks().all(|b| {
            let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
            !unread(b.ident.as_str(), &labels)
        }));
        assert!(!read_blocks(&full).is_empty());
    }

    const READ: &str = "variable \"v\" {\n  default = \"x\"\n}\nresource \"aws_iam_role\" \"r\" {\n  assume_role_policy = \"{}\"\n}\ndata \"aws_iam_policy_document\" \"d\" {}\nlocals { l = 1 }\n";

    #[test]
    fn unread_blocks_are_blanked_and_spans_kept() {
        let unread_block = "resource \"null_resource\" \"n\" {\n  s = \"}{ ${lookup(m, \"}\")} \\\" }\"\n  # }\n  // {\n  /* } */\n  h = <<-EOT\n    }\n    resource \"aws_iam_role\" \"fake\" {\n    EOT\n  nested { x = [{ a = 1 }] }\n}\n";
        let mut text = String::new();
        for _ in 0..3 {
            text.push_str(unread_block);
            text.push_str("\n# é comment\n");
            text.push_str(READ);
        }
        assert_blanked_like_full(&text);
    }

    #[test]
    fn valid_shapes_of_unread_blocks_pass_the_check() {
        let shapes = [
            "resource \"aws_s3_bucket\" \"b\" { bucket = \"x\" }\n",
            "resource \"aws_s3_bucket\" \"b\" {}\n",
            "module \"m\" {\n  source = \"./m\"\n}\n",
            "resource \"aws_instance\" \"i\" {\n  count = var.on ? 1 : 0\n  tags = merge(local.t, {\n    Name = \"x\" # c\n  })\n  ids = [for s in var.s : s.id if s.on]\n  all = aws_subnet.a[*].id\n  m = { for k, v in var.m : k => v... }\n  /* multi\n  line */\n  n = -1.5e3\n  dynamic \"ingress\" {\n    for_each = var.rules\n    content {\n      from_port = ingress.value.from\n    }\n  }\n  lifecycle { ignore_changes = [tags] }\n  p = <<EOT\n{ \"a\": \"}\" }\nEOT\n}\n",
            "data \"aws_region\" \"r\" {\n}\n",
            "resource \"aws_s3_bucket\" \"b\" {\n  x = 1 // c\n  y = \"%{ if true }}%{ endif }\"\n}\n",
            "resource \"aws_s3_bucket\" \"b\" {\n  s = \"$${literal} %%{x} ${a == b} ${c >= 1}\"\n  t = a != b && c <= d\n  u = [for k, v in m : { (k) = v }]\n  w = { a = { b = 1 }, c = [{}] }\n}\n",
            "resource \"aws_s3_bucket\" \"b\" {\n  versioning { enabled = true }\n  a = \"b\"\n  a_b = 1\n}\n",
        ];
        for shape in shapes {
            let text = format!("{shape}{READ}{shape}");
            assert_blanked_like_full(&text);
        }
    }

    #[test]
    fn an_error_in_an_unread_block_is_still_reported() {
        let errors = [
            "resource \"null_resource\" \"n\" {\n  x = \n}\n",
            "resource \"null_resource\" \"n\" {\n  = 1\n}\n",
            "resource \"null_resource\" \"n\" {\n  x 1\n}\n",
            "resource \"null_resource\" \"n\" {\n  x = [1,\n}\n",
            "resource \"null_resource\" \"n\" {\n  x = (1))\n}\n",
            "resource \"null_resource\" \"n\" {\n  x = \"open\n}\n",
            "resource \"null_resource\" \"n\" {\n  x = 1 y = 2\n}\n",
            "resource \"null_resource\" \"n\" {\n  x = 1\n",
            "resource \"null_resource\" \"n\" {\n  b { c = 1 } d = 2\n}\n",
            "resource \"null_resource\" \"n\" {\n  h = <<EOT\n  x\n}\n",
            "resource \"null_resource\" \"n\" {\n  /* x = 1\n}\n",
            "resource \"null_resource\" \"n\" {\n  l = [{\n    a = 1\n    b {\n      c = 2\n    }\n  }]\n}\n",
            "resource \"null_resource\" \"n\" {\n  a = 1\n  a = 2\n}\n",
            "resource \"null_resource\" \"n\" {\n  b {\n    c = 1}\n}\n",
            "resource \"null_resource\" \"n\" {\n  s = \"${a[${b}]}\"\n}\n",
            "resource \"null_resource\" \"n\" {\n  l = [a = 1]\n}\n",
            "resource \"null_resource\" \"n\" {\n  l = (1]\n}\n",
            "resource \"null_resource\" \"n\" {\n  s = \"a\\/b\"\n}\n",
        ];
        for error in errors {
            let text = format!("{READ}{error}{READ}");
            assert!(without_unread_blocks(&text).is_none(), "{error}");
            let e = parse(&text).unwrap_err();
            assert!(e.message.starts_with("invalid HCL"), "{}", e.message);
        }
        let deep = format!(
            "{READ}resource \"null_resource\" \"n\" {{\n  x = {}1{}\n}}\n",
            "[".repeat(70),
            "]".repeat(70)
        );
        assert!(without_unread_blocks(&deep).is_none());
        assert!(parse(&deep).is_err());
    }

    /// `../shared/corpus`, or `None` with a visible skip.
    fn corpus() -> Option<std::path::PathBuf> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        if !root.is_dir() {
            eprintln!("SKIPPED: {} is absent", root.display());
            return None;
        }
        Some(root)
    }

    /// The `.tf` files under `root`.
    fn tf_files(root: std::path::PathBuf) -> Vec<std::path::PathBuf> {
        let mut dirs = vec![root];
        let mut files = Vec::new();
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                match e.file_type() {
                    Ok(t) if t.is_dir() => dirs.push(p),
                    Ok(t) if t.is_file() && p.extension().is_some_and(|x| x == "tf") => {
                        files.push(p)
                    }
                    _ => {}
                }
            }
        }
        files
    }

    /// Every Terraform file of the corpus: where blanking is taken, the
    /// blocks trustlint reads are those of a full parse, and a file that
    /// does not parse is never blanked.
    #[test]
    fn blanking_agrees_with_a_full_parse_on_the_corpus() {
        let Some(root) = corpus() else {
            return;
        };
        let (mut blanked, mut total) = (0, 0);
        let files = tf_files(root);
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            total += 1;
            let full = hcl_edit::parser::parse_body(&text);
            match (without_unread_blocks(&text), full) {
                (Some(f), Ok(full)) => {
                    blanked += 1;
                    assert_eq!(read_blocks(&f), read_blocks(&full), "{}", path.display());
                }
                (Some(_), Err(err)) => {
                    panic!("{}: blanked, but does not parse: {err}", path.display())
                }
                (None, _) => {}
            }
        }
        eprintln!("{blanked} of {total} Terraform files blanked");
        assert!(blanked > 0);
    }

    /// One byte deleted, inserted or replaced inside a blanked block of a
    /// corpus file: when hcl-edit rejects the result, the check must
    /// reject it too (and the file be parsed whole, its error reported),
    /// but for a rare miss. `TL_MUTATIONS=20` for a longer run.
    #[test]
    fn mutations_of_corpus_files_are_caught_by_the_check() {
        let Some(root) = corpus() else {
            return;
        };
        let rounds: usize = std::env::var("TL_MUTATIONS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(3);
        let files = tf_files(root);
        let (mut invalid, mut accepted) = (0, 0);
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let bytes = b"{}[]()=\"\n#,:?<>$%abc1 \\";
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Some(ranges) = unread_blocks(&text) else {
                continue;
            };
            if ranges.is_empty() || hcl_edit::parser::parse_body(&text).is_err() {
                continue;
            }
            for _ in 0..rounds {
                let r = &ranges[(next() % ranges.len() as u64) as usize];
                let at = r.start + (next() % (r.end - r.start) as u64) as usize;
                if !text.is_char_boundary(at) || !text.is_char_boundary(at + 1) {
                    continue;
                }
                let mut m = text.clone();
                match next() % 3 {
                    0 => m.replace_range(at..at + 1, ""),
                    1 => m.insert(at, bytes[(next() % bytes.len() as u64) as usize] as char),
                    _ => m.replace_range(
                        at..at + 1,
                        &(bytes[(next() % bytes.len() as u64) as usize] as char).to_string(),
                    ),
                }
                if hcl_edit::parser::parse_body(&m).is_err() {
                    invalid += 1;
                    if without_unread_blocks(&m).is_some() {
                        accepted += 1;
                        if accepted <= 30 {
                            let lo = at.saturating_sub(40);
                            let lo = (0..=lo).rev().find(|i| m.is_char_boundary(*i)).unwrap_or(0);
                            let hi = (at + 40).min(m.len());
                            let hi = (hi..=m.len())
                                .find(|i| m.is_char_boundary(*i))
                                .unwrap_or(m.len());
                            eprintln!("ACCEPTED {}: {:?}", path.display(), &m[lo..hi]);
                        }
                    }
                }
            }
        }
        eprintln!("{accepted} of {invalid} invalid mutations blanked");
        assert!(invalid > 1000, "{invalid}");
        assert!(accepted * 500 <= invalid, "{accepted} of {invalid}");
    }
}
