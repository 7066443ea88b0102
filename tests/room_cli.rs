//! `clipjury serve --lan` as an organiser runs it: the address, the set-up link built on it, and its QR code.
//! (The test names the address: a test server listens on 127.0.0.1 only, and the default route's address is the
//! machine's own business. Finding it is unit-tested in src/room.rs.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn room_mode_prints_the_lan_link_with_a_qr_code_and_builds_links_on_that_address() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_clipjury"))
        .args([
            "serve",
            "--lan",
            "--lan-interface",
            "127.0.0.2",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .args([
            "--database-url",
            &format!("sqlite://{}", dir.path().join("c.db").display()),
        ])
        .args([
            "--media-dir",
            dir.path().join("media").to_str().unwrap(),
            "--log-level",
            "error",
        ])
        .env("CLIPJURY_WORKER__IN_PROCESS", "false")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut out = Vec::new();
    // The banner ends with the QR code's last row of upper half blocks.
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line.starts_with('▀');
        out.push(line);
        if done || out.len() > 80 {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let text = out.join("\n");
    let base = format!("http://127.0.0.2:{port}");
    assert!(
        text.contains(&format!("Room mode: phones on this network open {base}")),
        "{text}"
    );
    assert!(
        text.contains("phones cannot open these links"),
        "127.0.0.2 is a loopback address: {text}"
    );
    assert!(
        text.contains(&format!("{base}/setup?token=")),
        "the set-up link uses the room address: {text}"
    );
    let qr: Vec<&String> = out
        .iter()
        .filter(|l| l.contains('█') || l.starts_with('▀'))
        .collect();
    assert!(qr.len() >= 12, "a QR code follows: {text}");
    let width = qr[0].chars().count();
    assert!(
        qr.iter().all(|l| l.chars().count() == width),
        "a square of equal rows: {text}"
    );
}

#[test]
fn room_mode_refuses_an_unknown_interface_and_the_interface_flag_needs_lan() {
    let out = Command::new(env!("CARGO_BIN_EXE_clipjury"))
        .args(["serve", "--lan-interface", "wlan0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--lan"));

    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_clipjury"))
        .args([
            "serve",
            "--lan",
            "--lan-interface",
            "nosuch0",
            "--listen",
            "127.0.0.1:1",
        ])
        .args([
            "--database-url",
            &format!("sqlite://{}", dir.path().join("c.db").display()),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the interface nosuch0 has no IPv4 address") && err.contains("lo 127.0.0.1"),
        "{err}"
    );
}
