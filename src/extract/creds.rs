//! Where credentials are requested (SPEC §1.1): GitHub Actions workflows
//! and composite actions, other CI files, shell scripts, AWS shared config
//! files and session policies.
//!
//! Each reader turns a file into the same facts: session durations asked
//! for ([`Setting`]s of kind [`SettingKind::Requested`], for TL301, TL303,
//! TL601 and TL605), facts about keys and tokens ([`Fact`]s, for TL602,
//! TL604 and TL606), literal access keys (TL603), and session policies
//! ([`Document`]s with `session`, for TL002, TL501, TL502 and TL504). A
//! value built from something trustlint cannot see — `${{ secrets.X }}`,
//! `<< parameters.d >>`, `$VAR` not assigned a literal in the same script
//! — is unknown, and no fact rests on it.

use std::collections::HashMap;
use std::path::Path;

use super::{Document, Extracted, Fact, FactKind, Requester, Setting, SettingKind};
use crate::load::embedded::Mapped;
use crate::load::shell::{self, Word};
use crate::load::{self, ParseError};
use crate::policy::DocKind;
use crate::source::Span;
use crate::tree::{Kind, Node, Via};

/// What kind of credentials-use file a path is (by its place and name;
/// the content is checked by each reader).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredKind {
    /// `.github/workflows/*.yml`, or `action.yml` (composite actions).
    GitHub,
    /// `.gitlab-ci.yml`, `buildspec*.yml`, `.circleci/*.yml`,
    /// `bitbucket-pipelines.yml`.
    CiYaml,
    /// `Jenkinsfile`.
    Jenkins,
    /// `.sh`, `.bash`, `Makefile`, or a shebang script.
    Shell,
    /// `config` / `credentials` in a `.aws` folder, or `aws_config_files`.
    AwsConfig,
}

/// Is this path a credentials-use file, and which kind? `text` decides
/// for files without an extension (a `sh`/`bash`/`zsh` shebang).
pub fn kind_of(path: &Path, text: Option<&str>) -> Option<CredKind> {
    // The path's names from the last, read off its text once: `Path`'s
    // own accessors parse its components again for each question, for
    // every file of a walk.
    let full = crate::paths::lossy(path.as_os_str());
    let mut names = full
        .rsplit(|c| c == '/' || (cfg!(windows) && c == '\\'))
        .filter(|n| !n.is_empty() && *n != ".");
    let name = names.next()?.to_ascii_lowercase();
    let parent = names.next().unwrap_or_default();
    let grand = names.next().unwrap_or_default();
    let is = |n: &str, what: &str| n.eq_ignore_ascii_case(what);
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    if yaml && is(parent, "workflows") && is(grand, ".github") {
        return Some(CredKind::GitHub);
    }
    if name == "action.yml" || name == "action.yaml" {
        return Some(CredKind::GitHub);
    }
    if name == ".gitlab-ci.yml"
        || name == "bitbucket-pipelines.yml"
        || (yaml && name.starts_with("buildspec"))
        || (yaml && full.split(['/', '\\']).any(|c| c == ".circleci"))
    {
        return Some(CredKind::CiYaml);
    }
    if name.starts_with("jenkinsfile")
        || name.ends_with(".jenkinsfile")
        || name.ends_with(".groovy")
    {
        return Some(CredKind::Jenkins);
    }
    if is(parent, ".aws") && (name == "config" || name == "credentials") {
        return Some(CredKind::AwsConfig);
    }
    if name.ends_with(".sh") || name.ends_with(".bash") || name == "makefile" {
        return Some(CredKind::Shell);
    }
    if !name.contains('.') {
        if let Some(text) = text {
            if is_shell_shebang(text) {
                return Some(CredKind::Shell);
            }
        }
    }
    None
}

/// `#!/bin/sh`, `#!/usr/bin/env bash`, `#!/bin/zsh -e`, …
pub fn is_shell_shebang(text: &str) -> bool {
    let Some(first) = text.lines().next() else {
        return false;
    };
    let Some(rest) = first.strip_prefix("#!") else {
        return false;
    };
    let mut words = rest.split_whitespace();
    let Some(prog) = words.next() else {
        return false;
    };
    let prog = match prog.rsplit('/').next() {
        Some("env") => words.find(|w| !w.starts_with('-')).unwrap_or(""),
        Some(p) => p,
        None => "",
    };
    matches!(prog, "sh" | "bash" | "zsh" | "dash" | "ksh")
}

/// Reads a session policy named by `--policy file://PATH` (the driver's
/// reader: never outside the scanned tree, bounded): the path as reports
/// show it and the text.
pub type PolicyReader<'r> = dyn Fn(&str) -> Option<(String, String)> + 'r;

