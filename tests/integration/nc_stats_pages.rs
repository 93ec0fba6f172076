//! Nonconformity statistics as a page and as downloads: the SVG charts
//! parsed as XML, a bar per process; the CSV tables parsed as CSV, with a
//! formula-like process name neutralised; on the cases of `nc_stats.rs`.

use reqwest::StatusCode;

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, client, page_login, spawn_app};
use crate::nc_stats::{PURCH_NAME, day, seven_cases};

backend_tests!(the_page_draws_the_charts_and_the_tables_download_as_csv);

/// What an SVG chart holds: its label, and the tooltip of each bar.
#[derive(Debug)]
struct Chart {
    label: String,
    bars: Vec<String>,
}

/// Parses an SVG as XML (panicking if it is not well-formed) and reads its
/// `aria-label`, `<title>` and bars.
fn parse_chart(svg: &str) -> Chart {
    use quick_xml::Reader;
    use quick_xml::escape::resolve_predefined_entity;
    use quick_xml::events::Event;
    let mut reader = Reader::from_str(svg);
    let (mut label, mut title, mut bars) = (None, None::<String>, Vec::new());
    let mut in_bar = false;
    let mut depth = 0;
    let mut text = String::new();
    loop {
        match reader.read_event().expect("the chart is well-formed XML") {
            Event::Eof => break,
            Event::Start(e) => {
                depth += 1;
                let attr = |name: &str| {
                    e.attributes()
                        .map(|a| a.expect("a well-formed attribute"))
                        .find(|a| a.key.as_ref() == name.as_bytes())
                        .map(|a| a.unescape_value().unwrap().to_string())
                };
                match e.name().as_ref() {
                    b"svg" => {
                        assert_eq!(attr("role").as_deref(), Some("img"));
                        label = attr("aria-label");
                    }
                    b"rect" if attr("class").as_deref() == Some("bar") => in_bar = true,
                    b"title" => text.clear(),
                    _ => {}
                }
            }
            Event::Empty(e) => {
                assert_ne!(e.name().as_ref(), b"rect", "every bar has a tooltip");
            }
            Event::Text(t) => text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => {
                let c = if r.is_char_ref() {
                    r.resolve_char_ref().unwrap().unwrap().to_string()
                } else {
                    let name = r.decode().unwrap();
                    resolve_predefined_entity(&name)
                        .unwrap_or_else(|| panic!("unknown entity &{name};"))
                        .to_string()
                };
                text.push_str(&c);
            }
            Event::End(e) => {
                depth -= 1;
                match e.name().as_ref() {
                    b"title" if in_bar => bars.push(text.clone()),
                    b"title" if depth == 1 => title = Some(text.clone()),
                    b"rect" => in_bar = false,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let label = label.expect("an aria-label");
    assert_eq!(
        title.as_deref(),
        Some(label.as_str()),
        "title and label agree"
    );
    Chart { label, bars }
}

/// The `<svg>...</svg>` elements of a page, exactly as the server wrote them.
fn svgs(html: &str) -> Vec<&str> {
    html.match_indices("<svg ")
        .map(|(i, _)| {
            let end = html[i..].find("</svg>").expect("a closed svg") + i + "</svg>".len();
            &html[i..end]
        })
        .collect()
}

/// Reads a CSV download; `delimiter` is `,` for English and `;` for Finnish.
fn csv_records_with(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let body = bytes
        .strip_prefix("\u{feff}".as_bytes())
        .expect("a byte-order mark for Excel");
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_string).collect())
        .collect()
}

fn csv_records(bytes: &[u8]) -> Vec<Vec<String>> {
    csv_records_with(bytes, b',')
}

async fn the_page_draws_the_charts_and_the_tables_download_as_csv(backend: Backend) {
    let app = spawn_app(backend).await;
    seven_cases(&app).await;
    let c = page_login(&app, "sam", PASSWORD).await;

    let res = app.client_get(&c, "/nonconformities/stats").await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Nonconformity statistics"));
    let charts: Vec<Chart> = svgs(&html).into_iter().map(parse_chart).collect();
    assert_eq!(charts.len(), 3, "{charts:?}");
    let chart = |label: &str| {
        charts
            .iter()
            .find(|c| c.label == label)
            .unwrap_or_else(|| panic!("no chart {label}: {charts:?}"))
    };
    assert_eq!(chart("Reports per month").bars.len(), 12);
    assert_eq!(
        chart("Nonconformities by responsible process").bars,
        [
            "PROD Production: 3".to_string(),
            format!("PURCH {PURCH_NAME}: 3"),
            "SALES Sales: 1".to_string(),
        ],
        "a bar per process, the name escaped and read back whole"
    );
    assert_eq!(
        chart("Internal complaints received per process").bars,
        [
            "PROD Production: 1".to_string(),
            format!("PURCH {PURCH_NAME}: 2"),
            "SALES Sales: 0".to_string(),
        ]
    );
    assert!(
        !html.contains("<Purchasing>"),
        "escaped in charts and tables"
    );

    // The tables link their downloads, with the range shown.
    let (yesterday, tomorrow) = (day(-1), day(1));
    let filtered = app
        .client_get(
            &c,
            &format!("/nonconformities/stats?from={yesterday}&to={tomorrow}"),
        )
        .await
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&filtered);
    let sel = scraper::Selector::parse("a[download]").unwrap();
    let links: Vec<&str> = doc
        .select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    let range = format!("?from={yesterday}&to={tomorrow}");
    assert_eq!(
        links,
        ["by-month", "by-process", "by-kind", "complaints"]
            .map(|t| format!("/nonconformities/stats/{t}.csv{range}"))
    );
    let sel = scraper::Selector::parse("input[name=from]").unwrap();
    assert_eq!(
        doc.select(&sel).next().unwrap().value().attr("value"),
        Some(yesterday.as_str()),
        "the form keeps the range"
    );

    // A bad range is shown on the page, translated.
    let res = app
        .client_get(&c, "/nonconformities/stats?from=2026-07-02&to=2026-07-01")
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text().await.unwrap();
    assert!(
        text.contains("The end date is before the start date."),
        "{text}"
    );
    assert!(svgs(&text).is_empty());

    // By process, as a spreadsheet reads it.
    let res = app
        .client_get(&c, "/nonconformities/stats/by-process.csv")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"nonconformities-by-process.csv\"; filename*=UTF-8''nonconformities%2Dby%2Dprocess.csv"
    );
    let rows = csv_records(&res.bytes().await.unwrap());
    let neutralised = format!("'{PURCH_NAME}");
    assert_eq!(
        rows,
        [
            [
                "Code",
                "Process",
                "Responsible for",
                "Detected in",
                "Open",
                "Overdue"
            ],
            ["PROD", "Production", "3", "4", "1", "0"],
            ["PURCH", neutralised.as_str(), "3", "1", "2", "1"],
            ["SALES", "Sales", "1", "1", "1", "1"],
        ]
    );

    // The others, in Finnish.
    let fi = |path: &str| c.get(app.url(path)).header("accept-language", "fi").send();
    let res = fi("/nonconformities/stats").await.unwrap();
    assert!(res.text().await.unwrap().contains("Poikkeamatilastot"));
    let res = fi("/nonconformities/stats/complaints.csv").await.unwrap();
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"nonconformities-complaints.csv\"; filename*=UTF-8''nonconformities%2Dcomplaints.csv"
    );
    let rows = csv_records_with(&res.bytes().await.unwrap(), b';');
    assert_eq!(
        rows[0],
        ["Tunnus", "Prosessi", "Saadut sisäiset reklamaatiot"]
    );
    assert_eq!(rows[2], ["PURCH", neutralised.as_str(), "2"]);
    let rows = csv_records_with(
        &fi(&format!(
            "/nonconformities/stats/by-kind.csv?from={yesterday}"
        ))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap(),
        b';',
    );
    assert_eq!(rows.len(), 8, "a header and a row per kind");
    assert_eq!(rows[0], ["Laji", "Poikkeamia"]);
    assert_eq!(
        rows[1],
        ["Poikkeama", "0"],
        "the deviations were reported earlier"
    );
    assert_eq!(rows[2], ["Sisäinen reklamaatio", "3"]);
    let rows = csv_records(
        &app.client_get(&c, "/nonconformities/stats/by-month.csv")
            .await
            .bytes()
            .await
            .unwrap(),
    );
    assert_eq!(rows.len(), 13);
    assert_eq!(
        rows[12][0],
        crate::helpers::test_now_utc().format("%Y-%m").to_string()
    );

    // Nothing else downloads; nobody downloads without logging in.
    for path in [
        "/nonconformities/stats/by-severity.csv",
        "/nonconformities/stats/secrets.csv",
        "/nonconformities/stats/by-process.txt",
    ] {
        assert_eq!(
            app.client_get(&c, path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let res = app
        .client_get(&c, "/nonconformities/stats/by-kind.csv?to=someday")
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for path in [
        "/nonconformities/stats",
        "/nonconformities/stats/by-kind.csv",
    ] {
        let res = app.client_get(&client(), path).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(
            res.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/login?next="),
            "{path}"
        );
    }
}
