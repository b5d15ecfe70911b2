use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Stdio;

use crate::support::Kith;

fn get(addr: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, response)
}

/// Kills the server even when an assertion fails.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn demo_without_no_serve_serves_healthz_and_the_sign_in_page() {
    let kith = Kith::new();
    let out = kith.path("demo");
    let child = kith
        .command()
        .args([
            "demo",
            "--customers",
            "600",
            "--employees",
            "30",
            "--bind",
            "127.0.0.1:0",
            "--out",
        ])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let addr = crate::support::listen_address(&mut server.0);

    let (status, body) = get(&addr, "/healthz");
    assert_eq!(status, 200);
    assert!(body.ends_with("ok"));
    // The dashboard is behind sign-in: the overview sends a stranger to the login form.
    let (status, head) = get(&addr, "/");
    assert_eq!(status, 303, "{head}");
    assert!(
        head.to_ascii_lowercase().contains("location: /login"),
        "{head}"
    );
    let (status, body) = get(&addr, "/login");
    assert_eq!(status, 200);
    assert!(
        body.contains(r#"name="email""#) && body.contains(r#"name="password""#),
        "{body}"
    );
    let (status, _) = get(&addr, "/no-such-page");
    assert_eq!(status, 404);
    drop(server);
}
