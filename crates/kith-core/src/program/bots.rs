//! Which requests are people: crawlers, link-preview fetchers, HTTP libraries and
//! prefetches are redirected like anyone else but never counted as clicks.

/// Lower-case fragments of user agents that are not a person clicking a link.
const AGENTS: &[&str] = &[
    "bot",
    "crawler",
    "spider",
    "slurp",
    "googlebot",
    "bingbot",
    "yandex",
    "baiduspider",
    "duckduckbot",
    "facebookexternalhit",
    "facebot",
    "meta-externalagent",
    "twitterbot",
    "slackbot",
    "slack-imgproxy",
    "discordbot",
    "telegrambot",
    "whatsapp",
    "linkedinbot",
    "pinterest",
    "skypeuripreview",
    "embedly",
    "quora link preview",
    "redditbot",
    "applebot",
    "vkshare",
    "iframely",
    "outbrain",
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "aiohttp",
    "httpx",
    "go-http-client",
    "java/",
    "okhttp",
    "libwww-perl",
    "node-fetch",
    "axios/",
    "undici",
    "postmanruntime",
    "insomnia",
    "headlesschrome",
    "phantomjs",
    "lighthouse",
    "pingdom",
    "uptimerobot",
    "statuscake",
    "monitor",
    "preview",
    "scanner",
];

/// Whether a request with this `User-Agent` (absent counts as not a person) is automated.
pub fn is_automated(user_agent: Option<&str>) -> bool {
    let Some(agent) = user_agent.map(str::trim).filter(|a| !a.is_empty()) else {
        return true;
    };
    let lower = agent.to_ascii_lowercase();
    AGENTS.iter().any(|fragment| lower.contains(fragment))
}

/// Whether the request is a browser's speculative prefetch, given its `Purpose`,
/// `Sec-Purpose` and `X-Moz` headers.
pub fn is_prefetch(purpose: Option<&str>, sec_purpose: Option<&str>, x_moz: Option<&str>) -> bool {
    [purpose, sec_purpose, x_moz]
        .into_iter()
        .flatten()
        .any(|v| {
            v.to_ascii_lowercase().contains("prefetch")
                || v.to_ascii_lowercase().contains("prerender")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crawlers_previews_and_http_libraries_are_not_people() {
        for agent in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "curl/8.5.0",
            "python-requests/2.31.0",
            "Go-http-client/1.1",
            "Twitterbot/1.0",
            "WhatsApp/2.23.20.0",
        ] {
            assert!(is_automated(Some(agent)), "{agent}");
        }
        assert!(is_automated(None));
    }

    #[test]
    fn browsers_are_people() {
        for agent in [
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
        ] {
            assert!(!is_automated(Some(agent)), "{agent}");
        }
    }

    #[test]
    fn prefetches_are_recognised() {
        assert!(is_prefetch(Some("prefetch"), None, None));
        assert!(is_prefetch(None, Some("prefetch;prerender"), None));
        assert!(!is_prefetch(None, None, None));
    }
}