/// Read a credentials-use file.
pub fn extract(
    kind: CredKind,
    path: &str,
    text: &str,
    read_policy: Option<&PolicyReader<'_>>,
) -> Result<Extracted, ParseError> {
    // The file's name, or `.aws/config` for a shared config file.
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or(path);
    let file = match parts.next() {
        Some(".aws") => format!(".aws/{name}"),
        _ => name.to_owned(),
    };
    let mut cx = Cx {
        text,
        file,
        out: Extracted {
            recognised: true,
            ..Extracted::default()
        },
        read_policy,
    };
    match kind {
        CredKind::GitHub => {
            let docs = load::yaml::parse(text)?;
            for root in &docs {
                cx.github(root);
            }
        }
        CredKind::CiYaml => {
            let docs = load::yaml::parse(text)?;
            for root in &docs {
                cx.ci_yaml(root);
            }
        }
        CredKind::Jenkins => cx.jenkins(),
        CredKind::Shell => {
            let ctx = cx.file.clone();
            cx.shell(&Mapped::identity(text, 0), &ctx, &mut Vars::default());
        }
        CredKind::AwsConfig => {
            let sections = load::ini::parse(text)?;
            cx.aws_config(&sections);
        }
    }
    Ok(cx.out)
}

struct Cx<'a, 'r> {
    text: &'a str,
    /// The file's name, for contexts (`deploy.yml › jobs.release › …`).
    file: String,
    out: Extracted,
    read_policy: Option<&'r PolicyReader<'r>>,
}

/// Variables assigned a literal earlier in a script: name → (value, where).
#[derive(Default)]
struct Vars(HashMap<String, Option<(String, Span)>>);

/// A duration value, as a node the TL3xx/TL6xx rules read: a number with
/// its span, or unknown.
fn duration_node(value: &str, span: Span, via: Option<Via>) -> Node {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        Node::new(span, Kind::Num(v.to_owned())).with_via(via)
    } else {
        Node::unknown(span, v.to_owned())
    }
}

