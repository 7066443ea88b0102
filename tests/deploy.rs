//! The deployment files, checked without a Docker daemon or the network (hadolint and Caddy's own validation run in
//! `make test-docker`): every file the Dockerfile copies is in the build context; every shared library the binaries
//! load comes from a Debian package the runtime stage installs (directly, as a dependency, or in the base image);
//! docker-compose.yml and the Caddyfile agree on who may set X-Forwarded-For and how large a request may be.
//!
//! The binaries are this build's debug ones: they link the same libraries as the release build.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(name: &str) -> String {
    std::fs::read_to_string(root().join(name)).unwrap()
}

/// Dockerfile instructions with their continuation lines joined and comments dropped.
fn instructions(dockerfile: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in dockerfile.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || (trimmed.is_empty() && current.is_empty()) {
            continue;
        }
        let (body, continued) = match trimmed.strip_suffix('\\') {
            Some(b) => (b, true),
            None => (trimmed, false),
        };
        current.push_str(body);
        current.push(' ');
        if !continued {
            out.push(current.trim().to_owned());
            current.clear();
        }
    }
    out
}

/// The packages `apt-get install` names in the last stage (the runtime image).
fn runtime_packages(dockerfile: &str) -> Vec<String> {
    let all = instructions(dockerfile);
    let last_from = all.iter().rposition(|i| i.starts_with("FROM ")).unwrap();
    let mut packages = Vec::new();
    for run in all[last_from..].iter().filter(|i| i.starts_with("RUN ")) {
        for segment in run.split("&&").flat_map(|s| s.split(';')) {
            let words: Vec<&str> = segment.split_whitespace().collect();
            if let Some(at) = words.windows(2).position(|w| w == ["apt-get", "install"]) {
                packages.extend(
                    words[at + 2..]
                        .iter()
                        .filter(|w| !w.starts_with('-'))
                        .map(|w| (*w).to_owned()),
                );
            }
        }
    }
    packages
}

#[test]
fn every_file_the_dockerfile_copies_is_in_the_build_context() {
    let ignored: Vec<String> = read(".dockerignore")
        .lines()
        .map(|l| l.trim().trim_matches('/').to_owned())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let mut checked = 0;
    for copy in instructions(&read("Dockerfile"))
        .iter()
        .filter(|i| i.starts_with("COPY "))
    {
        let args: Vec<&str> = copy.split_whitespace().skip(1).collect();
        if args.iter().any(|a| a.starts_with("--from=")) {
            continue;
        }
        let sources = &args[..args.len() - 1];
        for src in sources.iter().filter(|s| !s.starts_with("--")) {
            let path = src.trim_start_matches("./").trim_end_matches('/');
            assert!(
                path == "." || root().join(path).exists(),
                "COPY {src}: no such file in the build context"
            );
            let excluded = ignored
                .iter()
                .find(|i| path == i.as_str() || path.starts_with(&format!("{i}/")));
            assert!(
                excluded.is_none(),
                "COPY {src}: excluded from the build context by .dockerignore ({excluded:?})"
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 4,
        "only {checked} COPY sources found: is the parser still right?"
    );
}

/// One installed package: its dependencies (groups of alternatives) and whether the base image has it.
#[derive(Debug, Default, Clone)]
struct Package {
    depends: Vec<Vec<String>>,
    base: bool,
}

/// What `dpkg-query` says of the installed packages; `provides` maps a virtual package to real ones.
#[derive(Debug, Default)]
struct PackageDb {
    packages: HashMap<String, Package>,
    provides: HashMap<String, Vec<String>>,
}

fn names(field: &str) -> Vec<Vec<String>> {
    field
        .split(',')
        .map(|group| {
            group
                .split('|')
                .filter_map(|alt| alt.split_whitespace().next())
                .map(|n| n.split(':').next().unwrap_or(n).to_owned())
                .collect::<Vec<_>>()
        })
        .filter(|g| !g.is_empty())
        .collect()
}

impl PackageDb {
    /// Lines of `Package\tPriority\tEssential\tProvides\tPre-Depends\tDepends`. debian:bookworm-slim holds the
    /// packages of priority `required` (the Essential set among them).
    fn parse(status: &str) -> Self {
        let mut db = PackageDb::default();
        for line in status.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            let [name, priority, essential, provides, pre, deps] = f[..] else {
                continue;
            };
            let mut depends = names(pre);
            depends.extend(names(deps));
            let base = priority == "required" || essential == "yes";
            db.packages
                .insert(name.to_owned(), Package { depends, base });
            for virt in names(provides).into_iter().flatten() {
                db.provides.entry(virt).or_default().push(name.to_owned());
            }
        }
        db
    }

    fn installed() -> Self {
        let out = Command::new("dpkg-query")
            .args(["-W", "-f=${Package}\t${Priority}\t${Essential}\t${Provides}\t${Pre-Depends}\t${Depends}\n"])
            .output()
            .expect("dpkg-query (this check runs on Debian, like the image)");
        Self::parse(&String::from_utf8(out.stdout).unwrap())
    }

    /// The package that satisfies `name`: itself when installed, else an installed one providing it.
    fn resolve(&self, name: &str) -> Option<String> {
        if self.packages.contains_key(name) {
            return Some(name.to_owned());
        }
        self.provides.get(name).and_then(|p| p.first().cloned())
    }

    /// Everything `apt-get install --no-install-recommends roots` puts into the base image: the base packages, the
    /// roots, and their Depends and Pre-Depends, transitively (for alternatives, the first one available here).
    fn image_closure(&self, roots: &[String]) -> HashSet<String> {
        let mut seen = HashSet::new();
        let mut stack: Vec<String> = roots.to_vec();
        stack.extend(
            self.packages
                .iter()
                .filter(|(_, p)| p.base)
                .map(|(n, _)| n.clone()),
        );
        while let Some(name) = stack.pop() {
            let Some(real) = self.resolve(&name) else {
                seen.insert(name);
                continue;
            };
            if !seen.insert(real.clone()) {
                continue;
            }
            for group in &self.packages[&real].depends {
                let pick = group
                    .iter()
                    .find_map(|alt| self.resolve(alt))
                    .unwrap_or_else(|| group[0].clone());
                stack.push(pick);
            }
        }
        seen
    }
}

/// The shared libraries `binary` loads, as ldd resolves them on this machine.
fn libraries(binary: &Path) -> Vec<PathBuf> {
    let out = Command::new("ldd").arg(binary).output().expect("ldd");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains("not found"),
        "{} has unresolved libraries:\n{text}",
        binary.display()
    );
    text.lines()
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with('/')))
        .map(PathBuf::from)
        .collect()
}

