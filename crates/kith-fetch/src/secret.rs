//! The API token: read from the environment or a file, and never printed.

use std::fmt;
use std::path::Path;

use kith_core::Platform;

use crate::error::FetchError;

/// A platform token. `Debug` shows `Token(***)`; there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

impl Token {
    pub fn new(value: impl Into<String>) -> Token {
        Token(value.into().trim().to_owned())
    }

    /// The value, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The environment variable that holds a platform's token.
    pub fn env_var(platform: Platform) -> &'static str {
        match platform {
            Platform::Instagram => "KITH_INSTAGRAM_TOKEN",
            Platform::Tiktok => "KITH_TIKTOK_TOKEN",
            Platform::Youtube => "KITH_YOUTUBE_TOKEN",
            Platform::X => "KITH_X_TOKEN",
        }
    }

    /// The token from `file` when given, else from the platform's environment variable.
    pub fn load(platform: Platform, file: Option<&Path>) -> Result<Token, FetchError> {
        let env = Token::env_var(platform);
        let value = match file {
            Some(path) => std::fs::read_to_string(path).map_err(|e| {
                FetchError::Config(format!(
                    "cannot read the token file {}: {e}",
                    path.display()
                ))
            })?,
            None => std::env::var(env).unwrap_or_default(),
        };
        let token = Token::new(value);
        if token.0.is_empty() {
            return Err(FetchError::NoToken { platform, env });
        }
        Ok(token)
    }

    /// `text` with every occurrence of the token replaced, for messages that quote what a
    /// server said (a server may echo what it was sent).
    pub fn redact(&self, text: &str) -> String {
        if self.0.len() < 4 {
            return text.to_owned();
        }
        text.replace(&self.0, "[token]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_token() {
        let t = Token::new("EAAGm0PX4ZCpsBA-secret");
        assert_eq!(format!("{t:?}"), "Token(***)");
        assert_eq!(
            t.redact("bad token EAAGm0PX4ZCpsBA-secret!"),
            "bad token [token]!"
        );
    }
}