/// A scalar's text, when it is a plain value (not an expression).
fn scalar(n: &Node) -> Option<String> {
    match &n.kind {
        Kind::Str(s) | Kind::Num(s) => Some(s.clone()),
        Kind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A value written as a CI expression (`${{ … }}`, `<< … >>`, `$VAR`):
/// nothing literal can be read from it.
fn is_expression(s: &str) -> bool {
    s.contains("${{") || s.contains("<<") || s.contains('$')
}

/// Where long-lived keys in an expression come from, when they are the
/// CI's stored secrets or variables (not an earlier step's output).
fn stored_secret(value: &str) -> Option<String> {
    let v = value.trim();
    if let Some(inner) = v.strip_prefix("${{").and_then(|r| r.strip_suffix("}}")) {
        let inner = inner.trim();
        return (inner.starts_with("secrets.") || inner.starts_with("vars."))
            .then(|| inner.to_owned());
    }
    // GitLab, Bitbucket and CircleCI variables: `$NAME`, `${NAME}`.
    let name = v
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| v.strip_prefix('$'))?;
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .then(|| format!("${name}"))
}

impl Cx<'_, '_> {
    fn requested(&mut self, key: &str, node: Node, context: &str, by: Requester, chained: bool) {
        self.requested_role(key, node, context, (by, chained), None);
    }

    /// [`Self::requested`], with the role ARN asked for when it is literal.
    fn requested_role(
        &mut self,
        key: &str,
        node: Node,
        context: &str,
        (by, chained): (Requester, bool),
        target: Option<String>,
    ) {
        if node.is_unknown() {
            return;
        }
        self.out.settings.push(Setting {
            kind: SettingKind::Requested { by, chained },
            key: key.to_owned(),
            node,
            name: Some(context.to_owned()),
            resource: None,
            variant: None,
            target: target.filter(|t| t.starts_with("arn:") && !t.contains("${")),
        });
    }

    fn fact(&mut self, kind: FactKind, span: Span, context: &str) {
        self.out.facts.push(Fact {
            kind,
            span,
            context: context.to_owned(),
        });
    }

    /// A session policy document at `m` (its text mapped to the file).
    fn session_policy(&mut self, m: &Mapped, context: &str) {
        match load::embedded::parse_mapped(m) {
            Ok(node) => self.out.docs.push(Document {
                node,
                kind: Some(DocKind::Identity),
                name: Some(context.to_owned()),
                resource: None,
                session: true,
                ..Document::default()
            }),
            Err(e) => self.out.diagnostics.push(
                crate::diagnostic::Diagnostic::new(
                    &crate::diagnostic::PARSE_ERROR,
                    e.span,
                    format!("the session policy cannot be parsed: {}", e.message),
                )
                .label(e.message)
                .subject("parse-error"),
            ),
        }
    }

    /// `env:` (GitHub), `variables:` (GitLab, CodeBuild), `environment:`
    /// (CircleCI): long-lived keys from stored secrets.
    fn env(&mut self, env: Option<&Node>, context: &str) {
        let Some(env) = env else { return };
        for e in env.entries() {
            if !e.key.eq_ignore_ascii_case("AWS_ACCESS_KEY_ID") {
                continue;
            }
            if let Some(v) = scalar(&e.value) {
                if let Some(from) = stored_secret(&v) {
                    self.fact(
                        FactKind::StaticKeys { from },
                        e.value.span,
                        &format!("{context} › env {}", e.key),
                    );
                }
            }
        }
    }

    // ---- GitHub Actions ----

    fn github(&mut self, root: &Node) {
        let file = self.file.clone();
        self.env(root.get("env"), &file);
        let reusable = triggers(root).iter().any(|t| t == "workflow_call");
        let wf_perm = root.get("permissions");
        if let Some(jobs) = root.get("jobs") {
            for job in jobs.entries() {
                let ctx = format!("{file} › jobs.{}", job.key);
                self.env(job.value.get("env"), &ctx);
                // Job permissions replace the workflow's; a reusable
                // workflow without its own gets its caller's (unknown).
                let id_token = match (job.value.get("permissions"), wf_perm) {
                    (Some(p), _) | (None, Some(p)) => grants_id_token(p),
                    (None, None) if reusable => None,
                    (None, None) => Some(false),
                };
                if let Some(steps) = job.value.get("steps").and_then(Node::as_array) {
                    self.steps(steps, &ctx, id_token);
                }
            }
        }
        // A composite action: its caller decides the token's permissions.
        if let Some(runs) = root.get("runs") {
            if let Some(steps) = runs.get("steps").and_then(Node::as_array) {
                self.steps(steps, &format!("{file} › runs"), None);
            }
        }
    }

    fn steps(&mut self, steps: &[Node], job_ctx: &str, id_token: Option<bool>) {
        for (i, step) in steps.iter().enumerate() {
            let label = step
                .get("name")
                .and_then(scalar)
                .or_else(|| step.get("id").and_then(scalar))
                .or_else(|| step.get("uses").and_then(scalar))
                .unwrap_or_else(|| format!("#{}", i + 1));
            let ctx = format!("{job_ctx} › step \"{}\"", crate::tree::display(&label));
            self.env(step.get("env"), &ctx);
            let uses = step.get("uses").and_then(scalar).unwrap_or_default();
            if is_configure_credentials(&uses) {
                self.configure_credentials(step.get("with"), &ctx, id_token);
            }
            if let Some(run) = step.get("run") {
                if let Some(m) = scalar_mapped(self.text, run) {
                    self.shell(&m, &ctx, &mut Vars::default());
                }
            }
        }
    }

    fn configure_credentials(&mut self, with: Option<&Node>, ctx: &str, id_token: Option<bool>) {
        let Some(with) = with else { return };
        let get = |k: &str| with.get(k);
        let key_id = get("aws-access-key-id");
        let static_keys = key_id
            .and_then(scalar)
            .is_some_and(|v| !v.trim().is_empty());
        if let Some(k) = key_id {
            if let Some(from) = scalar(k).and_then(|v| stored_secret(&v)) {
                self.fact(FactKind::StaticKeys { from }, k.span, ctx);
            }
        }
        let role =
            get("role-to-assume").filter(|r| scalar(r).is_some_and(|v| !v.trim().is_empty()));
        // A token file (`web-identity-token-file`) needs no GitHub token.
        let token_file = get("web-identity-token-file").is_some();
        if let Some(role) = role {
            if !static_keys && !token_file && id_token == Some(false) {
                self.fact(FactKind::NoIdToken, role.span, ctx);
            }
        }
        let chained = get("role-chaining")
            .and_then(scalar)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        if let Some(d) = get("role-duration-seconds") {
            if let Some(v) = scalar(d).filter(|v| !is_expression(v)) {
                let node = duration_node(&v, d.span, None);
                let target = role.and_then(scalar).map(|r| r.trim().to_owned());
                self.requested_role(
                    "role-duration-seconds",
                    node,
                    ctx,
                    (Requester::Automation, chained),
                    target,
                );
            }
        }
        if let Some(p) = get("inline-session-policy") {
            if let Some(v) = scalar(p).filter(|v| !v.contains("${{")) {
                if let Some(m) = scalar_mapped(self.text, p) {
                    let _ = v;
                    self.session_policy(&m, ctx);
                }
            }
        }
    }

    // ---- Other CI ----

    fn ci_yaml(&mut self, root: &Node) {
        let file = self.file.clone();
        // GitLab and Bitbucket: jobs anywhere, with `script` lists;
        // CodeBuild: `phases.*.commands`; CircleCI: `jobs.*.steps`.
        self.env(root.get("variables"), &file);
        if let Some(env) = root.get("env") {
            self.env(env.get("variables"), &format!("{file} › env"));
            for store in ["secrets-manager", "parameter-store"] {
                if let Some(s) = env.get(store) {
                    for e in s.entries() {
                        if e.key.eq_ignore_ascii_case("AWS_ACCESS_KEY_ID") {
                            self.fact(
                                FactKind::StaticKeys {
                                    from: format!(
                                        "{store} {}",
                                        scalar(&e.value).unwrap_or_default()
                                    ),
                                },
                                e.value.span,
                                &format!("{file} › env.{store}"),
                            );
                        }
                    }
                }
            }
        }
        if let Some(phases) = root.get("phases") {
            for p in phases.entries() {
                let ctx = format!("{file} › phases.{}", p.key);
                for key in ["commands", "finally"] {
                    if let Some(list) = p.value.get(key) {
                        self.script_list(list, &ctx);
                    }
                }
            }
        }
        self.walk_ci(root, &file, 0);
    }

    /// Look for jobs and steps in a CI file's tree.
    fn walk_ci(&mut self, n: &Node, ctx: &str, depth: usize) {
        if depth > 12 {
            return;
        }
        match &n.kind {
            Kind::Obj(entries) => {
                for e in entries {
                    let here = format!("{ctx} › {}", e.key);
                    match e.key.as_str() {
                        "script" | "before_script" | "after_script" => {
                            self.script_list(&e.value, ctx);
                        }
                        "variables" | "environment" if depth > 0 => self.env(Some(&e.value), ctx),
                        "run" => match &e.value.kind {
                            Kind::Obj(_) => {
                                if let Some(c) = e.value.get("command") {
                                    self.script_list(c, ctx);
                                }
                            }
                            _ => self.script_list(&e.value, ctx),
                        },
                        // Parameter definitions of a CircleCI orb are not uses.
                        "parameters" => {}
                        k if is_circleci_aws_step(k) => self.circleci_aws(&e.value, &here),
                        _ => self.walk_ci(&e.value, &here, depth + 1),
                    }
                }
            }
            Kind::Arr(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk_ci(item, &format!("{ctx}[{i}]"), depth + 1);
                }
            }
            _ => {}
        }
    }

    /// `aws-cli/setup: { role_arn: …, session_duration: … }`.
    fn circleci_aws(&mut self, params: &Node, ctx: &str) {
        for key in ["session_duration", "session-duration"] {
            if let Some(d) = params.get(key) {
                if let Some(v) = scalar(d).filter(|v| !is_expression(v)) {
                    let node = duration_node(&v, d.span, None);
                    self.requested(key, node, ctx, Requester::Automation, false);
                }
            }
        }
    }

    /// A `script:` value: one command line or a list of them.
    fn script_list(&mut self, n: &Node, ctx: &str) {
        let mut vars = Vars::default();
        for item in n.one_or_many() {
            if let Some(m) = scalar_mapped(self.text, item) {
                self.shell(&m, ctx, &mut vars);
            }
        }
    }

    // ---- Jenkins ----

    fn jenkins(&mut self) {
        let text = self.text;
        let file = self.file.clone();
        let b = text.as_bytes();
        let mut i = 0;
        let mut vars = Vars::default();
        while i < b.len() {
            // `sh '…'`, `sh "…"`, `sh '''…'''`, `sh """…"""`, `sh(script: '…')`.
            if text[i..].starts_with("sh")
                && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
                && b.get(i + 2)
                    .is_some_and(|c| matches!(c, b' ' | b'(' | b'\'' | b'"'))
            {
                let mut j = i + 2;
                while j < b.len() && matches!(b[j], b' ' | b'(') {
                    j += 1;
                }
                if text[j..].starts_with("script:") {
                    j += 7;
                    while j < b.len() && b[j] == b' ' {
                        j += 1;
                    }
                }
                if let Some((start, end, next)) = groovy_string(text, j) {
                    let ctx = format!("{file} › sh");
                    self.shell(&Mapped::identity(&text[start..end], start), &ctx, &mut vars);
                    i = next;
                    continue;
                }
            }
            // Jenkins-stored access keys bound into the job.
            if text[i..].starts_with("AmazonWebServicesCredentialsBinding") {
                let span = Span::new(i, i + "AmazonWebServicesCredentialsBinding".len());
                self.fact(
                    FactKind::StaticKeys {
                        from: "Jenkins credentials (AmazonWebServicesCredentialsBinding)"
                            .to_owned(),
                    },
                    span,
                    &format!("{file} › withCredentials"),
                );
            }
            if text[i..].starts_with("withAWS(") {
                // The argument list ends at the first `)` within a bound, so
                // a file of unclosed calls stays linear.
                let window = (i + 4096).min(text.len());
                let window = (window..=text.len())
                    .find(|&w| text.is_char_boundary(w))
                    .unwrap_or(text.len());
                let end = text[i..window].find(')').map_or(window, |e| i + e);
                self.with_aws(i + 8, end, &file);
                i = end;
                continue;
            }
            i += 1;
            while i < b.len() && !text.is_char_boundary(i) {
                i += 1;
            }
        }
    }

    /// `withAWS(role: '…', duration: 3600, credentials: '…', …)`.
    fn with_aws(&mut self, start: usize, end: usize, file: &str) {
        let args = &self.text[start..end];
        // `credentials:` names access keys stored in Jenkins.
        if let Some(at) = args.find("credentials:") {
            let v = start + at + "credentials:".len();
            let rest = &self.text[v..end];
            let lead = rest.len() - rest.trim_start().len();
            if let Some((s, e, _)) = groovy_string(self.text, v + lead) {
                let id = self.text[s..e].to_owned();
                self.fact(
                    FactKind::StaticKeys {
                        from: format!("Jenkins credentials {id}"),
                    },
                    Span::new(s, e),
                    &format!("{file} › withAWS"),
                );
            }
        }
        let Some(at) = args.find("duration:") else {
            return;
        };
        let mut v = start + at + "duration:".len();
        let b = self.text.as_bytes();
        while v < end && b[v] == b' ' {
            v += 1;
        }
        let quote = matches!(b.get(v), Some(b'\'' | b'"'));
        let vs = if quote { v + 1 } else { v };
        let mut ve = vs;
        while ve < end && b[ve].is_ascii_digit() {
            ve += 1;
        }
        if ve > vs {
            let node = duration_node(&self.text[vs..ve], Span::new(vs, ve), None);
            self.requested(
                "duration",
                node,
                &format!("{file} › withAWS"),
                Requester::Automation,
                false,
            );
        }
    }

    // ---- Shell ----

    /// Read commands: `aws sts …` requests, their durations and session
    /// policies, and literal assignments for later commands.
    fn shell(&mut self, m: &Mapped, ctx: &str, vars: &mut Vars) {
        let toks = shell::tokenize(m);
        for cmd in shell::commands(&toks) {
            let mut k = 0;
            while k < cmd.len()
                && matches!(
                    cmd[k].text.as_str(),
                    "export" | "local" | "declare" | "readonly" | "typeset"
                )
            {
                k += 1;
            }
            // Leading assignments: NAME=value.
            while k < cmd.len() {
                let Some((name, value)) = assignment(&cmd[k].text) else {
                    break;
                };
                let literal = !cmd[k].expands;
                let val_span = value_span(cmd[k], name.len() + 1);
                vars.0.insert(
                    name.to_owned(),
                    literal.then(|| (value.to_owned(), val_span)),
                );
                k += 1;
            }
            if let Some(at) = cmd
                .iter()
                .position(|w| w.text == "aws" || w.text.ends_with("/aws"))
            {
                self.aws_command(&cmd[at + 1..], ctx, vars);
            }
        }
    }

    fn aws_command(&mut self, words: &[&Word], ctx: &str, vars: &Vars) {
        // Global options before the service.
        let mut k = 0;
        while k < words.len() && words[k].text.starts_with("--") {
            let takes_value = !matches!(
                words[k].text.as_str(),
                "--debug"
                    | "--no-verify-ssl"
                    | "--no-paginate"
                    | "--no-sign-request"
                    | "--no-cli-pager"
            ) && !words[k].text.contains('=');
            k += if takes_value { 2 } else { 1 };
        }
        if words.get(k).map(|w| w.text.as_str()) != Some("sts") {
            return;
        }
        let Some(op) = words.get(k + 1) else { return };
        if !matches!(
            op.text.as_str(),
            "assume-role"
                | "assume-role-with-web-identity"
                | "assume-role-with-saml"
                | "get-session-token"
                | "get-federation-token"
        ) {
            return;
        }
        let ctx = format!("{ctx} › aws sts {}", op.text);
        let opts = &words[k + 2..];
        let mut j = 0;
        while j < opts.len() {
            let w = opts[j];
            let (name, inline) = match w.text.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n, Some(v)),
                _ => (w.text.as_str(), None),
            };
            let value: Option<(String, Span, &Word, usize)> = match inline {
                Some(v) => Some((
                    v.to_owned(),
                    value_span(w, name.len() + 1),
                    w,
                    name.len() + 1,
                )),
                None => opts.get(j + 1).map(|v| (v.text.clone(), v.span, *v, 0)),
            };
            match (name, value) {
                ("--duration-seconds", Some((text, span, word, _))) => {
                    if let Some(node) = resolve_duration(&text, span, word, vars) {
                        self.requested(
                            "--duration-seconds",
                            node,
                            &ctx,
                            Requester::Automation,
                            false,
                        );
                    }
                    j += if inline.is_some() { 1 } else { 2 };
                }
                ("--policy", Some((text, _, word, skip))) => {
                    if !word.expands {
                        self.policy_argument(&text, word, skip, &ctx);
                    }
                    j += if inline.is_some() { 1 } else { 2 };
                }
                _ => j += 1,
            }
        }
    }

    /// `--policy file://PATH` (read through the driver) or inline JSON
    /// (spans inside the argument).
    fn policy_argument(&mut self, text: &str, word: &Word, skip: usize, ctx: &str) {
        if let Some(path) = text.strip_prefix("file://") {
            let Some(read) = self.read_policy else { return };
            let Some((shown, body)) = read(path) else {
                return;
            };
            let out = {
                let mut cx = Cx {
                    text: &body,
                    file: shown.clone(),
                    out: Extracted {
                        recognised: true,
                        ..Extracted::default()
                    },
                    read_policy: None,
                };
                cx.session_policy(&Mapped::identity(&body, 0), ctx);
                cx.out
            };
            self.out.loaded.push(super::Loaded {
                path: shown,
                text: body,
                out,
            });
            return;
        }
        if text.trim_start().starts_with('{') {
            let m = word_mapped(self.text, word, skip);
            self.session_policy(&m, ctx);
        }
    }

    // ---- AWS shared config ----

    fn aws_config(&mut self, sections: &[load::ini::Section]) {
        let credentials_file = self.file.ends_with("credentials");
        // Profile name → section.
        let name_of = |s: &load::ini::Section| -> Option<String> {
            let n = s.name.trim();
            if credentials_file || n == "default" {
                return Some(n.to_owned());
            }
            n.strip_prefix("profile")
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty())
        };
        let profiles: HashMap<String, &load::ini::Section> = sections
            .iter()
            .filter_map(|s| Some((name_of(s)?, s)))
            .collect();
        for s in sections {
            let Some(name) = name_of(s) else { continue };
            let ctx = format!("{} › profile {name}", self.file);
            if s.get("role_arn").is_none() {
                continue;
            }
            let source = s.get("source_profile").map(|e| e.value.clone());
            let source_section = source.as_deref().and_then(|n| profiles.get(n));
            let chained = source_section.is_some_and(|p| p.get("role_arn").is_some())
                && source.as_deref() != Some(name.as_str());
            if let Some(d) = s.get("duration_seconds") {
                let node = duration_node(&d.value, d.value_span, None);
                let target = s.get("role_arn").map(|e| e.value.trim().to_owned());
                self.requested_role(
                    "duration_seconds",
                    node,
                    &ctx,
                    (Requester::Profile, chained),
                    target,
                );
            }
            if let Some(src) = &source {
                let long_term = match source_section {
                    Some(p) => ![
                        "role_arn",
                        "sso_session",
                        "sso_start_url",
                        "credential_process",
                        "web_identity_token_file",
                        "credential_source",
                    ]
                    .iter()
                    .any(|k| p.get(k).is_some()),
                    // Defined only in the credentials file: its keys.
                    None => true,
                };
                if long_term && s.get("mfa_serial").is_none() {
                    let at = s.get("source_profile").map_or(s.span, |e| e.value_span);
                    self.fact(
                        FactKind::ProfileWithoutMfa {
                            source: src.clone(),
                        },
                        at,
                        &ctx,
                    );
                }
            }
        }
    }
}

