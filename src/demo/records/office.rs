//! The office's records: order reviews signed off by the owner of sales,
//! and the quarterly supplier evaluations.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};
use serde_json::{Value, json};

use super::Demo;
use super::templates::{ORDER_REVIEW, SUPPLIER};
use crate::error::AppResult;
use crate::records::form::RecordMeaning;

/// Orders reviewed by sales: (days ago, who, customer, order, drawing,
/// quantity, days to delivery, can meet, decision, notes).
type Order = (
    i64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    bool,
    &'static str,
    &'static str,
);

const ORDERS: &[Order] = &[
    (
        89,
        "james",
        "Pirkan Hydrauliikka Oy",
        "PO 77120",
        "4410-220 C",
        200,
        28,
        true,
        "accept",
        "",
    ),
    (
        84,
        "emma",
        "Nordic Lift Systems AB",
        "PO-SE-3391",
        "NL-5120-018 B",
        60,
        35,
        true,
        "accept",
        "",
    ),
    (
        76,
        "james",
        "Ferrum Marine Oy",
        "Tarjous T-2291",
        "FM-3305-101 A",
        40,
        21,
        false,
        "decline",
        "Asiakas tarvitsee osat kolmessa viikossa; duplex-teräksen toimitusaika on kuusi viikkoa. Tarjottu kuutta viikkoa, asiakas kieltäytyi. / The customer needs the parts in three weeks; duplex steel takes six weeks to arrive. We offered six weeks; the customer declined.",
    ),
    (
        69,
        "emma",
        "Tampereen Paperikone Oy",
        "TPK-46620",
        "TPK-88-410 D",
        12,
        42,
        true,
        "accept_changed",
        "Pintakäsittely muutettu sinkityksestä kemialliseen nikkeliin asiakkaan kanssa sovitusti (sähköposti 12.). / Surface treatment changed from zinc to electroless nickel as agreed with the customer (e-mail).",
    ),
    (
        62,
        "james",
        "Pirkan Hydrauliikka Oy",
        "PO 77254",
        "4410-220 C",
        250,
        28,
        true,
        "accept",
        "",
    ),
    (
        55,
        "emma",
        "Kone-Asennus Virtanen Oy",
        "KAV-118",
        "KAV-2001 A",
        8,
        14,
        true,
        "accept",
        "Pikatilaus; koneaika varattu viikolle. / Rush order; machine time booked for the week.",
    ),
    (
        47,
        "james",
        "Nordic Lift Systems AB",
        "PO-SE-3460",
        "NL-5120-018 B",
        120,
        35,
        true,
        "accept",
        "",
    ),
    (
        33,
        "emma",
        "Ferrum Marine Oy",
        "FM-2026-77",
        "FM-3305-104 A",
        30,
        49,
        true,
        "accept",
        "Ainestodistus EN 10204 3.1 ja mittauspöytäkirja vaaditaan. / Material certificate EN 10204 3.1 and a measurement report are required.",
    ),
    (
        9,
        "emma",
        "Pirkan Hydrauliikka Oy",
        "PO 77431",
        "4410-221 A",
        150,
        30,
        true,
        "accept",
        "",
    ),
    (
        2,
        "james",
        "Kone-Asennus Virtanen Oy",
        "KAV-131",
        "KAV-2001 B",
        16,
        21,
        true,
        "accept",
        "",
    ),
];

fn order_values(o: &Order, at: NaiveDateTime, quantity: i64) -> Value {
    let (_, _, customer, order, drawing, _, lead, can_meet, decision, note) = *o;
    json!({
        "customer": customer,
        "order_ref": order,
        "drawing": drawing,
        "quantity": quantity,
        "delivery_date": (at.date() + TimeDelta::days(lead)).to_string(),
        "requirements_clear": true,
        "can_meet": can_meet,
        "differences_resolved": true,
        "decision": decision,
        "notes": note,
    })
}

