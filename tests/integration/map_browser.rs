//! In a real browser, on the demo company: the process map's labels are
//! measured where they are drawn (at least 12 px tall, none overlapping,
//! each process box a link to its page), and the KPI trends and the
//! nonconformity statistics are drawn in the page, in Finnish, with axes,
//! values and whole labels. Screenshots at 1400×1000 and at 390×844.

use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::browser::{browser_login, open_browser, screenshot, start_driver};
use crate::helpers::{Backend, spawn_demo_app};

/// Each label of the map as the browser lays it out: its text, whether it
/// names a process, its box on screen, its font size on screen, the box
/// of its process and where that box links to.
const MAP_LABELS: &str = r#"
const svg = document.querySelector('figure.map svg');
const rect = r => [r.left, r.top, r.width, r.height];
return {
  svg: rect(svg.getBoundingClientRect()),
  width_attr: Number(svg.getAttribute('width')),
  figure: rect(svg.closest('figure').getBoundingClientRect()),
  scroll: [svg.closest('figure').scrollWidth, svg.closest('figure').clientWidth],
  labels: [...svg.querySelectorAll('text.label')].map(t => {
    const node = t.closest('g.node');
    const link = t.closest('a');
    return {
      text: t.textContent,
      process: !!node && !node.classList.contains('external'),
      key: node ? node.dataset.key : null,
      at: rect(t.getBoundingClientRect()),
      font: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
      family: getComputedStyle(t).fontFamily,
      box: node ? rect(node.querySelector('rect').getBoundingClientRect()) : null,
      href: link ? link.getAttribute('href') : null,
    };
  }),
  page_font: getComputedStyle(document.body).fontFamily,
};
"#;

fn num(v: &Value) -> f64 {
    v.as_f64().expect("a number")
}

fn rect(v: &Value) -> [f64; 4] {
    let a = v.as_array().expect("a rectangle");
    [num(&a[0]), num(&a[1]), num(&a[2]), num(&a[3])]
}

/// Whether two rectangles share more than a hair (half a pixel).
fn overlap(a: [f64; 4], b: [f64; 4]) -> bool {
    let e = 0.5;
    a[0] + a[2] - e > b[0]
        && b[0] + b[2] - e > a[0]
        && a[1] + a[3] - e > b[1]
        && b[1] + b[3] - e > a[1]
}

/// Checks the map as laid out now and returns how many processes it shows.
fn check_map(m: &Value, width: u32) -> usize {
    let labels = m["labels"].as_array().unwrap();
    let processes: Vec<&Value> = labels.iter().filter(|l| l["process"] == true).collect();
    assert!(processes.len() >= 8, "{width}: every demo process: {m}");
    assert_eq!(
        m["labels"][0]["family"], m["page_font"],
        "{width}: the map's text is in the page's font"
    );
    // Not scaled: drawn at the size it was laid out for.
    let svg = rect(&m["svg"]);
    assert!(
        (svg[2] - num(&m["width_attr"])).abs() < 1.0,
        "{width}: the map is not shrunk: {m}"
    );
    for l in &processes {
        let at = rect(&l["at"]);
        assert!(at[3] >= 12.0, "{width}: {} is {} px tall", l["text"], at[3]);
        assert!(
            num(&l["font"]) >= 12.0,
            "{width}: {} font {}",
            l["text"],
            l["font"]
        );
        let key = l["key"].as_str().unwrap();
        assert_eq!(
            l["href"].as_str(),
            Some(format!("/processes/{key}").as_str()),
            "{width}: the box of {key} links to its page"
        );
        let b = rect(&l["box"]);
        assert!(
            at[0] >= b[0]
                && at[1] >= b[1]
                && at[0] + at[2] <= b[0] + b[2]
                && at[1] + at[3] <= b[1] + b[3],
            "{width}: {} stays inside its box: {at:?} in {b:?}",
            l["text"]
        );
    }
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            assert!(
                !overlap(rect(&a["at"]), rect(&b["at"])),
                "{width}: {} {:?} overlaps {} {:?}",
                a["text"],
                rect(&a["at"]),
                b["text"],
                rect(&b["at"])
            );
        }
    }
    processes.len()
}

