//! How `upward server start` is set up: the database URL, the address to listen on, the public
//! URL people open (behind a proxy that ends TLS, say) and the one proxy whose
//! `X-Forwarded-For` is believed. Each value is checked here, so that bad input is one line in
//! the terminal and nothing starts.

use std::net::{IpAddr, SocketAddr};

/// The address `--listen` defaults to: this machine only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// `sqlite://PATH` or `postgres://…`.
    pub database: String,
    pub listen: SocketAddr,
    /// The address people open, when it is not the listen address (a proxy in front).
    pub public_url: Option<PublicUrl>,
    /// The proxy whose `X-Forwarded-For` names the client (else the peer is the client).
    pub trusted_proxy: Option<IpAddr>,
}

/// A parsed `--public-url`: `http` or `https`, a host, maybe a port, no path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    pub https: bool,
    /// Lowercased; an IPv6 address keeps its brackets.
    pub host: String,
    pub port: Option<u16>,
}

impl PublicUrl {
    pub fn parse(text: &str) -> Result<PublicUrl, String> {
        let bad = |why: &str| {
            format!(
                "--public-url `{}` {why} — accepted: http://HOST[:PORT] or https://HOST[:PORT], such as https://upward.example.com",
                text.escape_debug()
            )
        };
        let (https, rest) = if let Some(r) = text.strip_prefix("https://") {
            (true, r)
        } else if let Some(r) = text.strip_prefix("http://") {
            (false, r)
        } else {
            return Err(bad("is not an http or https URL"));
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains(['/', '?', '#', '@']) {
            return Err(bad(
                "has a path, query or user part (the server answers at the root of its host)",
            ));
        }
        let (host, port) = match rest.rfind(':') {
            Some(i) if !rest[i..].contains(']') => {
                let port = rest[i + 1..]
                    .parse::<u16>()
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or_else(|| bad("has a bad port"))?;
                (&rest[..i], Some(port))
            }
            _ => (rest, None),
        };
        let valid_name = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
        let valid_v6 = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .is_some_and(|h| h.parse::<std::net::Ipv6Addr>().is_ok());
        if !(valid_name || valid_v6) {
            return Err(bad("has no valid host name"));
        }
        let default = if https { 443 } else { 80 };
        Ok(PublicUrl {
            https,
            host: host.to_ascii_lowercase(),
            port: port.filter(|p| *p != default),
        })
    }

    /// `https://host[:port]`, as a browser sends it in `Origin`.
    pub fn origin(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        match self.port {
            Some(p) => format!("{scheme}://{}:{p}", self.host),
            None => format!("{scheme}://{}", self.host),
        }
    }

    /// The `Host` headers that name it (with and without an explicit default port).
    pub fn hosts(&self) -> Vec<String> {
        match self.port {
            Some(p) => vec![format!("{}:{p}", self.host)],
            None => {
                let default = if self.https { 443 } else { 80 };
                vec![self.host.clone(), format!("{}:{default}", self.host)]
            }
        }
    }
}

impl ServerConfig {
    /// Checks every value; the error is one line naming the flag and the accepted forms.
    pub fn new(
        database: &str,
        listen: Option<&str>,
        public_url: Option<&str>,
        trusted_proxy: Option<&str>,
    ) -> Result<ServerConfig, String> {
        let listen_text = listen.unwrap_or(DEFAULT_LISTEN);
        let listen = listen_text.trim().parse::<SocketAddr>().map_err(|_| {
            format!(
                "--listen `{}` is not an address — accepted: IP:PORT such as 127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080",
                listen_text.escape_debug()
            )
        })?;
        let public_url = public_url.map(PublicUrl::parse).transpose()?;
        let trusted_proxy = trusted_proxy
            .map(|t| {
                t.trim().parse::<IpAddr>().map_err(|_| {
                    format!(
                        "--trusted-proxy `{}` is not an IP address — accepted: one address such as 127.0.0.1 or ::1",
                        t.escape_debug()
                    )
                })
            })
            .transpose()?;
        check_database_url(database)?;
        Ok(ServerConfig {
            database: database.to_string(),
            listen,
            public_url,
            trusted_proxy,
        })
    }

    /// The base of the links the server hands out (one-time links): the public URL, else the
    /// listen address.
    pub fn base_url(&self) -> String {
        match &self.public_url {
            Some(u) => u.origin(),
            None => format!("http://{}", self.listen),
        }
    }

    /// Whether cookies get `Secure` (the public URL is https).
    pub fn secure_cookies(&self) -> bool {
        self.public_url.as_ref().is_some_and(|u| u.https)
    }
}

/// The URL forms the store takes, checked before anything is opened (a typo is one line).
pub fn check_database_url(url: &str) -> Result<(), String> {
    let ok = url
        .strip_prefix("sqlite://")
        .is_some_and(|p| !p.trim().is_empty())
        || url.starts_with("postgres://")
        || url.starts_with("postgresql://");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "--database `{}` is not a database URL — accepted: sqlite://PATH (one box) or postgres://USER:PASSWORD@HOST/NAME (a team)",
            redact_url(url).escape_debug()
        ))
    }
}

/// A database URL without its password, for messages.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.rsplit_once('@') {
        Some((user, host)) => {
            let user = user.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_parse_to_their_origin_and_hosts() {
        let u = PublicUrl::parse("https://Upward.Example.com/").unwrap();
        assert_eq!(u.origin(), "https://upward.example.com");
        assert_eq!(u.hosts(), ["upward.example.com", "upward.example.com:443"]);
        let u = PublicUrl::parse("http://team.local:8443").unwrap();
        assert_eq!(u.origin(), "http://team.local:8443");
        assert_eq!(u.hosts(), ["team.local:8443"]);
        let u = PublicUrl::parse("https://[::1]:9000").unwrap();
        assert_eq!(u.origin(), "https://[::1]:9000");
        for bad in [
            "ftp://x",
            "https://",
            "https://x/path",
            "https://x:0",
            "https://x:99999",
            "https://a b",
            "https://u@x",
            "x.example.com",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn config_checks_each_flag() {
        let c = ServerConfig::new("sqlite:///tmp/x.db", None, None, None).unwrap();
        assert_eq!(c.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(c.base_url(), "http://127.0.0.1:8080");
        assert!(!c.secure_cookies());
        let e = ServerConfig::new("sqlite:///x", Some("localhost"), None, None).unwrap_err();
        assert!(e.contains("--listen"), "{e}");
        let e = ServerConfig::new("sqlite:///x", None, None, Some("proxy")).unwrap_err();
        assert!(e.contains("--trusted-proxy"), "{e}");
        let e = ServerConfig::new("mysql://u:secret@h/db", None, None, None).unwrap_err();
        assert!(e.contains("--database") && !e.contains("secret"), "{e}");
        let c = ServerConfig::new(
            "postgres://u@h/db",
            Some("0.0.0.0:80"),
            Some("https://t.example"),
            Some("10.0.0.1"),
        )
        .unwrap();
        assert!(c.secure_cookies());
        assert_eq!(c.base_url(), "https://t.example");
    }
}