/// The package owning each library (`dpkg -S`), trying the path ldd printed, its target and its /usr twin
/// (Debian 12 merged /lib into /usr/lib; packages name either).
fn owners(libs: &[PathBuf]) -> BTreeMap<PathBuf, Option<String>> {
    let candidates = |p: &PathBuf| {
        let mut c = vec![p.clone()];
        if let Ok(real) = std::fs::canonicalize(p) {
            c.push(real);
        }
        for x in c.clone() {
            let s = x.to_string_lossy().into_owned();
            c.push(PathBuf::from(
                s.strip_prefix("/usr")
                    .map_or_else(|| format!("/usr{s}"), str::to_owned),
            ));
        }
        c
    };
    let all: BTreeSet<PathBuf> = libs.iter().flat_map(candidates).collect();
    let out = Command::new("dpkg")
        .arg("-S")
        .args(&all)
        .output()
        .expect("dpkg -S");
    let mut owner = HashMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        if let Some((pkgs, path)) = line.split_once(": ") {
            let first = pkgs.split(", ").next().unwrap_or(pkgs);
            owner.insert(
                PathBuf::from(path),
                first.split(':').next().unwrap_or(first).to_owned(),
            );
        }
    }
    libs.iter()
        .map(|l| {
            (
                l.clone(),
                candidates(l).iter().find_map(|c| owner.get(c).cloned()),
            )
        })
        .collect()
}

/// Libraries whose package the image would lack, as `library (package)` lines.
fn missing_from_image(
    libs: &BTreeMap<PathBuf, Option<String>>,
    image: &HashSet<String>,
) -> Vec<String> {
    libs.iter()
        .filter_map(|(lib, pkg)| match pkg {
            Some(p) if image.contains(p) => None,
            Some(p) => Some(format!("{} (package {p})", lib.display())),
            None => Some(format!("{} (no Debian package owns it)", lib.display())),
        })
        .collect()
}

fn binaries_libraries() -> BTreeMap<PathBuf, Option<String>> {
    let mut libs = libraries(Path::new(env!("CARGO_BIN_EXE_clipjury")));
    libs.extend(libraries(Path::new(env!("CARGO_BIN_EXE_clipjury-media"))));
    libs.sort();
    libs.dedup();
    owners(&libs)
}

#[test]
fn every_shared_library_the_binaries_load_comes_from_a_package_the_runtime_image_installs() {
    let libs = binaries_libraries();
    assert!(
        libs.keys()
            .any(|l| l.to_string_lossy().contains("libavcodec")),
        "clipjury-media links FFmpeg"
    );
    let db = PackageDb::installed();
    let image = db.image_closure(&runtime_packages(&read("Dockerfile")));
    let missing = missing_from_image(&libs, &image);
    assert!(
        missing.is_empty(),
        "the runtime stage of the Dockerfile installs no package for:\n  {}\nadd the package to its apt-get install",
        missing.join("\n  ")
    );
}

