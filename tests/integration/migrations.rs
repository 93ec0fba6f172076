//! Migrations: the same names for both backends, and up, down, up again.

use std::collections::BTreeSet;

use diesel::Connection;

use crate::helpers::{Backend, PgDatabase};

fn names(dir: &str) -> BTreeSet<String> {
    std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn both_backends_have_the_same_migrations() {
    let sqlite = names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, names("postgres"));
    for name in &sqlite {
        for dir in ["sqlite", "postgres"] {
            for file in ["up.sql", "down.sql"] {
                let path = format!(
                    "{}/migrations/{dir}/{name}/{file}",
                    env!("CARGO_MANIFEST_DIR")
                );
                assert!(std::path::Path::new(&path).is_file(), "{path} is missing");
            }
        }
    }
}

fn round_trip(url: &str) {
    let mut conn = laatu::db::DbConn::establish(url).unwrap();
    laatu::db::run_migrations(&mut conn).unwrap();
    laatu::db::revert_all_migrations(&mut conn).unwrap();
    laatu::db::run_migrations(&mut conn).unwrap();
}

#[test]
fn sqlite_migrations_go_up_down_and_up() {
    let dir = tempfile::tempdir().unwrap();
    round_trip(dir.path().join("m.db").to_str().unwrap());
}

#[test]
fn postgres_migrations_go_up_down_and_up() {
    let Some(Backend::Postgres(server)) = Backend::postgres() else {
        eprintln!("LAATU_TEST_POSTGRES_URL not set: PostgreSQL variant not run");
        return;
    };
    let db = PgDatabase::create(&server);
    round_trip(&db.url);
}
