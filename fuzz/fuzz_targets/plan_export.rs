//! Policy strings embedded in Terraform plans and AWS CLI exports: the
//! input is a policy document's text, placed (escaped, raw, and
//! URL-encoded) where plans and exports keep policies.
#![no_main]

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn percent(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn plan(value: &str) -> String {
    format!(
        r#"{{"format_version":"1.2","planned_values":{{"root_module":{{"resources":[
{{"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r",
"values":{{"assume_role_policy":{value},"max_session_duration":3600,
"inline_policy":[{{"name":"i","policy":{value}}}]}}}},
{{"address":"aws_iam_policy.p","mode":"managed","type":"aws_iam_policy","name":"p","values":{{"policy":{value}}}}}]}}}},
"resource_changes":[{{"address":"aws_iam_role.c","mode":"managed","type":"aws_iam_role","name":"c",
"change":{{"actions":["create"],"after":{{"assume_role_policy":{value}}},"after_unknown":{{}}}}}}]}}"#
    )
}

fn export(value: &str) -> String {
    format!(
        r#"{{"RoleDetailList":[{{"RoleName":"r","Arn":"arn:aws:iam::999999999999:role/r",
"AssumeRolePolicyDocument":{value},"RolePolicyList":[{{"PolicyName":"i","PolicyDocument":{value}}}]}}],
"Policies":[{{"Arn":"arn:aws:iam::999999999999:policy/p","PolicyName":"p","PolicyVersionList":[{{"Document":{value},"IsDefaultVersion":true}}]}}]}}"#
    )
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let policy = String::from_utf8_lossy(rest);
    let value = match mode % 4 {
        0 => json_string(&policy),
        1 => format!("\"{policy}\""),
        2 => format!("\"{}\"", percent(&policy)),
        _ => policy.into_owned(),
    };
    trustlint_fuzz::check("plan.json", &plan(&value));
    trustlint_fuzz::check("export.json", &export(&value));
});