#[test]
fn a_library_whose_package_the_runtime_stage_lacks_fails_the_check() {
    let dockerfile = read("Dockerfile");
    let packages = runtime_packages(&dockerfile);
    assert!(
        packages.contains(&"libavfilter8".to_owned()),
        "{packages:?}"
    );
    let without: Vec<String> = packages
        .into_iter()
        .filter(|p| p != "libavfilter8")
        .collect();
    let db = PackageDb::installed();
    let missing = missing_from_image(&binaries_libraries(), &db.image_closure(&without));
    assert!(
        missing.iter().any(|m| m.contains("libavfilter.so.8")),
        "{missing:?}"
    );

    // The same on a made-up package list: a dependency of a dependency counts, a virtual package resolves.
    let fake = PackageDb::parse(
        "libc6\trequired\tno\t\t\t\n\
         libapp1\toptional\tno\t\t\tlibc6 (>= 2.36), libvirt-impl | libother\n\
         libimpl2\toptional\tno\tlibvirt-impl (= 2)\t\tlibdeep3:any\n\
         libdeep3\toptional\tno\t\t\t\n\
         libnew4\toptional\tno\t\t\t\n",
    );
    let image = fake.image_closure(&["libapp1".to_owned()]);
    for p in ["libc6", "libapp1", "libimpl2", "libdeep3"] {
        assert!(image.contains(p), "{p} is in the image: {image:?}");
    }
    let needed: BTreeMap<PathBuf, Option<String>> = [
        ("/usr/lib/libdeep.so.3", Some("libdeep3")),
        ("/usr/lib/libnew.so.4", Some("libnew4")),
        ("/opt/lib/libvendored.so", None),
    ]
    .into_iter()
    .map(|(l, p)| (PathBuf::from(l), p.map(str::to_owned)))
    .collect();
    assert_eq!(
        missing_from_image(&needed, &image),
        [
            "/opt/lib/libvendored.so (no Debian package owns it)",
            "/usr/lib/libnew.so.4 (package libnew4)"
        ]
    );
}

/// A value after `key:` in docker-compose.yml (first occurrence).
fn compose_value(compose: &str, key: &str) -> String {
    compose
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{key}:")))
        .map(|v| {
            v.split('#')
                .next()
                .unwrap_or(v)
                .trim()
                .trim_matches('"')
                .to_owned()
        })
        .unwrap_or_else(|| panic!("docker-compose.yml has no {key}"))
}

#[test]
fn compose_trusts_forwarded_headers_from_caddy_alone_and_caddy_passes_tus_chunks() {
    let compose = read("docker-compose.yml");
    let caddy_ip: std::net::Ipv4Addr = compose_value(&compose, "ipv4_address").parse().unwrap();
    let trusted = compose_value(&compose, "CLIPJURY_SERVER__TRUSTED_PROXIES");
    assert_eq!(
        trusted,
        caddy_ip.to_string(),
        "serve trusts X-Forwarded-For from Caddy's fixed address only"
    );
    let subnet = compose_value(&compose, "- subnet");
    let (net, bits) = subnet.split_once('/').unwrap();
    let (net, bits): (std::net::Ipv4Addr, u32) = (net.parse().unwrap(), bits.parse().unwrap());
    let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
    assert_eq!(
        u32::from(caddy_ip) & mask,
        u32::from(net) & mask,
        "Caddy's address {caddy_ip} is in {subnet}"
    );
    assert!(
        compose.contains("image: caddy:2"),
        "the official Caddy image"
    );
    assert_eq!(
        compose_value(&compose, "CLIPJURY_SERVER__PUBLIC_URL"),
        "https://${CLIPJURY_DOMAIN:-localhost}"
    );

    let caddyfile: String = read("Caddyfile")
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        caddyfile.contains("reverse_proxy serve:8080"),
        "Caddy proxies to the serve service"
    );
    assert!(
        !caddyfile.contains("request_buffers"),
        "request bodies are streamed, not buffered"
    );
    let limits: Vec<u64> = caddyfile
        .lines()
        .filter_map(|l| l.trim().strip_prefix("max_size "))
        .map(|v| {
            let (n, unit) = v.split_at(v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len()));
            n.parse::<u64>().unwrap()
                * match unit {
                    "MB" => 1_000_000,
                    "GB" => 1_000_000_000,
                    _ => 1,
                }
        })
        .collect();
    assert!(
        !limits.is_empty() && limits.iter().all(|&l| l >= 60_000_000),
        "tus PATCHes of 50 MB fit: {limits:?}"
    );
}