/// `NAME=value` at the start of a command.
fn assignment(word: &str) -> Option<(&str, &str)> {
    let (name, value) = word.split_once('=')?;
    let ok = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    ok.then_some((name, value))
}

/// The span of a word's text from byte `skip` of its unquoted text on
/// (the value of `NAME=value` or `--opt=value`), when the word is written
/// without quotes before that point; else the whole word.
fn value_span(w: &Word, skip: usize) -> Span {
    if w.span.len() >= w.text.len() && skip <= w.span.len() {
        Span::new(w.span.start as usize + skip, w.span.end as usize)
    } else {
        w.span
    }
}

/// A `--duration-seconds` value: a literal, or a variable assigned a
/// literal earlier in the same script (with a label there).
fn resolve_duration(text: &str, span: Span, word: &Word, vars: &Vars) -> Option<Node> {
    if !word.expands {
        return Some(duration_node(text, span, None));
    }
    let t = text.trim();
    let name = t
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| t.strip_prefix('$'))?;
    let (value, at) = vars.0.get(name)?.as_ref()?;
    Some(duration_node(
        value,
        span,
        Some(Via {
            span: *at,
            label: format!("`{name}` is assigned {value} here"),
        }),
    ))
}

/// A word's unquoted text from byte `skip` on, mapped to the file: exact
/// when the source is the text in single quotes, double quotes or none.
fn word_mapped(file: &str, w: &Word, skip: usize) -> Mapped {
    let raw = file.get(w.span.range()).unwrap_or("");
    let body = w.text.get(skip..).unwrap_or("");
    if let Some(at) = raw.find(body) {
        if !body.is_empty() {
            return Mapped::identity(body, w.span.start as usize + at);
        }
    }
    Mapped {
        text: body.to_owned(),
        map: vec![w.span.start; body.len() + 1],
    }
}

