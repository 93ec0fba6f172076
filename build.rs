//! Rebuilds the crate when a migration is added or changed: the migrations
//! are embedded in the binary (`diesel_migrations::embed_migrations!`).

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