pub(super) fn order_reviews(d: &mut Demo) -> AppResult<()> {
    for o in ORDERS {
        let (days, by, quantity) = (o.0, o.1, o.5);
        let at = d.at(days, 7, 15);
        // One quantity was typed wrong and corrected before the review.
        let typed = if o.3 == "PO 77254" { 205 } else { quantity };
        let number = d.submit(ORDER_REVIEW, by, order_values(o, at, typed), at)?;
        if typed != quantity {
            d.correct(
                &number,
                by,
                order_values(o, at, quantity),
                "Määrä kirjoitettu väärin: tilauksessa 250 kpl, ei 205. / Quantity mistyped: the order is for 250 pcs, not 205.",
                at + TimeDelta::minutes(25),
            )?;
        }
        // The owner of sales reviews within a day; the newest wait for her.
        if days > 10 {
            d.sign(
                &number,
                "maria",
                RecordMeaning::Reviewed,
                at + TimeDelta::hours(5),
            )?;
        }
    }
    Ok(())
}

/// The quarter before `day`, as the evaluation period (`Q3 2026`).
fn previous_quarter(day: NaiveDate) -> String {
    let q = (day.month0() / 3) as i32; // 0..3: the quarter `day` is in
    let (year, quarter) = if q == 0 {
        (day.year() - 1, 4)
    } else {
        (day.year(), q)
    };
    format!("Q{quarter} {year}")
}

/// (who, supplier, what they supply, quality, delivery, communication,
/// on time %, rating, actions)
type Evaluation = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    i64,
    f64,
    &'static str,
    &'static str,
);

pub(super) fn supplier_evaluations(d: &mut Demo) -> AppResult<()> {
    let rows: [Evaluation; 5] = [
        (
            "riikka",
            "Teräspalvelu Laine Oy",
            "Teräs- ja RST-tanko / steel and stainless bar",
            5,
            4,
            4,
            96.0,
            "approved",
            "",
        ),
        (
            "riikka",
            "Alumiinitukku Nordal Oy",
            "Alumiinitanko ja -levy / aluminium bar and plate",
            4,
            5,
            4,
            98.5,
            "approved",
            "",
        ),
        (
            "riikka",
            "Pinnoite Hämeenlinna Oy",
            "Sinkitys ja kemiallinen nikkeli / zinc and electroless nickel plating",
            3,
            2,
            3,
            71.4,
            "conditional",
            "Viikoittainen toimitusaikataulu sähköpostilla; uusi arvio seuraavalla neljänneksellä. / A weekly delivery schedule by e-mail; evaluated again next quarter.",
        ),
        (
            "riikka",
            "Lämpökäsittely Kangasala Oy",
            "Karkaisu ja päästö / hardening and tempering",
            2,
            3,
            2,
            85.0,
            "not_approved",
            "Kaksi erää palautettu, kovuus alle vaatimuksen; todistukset myöhässä. Uudet tilaukset siirretty toiselle toimittajalle, auditointi ennen uutta hyväksyntää. / Two lots below the hardness required, certificates late. New orders go to another provider; an audit before any new approval.",
        ),
        (
            "maria",
            "Kuljetus Mäkelä Oy",
            "Kuljetukset / transport",
            4,
            4,
            5,
            93.0,
            "approved",
            "",
        ),
    ];
    for (i, (by, supplier, supplies, quality, delivery, comm, on_time, rating, actions)) in
        rows.into_iter().enumerate()
    {
        let at = d.at(62 - i as i64, 9, 10);
        let values = json!({
            "supplier": supplier,
            "supplies": supplies,
            "period": previous_quarter(at.date()),
            "quality": quality,
            "delivery": delivery,
            "communication": comm,
            "on_time": on_time,
            "rating": rating,
            "actions": actions,
        });
        d.submit(SUPPLIER, by, values, at)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_period_is_the_quarter_before() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(previous_quarter(day(2026, 10, 1)), "Q3 2026");
        assert_eq!(previous_quarter(day(2026, 12, 31)), "Q3 2026");
        assert_eq!(previous_quarter(day(2026, 4, 2)), "Q1 2026");
        assert_eq!(previous_quarter(day(2027, 1, 15)), "Q4 2026");
    }
}