/// A YAML scalar's value mapped to the file: line by line for block
/// scalars (`|`), else the whole value at the scalar.
fn scalar_mapped(file: &str, n: &Node) -> Option<Mapped> {
    let value = match &n.kind {
        Kind::Str(s) => s,
        _ => return None,
    };
    let src = file.get(n.span.range())?;
    if src == value {
        return Some(Mapped::identity(value, n.span.start as usize));
    }
    let mut map = Vec::with_capacity(value.len() + 1);
    let mut pos = 0usize;
    let mut ok = true;
    for line in value.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        match src[pos..].find(body) {
            Some(at) if !body.is_empty() => {
                let start = n.span.start as usize + pos + at;
                map.extend((0..body.len()).map(|i| (start + i) as u32));
                pos += at + body.len();
            }
            _ if body.is_empty() => {}
            _ => {
                ok = false;
                break;
            }
        }
        if line.ends_with('\n') {
            map.push((n.span.start as usize + pos) as u32);
            if let Some(nl) = src[pos..].find('\n') {
                pos += nl + 1;
            }
        }
    }
    if !ok || map.len() != value.len() {
        map = vec![n.span.start; value.len()];
    }
    map.push(n.span.end);
    Some(Mapped {
        text: value.clone(),
        map,
    })
}