async fn map_steps(
    browser: &Client,
    app: &crate::helpers::TestApp,
) -> Result<(), fantoccini::error::CmdError> {
    browser_login(browser, app, "laura", laatu::demo::DEMO_PASSWORD).await?;
    browser.set_window_size(1400, 1000).await?;
    browser.goto(&app.url("/processes/map")).await?;
    browser
        .wait()
        .for_element(Locator::Css("figure.map svg text.label"))
        .await?;
    let wide = browser.execute(MAP_LABELS, vec![]).await?;
    let shown = check_map(&wide, 1400);
    // At 1400 px the whole map fits: nothing to scroll.
    let scroll = wide["scroll"].as_array().unwrap();
    assert!(
        num(&scroll[0]) <= num(&scroll[1]) + 1.0,
        "fits at 1400 px: {wide}"
    );
    screenshot("map-1400.png", browser.screenshot().await?);
    screenshot(
        "map-1400-whole.png",
        browser
            .find(Locator::Css("figure.map svg"))
            .await?
            .screenshot()
            .await?,
    );

    // Every flow is in the list under the map, whether or not the drawing
    // had room for its label.
    let rows = browser
        .find_all(Locator::Css("section.map-flows tbody tr"))
        .await?;
    assert!(rows.len() >= 15, "the demo's flows: {}", rows.len());

    browser.set_window_size(390, 844).await?;
    browser.goto(&app.url("/processes/map")).await?;
    browser
        .wait()
        .for_element(Locator::Css("figure.map svg text.label"))
        .await?;
    let narrow = browser.execute(MAP_LABELS, vec![]).await?;
    assert_eq!(check_map(&narrow, 390), shown, "the same map on a phone");
    screenshot("map-390.png", browser.screenshot().await?);
    browser
        .execute(
            "document.querySelector('section.map-flows').scrollIntoView()",
            vec![],
        )
        .await?;
    screenshot("map-390-flows.png", browser.screenshot().await?);

    // A box is a link to its process's page.
    browser.set_window_size(1400, 1000).await?;
    browser.goto(&app.url("/processes/map")).await?;
    browser
        .wait()
        .for_element(Locator::Css("figure.map svg a[href='/processes/PROD']"))
        .await?
        .click()
        .await?;
    browser
        .wait()
        .for_element(Locator::Css(".t-measures"))
        .await?;
    assert_eq!(browser.current_url().await?.path(), "/processes/PROD");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_process_map_is_legible_and_every_box_links_to_its_process() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_demo_app(Backend::Sqlite).await;
    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    let result = map_steps(&browser, &app).await;
    let _ = browser.close().await;
    result.expect("browser steps");
}

/// The texts of each trend chart of the page, by class.
const TRENDS: &str = r#"
return [...document.querySelectorAll('.kpi svg.trend')].map(svg => {
  const texts = cls => [...svg.querySelectorAll('text.' + cls)].map(t => t.textContent);
  const r = svg.getBoundingClientRect();
  const inside = [...svg.querySelectorAll('text')].every(t => {
    const b = t.getBoundingClientRect();
    return b.width === 0 || (b.left >= r.left - 1 && b.right <= r.right + 1);
  });
  return {
    ticks: texts('tick'), values: texts('value'), periods: texts('period'),
    target: texts('target-label'), points: svg.querySelectorAll('circle').length,
    width: r.width, inside,
  };
});
"#;

/// The statistics charts: their width against their figure's, and whether
/// every label lies inside its figure (a column's label may reach into the
/// figure's padding).
const STATS: &str = r#"
return [...document.querySelectorAll('.charts figure')].map(f => {
  const svg = f.querySelector('svg');
  const r = svg.getBoundingClientRect();
  const fr = f.getBoundingClientRect();
  const labels = [...svg.querySelectorAll('text.label')];
  return {
    id: f.id, width: r.width, figure: fr.width,
    labels: labels.map(t => t.textContent),
    inside: labels.every(t => { const b = t.getBoundingClientRect(); return b.width === 0 || (b.left >= fr.left && b.right <= fr.right); }),
  };
});
"#;

