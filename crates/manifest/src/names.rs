//! Name and label syntax, as the API server checks it: the functions of
//! k8s.io/apimachinery/pkg/util/validation/validation.go (`IsDNS1123Label`,
//! `IsDNS1035Label`, `IsDNS1123Subdomain`, `IsValidPortName`, `IsQualifiedName`,
//! `IsValidLabelValue`), each returning the problem in words.
//!
//! Object names and IDs: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
//! Labels: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set

fn alnum_lower(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// RFC 1123 label: at most 63 lowercase alphanumerics or '-', starting and ending alphanumeric.
pub fn dns1123_label(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.len() > 63 {
        return Err(format!("must be no more than 63 characters (it has {})", s.len()));
    }
    if !s.chars().all(|c| alnum_lower(c) || c == '-') {
        return Err("must consist of lowercase letters, digits and '-'".into());
    }
    if !s.starts_with(alnum_lower) || !s.ends_with(alnum_lower) {
        return Err("must start and end with a lowercase letter or digit".into());
    }
    Ok(())
}

/// RFC 1035 label (Service names): as a 1123 label, but starting with a letter.
pub fn dns1035_label(s: &str) -> Result<(), String> {
    dns1123_label(s)?;
    if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err("must start with a lowercase letter".into());
    }
    Ok(())
}

/// RFC 1123 subdomain: dot-separated 1123 labels, at most 253 characters.
pub fn dns1123_subdomain(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.len() > 253 {
        return Err(format!("must be no more than 253 characters (it has {})", s.len()));
    }
    for part in s.split('.') {
        if part.is_empty() || part.len() > 63 || dns1123_label(part).is_err() {
            return Err(
                "must consist of lowercase letters, digits, '-' and '.', and start and end with a letter or digit"
                    .into(),
            );
        }
    }
    Ok(())
}

/// IANA_SVC_NAME (named container ports, named targetPorts): at most 15 characters of
/// lowercase letters, digits and '-', at least one letter, no leading, trailing or double '-'.
pub fn iana_svc_name(s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > 15 {
        return Err("must be 1 to 15 characters".into());
    }
    if !s.chars().all(|c| alnum_lower(c) || c == '-') {
        return Err("must consist of lowercase letters, digits and '-'".into());
    }
    if !s.chars().any(|c| c.is_ascii_lowercase()) {
        return Err("must contain at least one letter".into());
    }
    if s.starts_with('-') || s.ends_with('-') || s.contains("--") {
        return Err("must not start or end with '-' or contain '--'".into());
    }
    Ok(())
}

fn label_name(s: &str) -> bool {
    // [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?, at most 63
    !s.is_empty()
        && s.len() <= 63
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric())
}

/// A label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters.
/// https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
pub fn label_key(s: &str) -> Result<(), String> {
    let (prefix, name) = match s.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    };
    if let Some(p) = prefix {
        dns1123_subdomain(p).map_err(|e| format!("the prefix `{p}` {e}"))?;
    }
    if !label_name(name) {
        return Err(format!(
            "the name part `{name}` must be 1 to 63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit"
        ));
    }
    Ok(())
}

/// A label value: empty, or a label name.
pub fn label_value(s: &str) -> Result<(), String> {
    if s.is_empty() || label_name(s) {
        Ok(())
    } else {
        Err("must be empty or 1 to 63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit".into())
    }
}