/// A Groovy string literal at `at`: its content range and the offset after
/// it.
fn groovy_string(text: &str, at: usize) -> Option<(usize, usize, usize)> {
    let rest = text.get(at..)?;
    for q in ["'''", "\"\"\"", "'", "\""] {
        if let Some(body) = rest.strip_prefix(q) {
            let end = body.find(q)?;
            let start = at + q.len();
            return Some((start, start + end, start + end + q.len()));
        }
    }
    None
}

fn is_configure_credentials(uses: &str) -> bool {
    let u = uses.trim().to_ascii_lowercase();
    u.starts_with("aws-actions/configure-aws-credentials@")
        || u.starts_with("aws-actions/configure-aws-credentials/")
}

fn is_circleci_aws_step(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.starts_with("aws-cli/")
        && (k.ends_with("setup")
            || k.contains("assume-role")
            || k.contains("role_arn")
            || k.contains("role-arn"))
}

/// A workflow's `on:` events.
fn triggers(root: &Node) -> Vec<String> {
    let Some(on) = root.get("on").or_else(|| root.get("true")) else {
        return Vec::new();
    };
    match &on.kind {
        Kind::Str(s) => vec![s.clone()],
        Kind::Arr(items) => items.iter().filter_map(scalar).collect(),
        Kind::Obj(entries) => entries.iter().map(|e| e.key.clone()).collect(),
        _ => Vec::new(),
    }
}