async fn chart_steps(
    browser: &Client,
    app: &crate::helpers::TestApp,
) -> Result<(), fantoccini::error::CmdError> {
    browser_login(browser, app, "laura", laatu::demo::DEMO_PASSWORD).await?;
    browser
        .find(Locator::Css("#lang-select"))
        .await?
        .select_by_value("fi")
        .await?;
    browser
        .find(Locator::Css("form.lang button"))
        .await?
        .click()
        .await?;
    browser
        .wait()
        .for_element(Locator::Css("html[lang=fi]"))
        .await?;
    for (w, h) in [(1400, 1000), (390, 844)] {
        browser.set_window_size(w, h).await?;
        browser.goto(&app.url("/processes/PROD")).await?;
        browser
            .wait()
            .for_element(Locator::Css(".kpi svg.trend"))
            .await?;
        let trends = browser.execute(TRENDS, vec![]).await?;
        let trends = trends.as_array().unwrap();
        assert!(trends.len() >= 2, "{trends:?}");
        for t in trends {
            assert!(num(&t["width"]) > 280.0, "{w}: {t}");
            assert_eq!(t["inside"], true, "{w}: no text leaves its chart: {t}");
            let ticks: Vec<&str> = t["ticks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert!(ticks.len() >= 3, "{w}: a y axis with values: {t}");
            assert!(
                !ticks.iter().any(|s| s.contains("pcs")),
                "{w}: units in Finnish: {t}"
            );
            assert!(
                t["target"][0].as_str().unwrap().starts_with("Tavoite "),
                "{w}: the target line is labelled: {t}"
            );
            assert_eq!(t["points"].as_u64(), Some(12), "{w}: a year of months: {t}");
            let periods: Vec<&str> = t["periods"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert!(
                periods.iter().all(|p| !p.contains('-')),
                "{w}: month names: {periods:?}"
            );
            for v in t["values"].as_array().unwrap() {
                assert!(
                    !v.as_str().unwrap().contains('.'),
                    "{w}: decimal comma: {t}"
                );
            }
        }
        // The first quality KPI of production is in percent: a 90-100 %
        // axis, not a cliff from the lowest value.
        let yield_ticks = trends
            .iter()
            .find(|t| {
                t["ticks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s.as_str().unwrap().ends_with('%'))
            })
            .expect("a percentage KPI");
        assert!(
            yield_ticks["ticks"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s.as_str() == Some("100\u{a0}%")),
            "{yield_ticks}"
        );
        screenshot(&format!("kpi-{w}.png"), browser.screenshot().await?);
        browser
            .execute(
                "document.querySelector('.t-measures').scrollIntoView()",
                vec![],
            )
            .await?;
        screenshot(&format!("kpi-{w}-charts.png"), browser.screenshot().await?);

        browser.goto(&app.url("/nonconformities/stats")).await?;
        browser
            .wait()
            .for_element(Locator::Css(".charts svg"))
            .await?;
        let stats = browser.execute(STATS, vec![]).await?;
        for c in stats.as_array().unwrap() {
            assert!(
                num(&c["width"]) >= num(&c["figure"]) - 40.0,
                "{w}: the chart takes its figure's width: {c}"
            );
            assert_eq!(c["inside"], true, "{w}: whole labels: {c}");
            for l in c["labels"].as_array().unwrap() {
                let l = l.as_str().unwrap();
                assert!(
                    !l.ends_with('…') || l.ends_with(" …"),
                    "{w}: never cut mid-word: {l}"
                );
            }
        }
        screenshot(&format!("ncstats-{w}.png"), browser.screenshot().await?);
        browser
            .execute(
                "document.querySelector('#chart-processes').scrollIntoView()",
                vec![],
            )
            .await?;
        screenshot(
            &format!("ncstats-{w}-processes.png"),
            browser.screenshot().await?,
        );
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kpi_trends_and_statistics_have_axes_values_and_whole_labels_in_finnish() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_demo_app(Backend::Sqlite).await;
    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    let result = chart_steps(&browser, &app).await;
    let _ = browser.close().await;
    result.expect("browser steps");
}
