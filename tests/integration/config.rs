//! Configuration layering and unknown keys.

use std::process::Command;

use laatu::config::{Config, Overrides};

#[test]
fn layers_apply_in_order_defaults_file_flags() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("laatu.toml");
    std::fs::write(
        &file,
        "bind = \"0.0.0.0:9000\"\nsession_hours = 8\ntimezone = \"Europe/Helsinki\"\n",
    )
    .unwrap();
    let c = Config::load(Some(&file), &Overrides::default()).unwrap();
    assert_eq!(c.bind, "0.0.0.0:9000");
    assert_eq!(c.session_hours, 8);
    assert_eq!(c.login_free_failures, Config::default().login_free_failures);
    let c = Config::load(
        Some(&file),
        &Overrides {
            bind: Some("127.0.0.1:7000".into()),
            ..Overrides::default()
        },
    )
    .unwrap();
    assert_eq!(c.bind, "127.0.0.1:7000", "flags beat the file");
}

#[test]
fn bad_values_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    for (content, needle) in [
        ("timezone = \"Mars/Olympus\"", "Mars/Olympus"),
        ("log_format = \"xml\"", "log_format"),
        ("session_hours = \"long\"", "session_hours"),
    ] {
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, content).unwrap();
        let err = format!(
            "{:#}",
            Config::load(Some(&file), &Overrides::default()).unwrap_err()
        );
        assert!(err.contains(needle), "{err}");
    }
}

fn laatu_with(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_laatu"));
    cmd.current_dir(dir.path())
        .args(args)
        .env_remove("LAATU_DATABASE_URL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn unknown_keys_are_errors_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("laatu.toml");
    std::fs::write(&file, "bind = \"127.0.0.1:1\"\nsesion_hours = 3\n").unwrap();
    let (code, err) = laatu_with(&["--config", file.to_str().unwrap(), "check"], &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("sesion_hours"), "{err}");

    let (code, err) = laatu_with(&["check"], &[("LAATU_BIDN", "127.0.0.1:1")]);
    assert_eq!(code, Some(2));
    assert!(err.to_lowercase().contains("bidn"), "{err}");

    let (code, err) = laatu_with(&["--config", "/no/such/laatu.toml", "check"], &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn environment_sits_between_file_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("laatu.toml");
    let data = dir.path().join("from-file");
    std::fs::write(&file, format!("data_dir = \"{}\"\n", data.display())).unwrap();
    let env_data = dir.path().join("from-env");
    // `user list` opens the data folder it was configured with.
    let (code, err) = laatu_with(
        &["--config", file.to_str().unwrap(), "user", "list"],
        &[("LAATU_DATA_DIR", env_data.to_str().unwrap())],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(env_data.join("laatu.db").exists(), "env beats the file");
    assert!(!data.exists());
    let flag_data = dir.path().join("from-flag");
    let (code, err) = laatu_with(
        &[
            "--config",
            file.to_str().unwrap(),
            "--data-dir",
            flag_data.to_str().unwrap(),
            "user",
            "list",
        ],
        &[("LAATU_DATA_DIR", env_data.to_str().unwrap())],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(flag_data.join("laatu.db").exists(), "the flag beats env");
}

#[test]
fn public_address_and_proxies_are_read_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("laatu.toml");
    std::fs::write(
        &file,
        "public_url = \"https://Laatu.Example.com/\"\ntrusted_proxies = [\"127.0.0.1\", \"::1\"]\n",
    )
    .unwrap();
    let c = Config::load(Some(&file), &Overrides::default()).unwrap();
    assert_eq!(
        c.public_origin().unwrap().as_deref(),
        Some("https://laatu.example.com")
    );
    assert!(c.secure_cookies(), "https turns Secure cookies on");
    assert_eq!(c.trusted_proxies.len(), 2);
    assert!(!Config::default().secure_cookies());

    for (content, needle) in [
        ("public_url = \"laatu.example.com\"", "public_url"),
        ("trusted_proxies = [\"proxy.local\"]", "trusted_proxies"),
        ("login_max_failures = 5", "login_max_failures"),
    ] {
        std::fs::write(&file, content).unwrap();
        let err = format!(
            "{:#}",
            Config::load(Some(&file), &Overrides::default()).unwrap_err()
        );
        assert!(err.contains(needle), "{content}: {err}");
    }
    // From the environment too, as a list.
    let (code, err) = laatu_with(
        &["user", "list"],
        &[("LAATU_TRUSTED_PROXIES", "[\"10.0.0.1\"]")],
    );
    assert_eq!(code, Some(0), "{err}");
}