/// Does a `permissions:` value grant `id-token: write`? `None`: unknown.
fn grants_id_token(p: &Node) -> Option<bool> {
    match &p.kind {
        Kind::Str(s) if is_expression(s) => None,
        Kind::Str(s) => Some(s.trim() == "write-all"),
        Kind::Obj(_) => Some(
            p.get("id-token")
                .and_then(scalar)
                .is_some_and(|v| v.trim() == "write"),
        ),
        Kind::Null => Some(false),
        _ => None,
    }
}

/// Literal access key IDs in a text (TL603): each `AKIA`/`ASIA` + 16
/// upper-case letters or digits, standing alone, except AWS's documented
/// example. `secret` says whether the text also holds a secret key.
pub fn access_keys(text: &str) -> Vec<(Span, String, bool)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = find_key_prefix(&b[i..]) {
        let s = i + at;
        let e = s + 20;
        i = s + 4;
        if e > b.len() {
            break;
        }
        let body_ok = b[s + 4..e]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        let alone = (s == 0 || !b[s - 1].is_ascii_alphanumeric())
            && (e == b.len() || !b[e].is_ascii_alphanumeric());
        if !body_ok || !alone {
            continue;
        }
        let id = &text[s..e];
        if id == "AKIAIOSFODNN7EXAMPLE" {
            continue;
        }
        out.push((Span::new(s, e), id.to_owned(), false));
        i = e;
    }
    if !out.is_empty() && has_secret_key(text) {
        for k in &mut out {
            k.2 = true;
        }
    }
    out
}

