//! Bytes to text: UTF-8 (with or without BOM) and UTF-16 LE/BE with BOM, as
//! found in real Terraform plans written by PowerShell. Anything else that is
//! not UTF-8 (or holds NUL bytes) is reported, never guessed.

/// Why a file's bytes are not text we can lint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    InvalidUtf8 { offset: usize },
    Binary,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::InvalidUtf8 { offset } => {
                write!(f, "the file is not valid UTF-8 (byte {offset})")
            }
            DecodeError::Binary => write!(f, "the file holds NUL bytes (binary data)"),
        }
    }
}

pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    utf8(bytes)
}

/// Like [`decode`], without copying plain UTF-8 input.
pub fn decode_owned(bytes: Vec<u8>) -> Result<String, DecodeError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF])
        || bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
    {
        return decode(&bytes);
    }
    match String::from_utf8(bytes) {
        // A SIMD search: every file read passes here.
        Ok(s) if memchr::memchr(0, s.as_bytes()).is_some() => Err(DecodeError::Binary),
        Ok(s) => Ok(s),
        Err(e) => utf8(e.as_bytes()),
    }
}

fn utf8(bytes: &[u8]) -> Result<String, DecodeError> {
    match std::str::from_utf8(bytes) {
        Ok(s) if s.contains('\0') => Err(DecodeError::Binary),
        Ok(s) => Ok(s.to_owned()),
        Err(e) => {
            if bytes.contains(&0) {
                Err(DecodeError::Binary)
            } else {
                Err(DecodeError::InvalidUtf8 {
                    offset: e.valid_up_to(),
                })
            }
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, DecodeError> {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut out = String::with_capacity(bytes.len() / 2);
    for (i, ch) in char::decode_utf16(units).enumerate() {
        match ch {
            Ok('\0') => return Err(DecodeError::Binary),
            Ok(c) => out.push(c),
            Err(_) => return Err(DecodeError::InvalidUtf8 { offset: i * 2 + 2 }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBF{}").unwrap(), "{}");
        assert_eq!(decode(b"\xFF\xFE{\0}\0").unwrap(), "{}");
        assert_eq!(decode(b"\xFE\xFF\0{\0}").unwrap(), "{}");
        assert_eq!(decode(b"a\0b"), Err(DecodeError::Binary));
        assert_eq!(
            decode(b"ab\xFF"),
            Err(DecodeError::InvalidUtf8 { offset: 2 })
        );
    }
}