fn find_key_prefix(b: &[u8]) -> Option<usize> {
    // Jump from `A` to `A` (SIMD): most texts hold few.
    memchr::memchr_iter(b'A', b).find(|&i| matches!(b.get(i..i + 4), Some(b"AKIA" | b"ASIA")))
}

/// Does the text hold a 40-character secret key after a secret-key name
/// on the same line (after the first name of that line)? The names are
/// searched in the whole text once, not in each line.
fn has_secret_key(text: &str) -> bool {
    const NAMES: [&str; 4] = [
        "secret_access_key",
        "secretaccesskey",
        "secret-access-key",
        "secret_key",
    ];
    let lower = text.to_ascii_lowercase();
    // (start of the line, end of the first name in it), per line and name.
    let mut firsts: Vec<(usize, usize)> = Vec::new();
    for n in NAMES {
        let mut line_seen = None;
        for (at, _) in lower.match_indices(n) {
            let start = memchr::memrchr(b'\n', &lower.as_bytes()[..at]).map_or(0, |i| i + 1);
            if line_seen != Some(start) {
                line_seen = Some(start);
                firsts.push((start, at + n.len()));
            }
        }
    }
    firsts.sort_unstable();
    firsts.dedup_by_key(|f| f.0);
    firsts.into_iter().any(|(_, at)| {
        let end = memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i);
        text.get(at..end).is_some_and(|rest| {
            rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '/' || c == '+'))
                .any(|w| w.len() == 40 && w != "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_place_and_shebang() {
        let k = |p: &str, t: Option<&str>| kind_of(Path::new(p), t);
        assert_eq!(
            k("r/.github/workflows/ci.yml", None),
            Some(CredKind::GitHub)
        );
        assert_eq!(k("a/action.yaml", None), Some(CredKind::GitHub));
        assert_eq!(k(".gitlab-ci.yml", None), Some(CredKind::CiYaml));
        assert_eq!(k("x/buildspec_integ.yml", None), Some(CredKind::CiYaml));
        assert_eq!(k(".circleci/config.yml", None), Some(CredKind::CiYaml));
        assert_eq!(k("Jenkinsfile", None), Some(CredKind::Jenkins));
        assert_eq!(
            k("Jenkinsfile-infrastructure", None),
            Some(CredKind::Jenkins)
        );
        assert_eq!(k("vars/terraform.groovy", None), Some(CredKind::Jenkins));
        assert_eq!(k("home/.aws/config", None), Some(CredKind::AwsConfig));
        assert_eq!(k("x.sh", None), Some(CredKind::Shell));
        assert_eq!(
            k("hooks/pre-command", Some("#!/usr/bin/env bash\n")),
            Some(CredKind::Shell)
        );
        assert_eq!(k("hooks/pre-command", Some("#!/usr/bin/python\n")), None);
        assert_eq!(k("templates/x.yml", None), None);
    }

    #[test]
    fn access_keys_are_found_alone_and_the_example_is_exempt() {
        let t = "id=AKIAABCDEFGHIJKLMNOP\nx=AKIAIOSFODNN7EXAMPLE yAKIAABCDEFGHIJKLMNOPQ";
        let keys = access_keys(t);
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].0, Span::new(3, 23));
        assert!(!keys[0].2);
        let t = "aws_access_key_id = ASIAABCDEFGHIJKLMNOP\naws_secret_access_key = abcdefghijABCDEFGHIJ0123456789/+abcdefgh\n";
        assert!(access_keys(t)[0].2);
    }

    #[test]
    fn a_secret_key_follows_its_name_on_the_same_line() {
        let key = "abcdefghijABCDEFGHIJ0123456789/+abcdefgh";
        assert!(has_secret_key(&format!("x\r\nSecret_Key: {key}\r\n")));
        assert!(has_secret_key(&format!(
            "a secret_key b secret_access_key={key}"
        )));
        assert!(!has_secret_key(&format!("secret_key =\n{key}\n")));
        assert!(!has_secret_key(&format!("{key} secret_key\n")));
        assert!(!has_secret_key(
            "secret_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
        ));
        assert!(has_secret_key(&format!(
            "secret_key\nsecret-access-key {key}"
        )));
    }

    #[test]
    fn shebangs() {
        assert!(is_shell_shebang("#!/bin/bash -e\n"));
        assert!(is_shell_shebang("#!/usr/bin/env -S bash\n"));
        assert!(!is_shell_shebang("#!/usr/bin/env node\n"));
        assert!(!is_shell_shebang("echo\n"));
    }
}
