//! Closed demo cases: corrective actions done, verified effective (one of
//! them only after a second analysis) and closed.

use super::DemoNc;
use super::Do::*;

pub const CASES: &[DemoNc] = &[
    DemoNc {
        reported: 355,
        detected_before: 0,
        reporter: "sanna",
        kind: "deviation",
        severity: "major",
        detected_in: "PROD",
        responsible: "PROD",
        title: "Jäysteitä laippojen porarei'issä, erä 4471",
        description: "Välitarkastuksessa 12 laipassa 40:stä (piirustus 3310-021 rev D) oli jäysteitä M10-kierrereikien ja Ø9-läpireikien suulla. Jäysteet tuntuvat sormella ja estävät ruuvien asennuksen asiakkaalla.",
        references: "Tilaus 10482, erä 4471, piirustus 3310-021 rev D",
        documents: &[],
        steps: &[
            (1, "pekka", Accept),
            (
                1,
                "pekka",
                Decide {
                    containment: "Erä 4471 siirretty karanteenihyllyyn; kaikki 40 laippaa tarkastettu reikäpeilillä.",
                    disposition: Some("rework"),
                    note: "12 laipan reiät purseenpoistetaan uudelleen käsin ja tarkastetaan 100 %. Päätös: Pekka Virtanen.",
                },
            ),
            (
                4,
                "pekka",
                Analyse {
                    whys: &[
                        "Reikien suulle jäi jäysteitä.",
                        "Purseenpoisto tehtiin vain ulkoreunoille.",
                        "Työvaiheohjeessa ei mainita reikien purseenpoistoa.",
                        "Reiät lisättiin piirustukseen revisiossa D, eikä ohjetta päivitetty.",
                    ],
                    root_cause: "Laippojen työvaiheohje on laadittu ennen piirustuksen revisiota D eikä kata reikiä.",
                    category: "method",
                    check_in: None,
                },
            ),
            (
                4,
                "pekka",
                Plan {
                    description: "Lisää reikien purseenpoisto ja tarkastus reikäpeilillä laippojen työvaiheohjeeseen.",
                    owner: "pekka",
                    due_in: 14,
                    document: None,
                },
            ),
            (
                4,
                "pekka",
                Plan {
                    description: "Perehdytä iltavuoro päivitettyyn työvaiheohjeeseen.",
                    owner: "sanna",
                    due_in: 21,
                    document: None,
                },
            ),
            (
                12,
                "pekka",
                Done {
                    action: 0,
                    note: "Työvaiheohje päivitetty ja tulostettu koneelle 7; reikäpeili hankittu työpisteeseen.",
                },
            ),
            (
                18,
                "sanna",
                Done {
                    action: 1,
                    note: "Iltavuoron viisi koneistajaa perehdytetty, kuittaukset perehdytyslomakkeella.",
                },
            ),
            (
                50,
                "laura",
                Effective("Seuraavat kuusi laippaerää (240 kpl) tarkastettu: ei jäysteitä."),
            ),
            (51, "laura", Close("")),
        ],
    },
    DemoNc {
        reported: 340,
        detected_before: 1,
        reporter: "james",
        kind: "supplier",
        severity: "major",
        detected_in: "PROD",
        responsible: "PURCH",
        title: "Heat number on the material certificate does not match the bar",
        description: "The 42CrMo4 Ø60 bar from Teräs Oy is stamped with heat 51A2290, but the EN 10204 3.1 certificate delivered with it names heat 51A2117. We cannot prove the material of the parts turned from it.",
        references: "Purchase order PO-2291, Teräs Oy delivery note 88412",
        documents: &["WI-001"],
        steps: &[
            (1, "maria", Accept),
            (
                1,
                "maria",
                Decide {
                    containment: "All six bars put on hold and labelled; the 14 shafts already turned from them kept apart and not shipped.",
                    disposition: Some("return"),
                    note: "Bars returned to Teräs Oy for exchange. The 14 shafts wait for the right certificate.",
                },
            ),
            (
                3,
                "maria",
                Analyse {
                    whys: &[
                        "The certificate did not match the heat stamped on the bar.",
                        "Teräs Oy's warehouse attached the certificate of an earlier delivery.",
                        "Their dispatch does not compare the heat number on the bar with the certificate.",
                        "Our incoming inspection checks that there is a certificate, not that its heat number matches.",
                    ],
                    root_cause: "Neither the supplier's dispatch nor our incoming inspection compares the heat number on the bar with the certificate.",
                    category: "supplier",
                    check_in: None,
                },
            ),
            (
                3,
                "maria",
                Plan {
                    description: "Ask Teräs Oy for an 8D report and a heat number check at dispatch.",
                    owner: "maria",
                    due_in: 21,
                    document: None,
                },
            ),
            (
                3,
                "maria",
                Plan {
                    description: "Brief the receivers to read the heat number on every bar against the certificate (WI-001 step 2).",
                    owner: "james",
                    due_in: 14,
                    document: None,
                },
            ),
            (
                9,
                "james",
                Done {
                    action: 1,
                    note: "Receivers briefed at the Monday meeting; the heat numbers are now ticked off on the delivery note.",
                },
            ),
            (
                17,
                "maria",
                Done {
                    action: 0,
                    note: "8D received: Teräs Oy's dispatch now scans the heat number on the bar and on the certificate. The right certificate for heat 51A2290 came, and the 14 shafts were released.",
                },
            ),
            (
                60,
                "olli",
                Effective(
                    "Seven deliveries from Teräs Oy since: heat numbers and certificates matched every time.",
                ),
            ),
            (
                61,
                "olli",
                Close("Supplier evaluation of Teräs Oy updated with this case."),
            ),
        ],
    },
    DemoNc {
        reported: 320,
        detected_before: 0,
        reporter: "pekka",
        kind: "customer_complaint",
        severity: "critical",
        detected_in: "CS",
        responsible: "PROD",
        title: "Asiakas palautti 200 akselia: laakeripaikan halkaisija ylittää toleranssin",
        description: "Pumppu Oy:n vastaanottotarkastus mittasi akseleiden 4410-007 laakeripaikan Ø25 k6 halkaisijaksi 25,018–25,024 mm (sallittu 25,002–25,015). Laakerit eivät mene paikoilleen. Asiakas palautti koko erän ja pyytää korjaavat toimenpiteet kahdessa viikossa.",
        references: "Asiakas Pumppu Oy, reklamaatio R-0193, tilaus 10511, erä 4502, piirustus 4410-007 rev B",
        documents: &[],
        steps: &[
            (1, "pekka", Accept),
            (
                1,
                "pekka",
                Decide {
                    containment: "Palautetut 200 akselia ja varaston 60 akselia mitattu: 212 ylimittaisia. Asiakkaalle lähetetty seuraavana päivänä 40 hyväksyttyä akselia varastosta.",
                    disposition: Some("rework"),
                    note: "Ylimittaiset akselit hiotaan mittaan Ø25 k6 ja mitataan 100 %. Päätös: Pekka Virtanen; asiakas hyväksyi korjauksen puhelimessa.",
                },
            ),
            (
                5,
                "pekka",
                Analyse {
                    whys: &[
                        "Laakeripaikka sorvattiin ylimittaiseksi.",
                        "Koneistaja ei korjannut terän kulumaa työkalukorjaimeen.",
                        "Välimittaus tehtiin vain erän alussa.",
                        "Välimittauksen väliä ei ole määritelty.",
                    ],
                    root_cause: "Terän kulumaa ei seurattu, koska välimittauksen väliä ei ollut määritelty.",
                    category: "people",
                    check_in: None,
                },
            ),
            (
                5,
                "pekka",
                Plan {
                    description: "Määritä laakeripaikkojen välimittaus joka 20. kappaleelle ja kirjaa se mittapöytäkirjaan.",
                    owner: "sanna",
                    due_in: 10,
                    document: None,
                },
            ),
            (
                5,
                "pekka",
                Plan {
                    description: "Kouluta koneistajat työkalukorjainten käyttöön.",
                    owner: "pekka",
                    due_in: 14,
                    document: None,
                },
            ),
            (
                12,
                "sanna",
                Done {
                    action: 0,
                    note: "Mittapöytäkirjaan lisätty välimittaussarake; ohje sorvin 3 vieressä.",
                },
            ),
            (
                14,
                "pekka",
                Done {
                    action: 1,
                    note: "Kuusi koneistajaa koulutettu, kaksi tuntia; osallistujalista tallessa.",
                },
            ),
            (
                45,
                "laura",
                NotEffective(
                    "Erässä 4560 taas yhdeksän ylimittaista akselia, vaikka välimittaus tehtiin. Ylimitta oli aamun ensimmäisissä kappaleissa, joten syy ei ole terän kuluminen.",
                ),
            ),
            (
                47,
                "pekka",
                Analyse {
                    whys: &[
                        "Aamun ensimmäiset kappaleet olivat ylimittaisia.",
                        "Sorvin 3 kara lämpenee ja venyy ensimmäisen käyttötunnin aikana.",
                        "Sorvia ei lämmitetä ennen tarkkuustöitä.",
                    ],
                    root_cause: "Sorvin 3 karan lämpölaajeneminen: tarkkuustyöt aloitetaan kylmällä koneella.",
                    category: "machine",
                    check_in: Some(60),
                },
            ),
            (
                47,
                "pekka",
                Plan {
                    description: "Tee sorville 3 vartin lämmitysohjelma, joka ajetaan ennen tarkkuustöitä.",
                    owner: "pekka",
                    due_in: 7,
                    document: None,
                },
            ),
            (
                47,
                "pekka",
                Plan {
                    description: "Lisää aamun viiden ensimmäisen kappaleen 100 % mittaus mittapöytäkirjaan.",
                    owner: "sanna",
                    due_in: 14,
                    document: None,
                },
            ),
            (
                52,
                "pekka",
                Done {
                    action: 2,
                    note: "Lämmitysohjelma O9001 tehty ja lisätty aamun aloitusrutiiniin.",
                },
            ),
            (
                56,
                "sanna",
                Done {
                    action: 3,
                    note: "Lisätty; mittaukset kirjataan kahden kuukauden ajan.",
                },
            ),
            (
                108,
                "laura",
                Effective(
                    "Kahden kuukauden seuranta: 1 840 akselia, ei yhtään ylimittaista. Asiakas vahvisti reklamaation päättyneeksi.",
                ),
            ),
            (110, "olli", Close("Asiakkaalle lähetetty 8D-raportti.")),
        ],
    },
    DemoNc {
        reported: 300,
        detected_before: 1,
        reporter: "maria",
        kind: "customer_complaint",
        severity: "major",
        detected_in: "CS",
        responsible: "DELIV",
        title: "Rust on the machined faces of hydraulic blocks at the customer",
        description: "Nordic Hydraulics AB found surface rust on the sealing faces of 60 valve blocks 5120-300 when they arrived in Gothenburg after two weeks at sea. The blocks cannot be assembled as they are.",
        references: "Customer Nordic Hydraulics AB, order 10530, delivery 7781, drawing 5120-300 rev A",
        documents: &[],
        steps: &[
            (1, "pekka", Accept),
            (
                2,
                "pekka",
                Decide {
                    containment: "The 140 blocks still in stock inspected: no rust. Stock re-oiled and wrapped.",
                    disposition: Some("rework"),
                    note: "The customer's local partner cleans, laps and re-oils the 60 blocks at our cost. Decided by Pekka Virtanen with the customer's buyer.",
                },
            ),
            (3, "pekka", Link("WI-002")),
            (
                6,
                "pekka",
                Analyse {
                    whys: &[
                        "The sealing faces rusted in transit.",
                        "The oil film does not last two weeks of sea freight.",
                        "The blocks were packed as for a two-day road delivery.",
                        "The packing instruction WI-002 has one way of packing for every transport.",
                    ],
                    root_cause: "The packing instruction does not tell long sea transport from road deliveries.",
                    category: "method",
                    check_in: None,
                },
            ),
            (
                6,
                "pekka",
                Plan {
                    description: "Pack every sea-freight delivery in VCI bags with desiccant; note on the packing station until WI-002 is next revised.",
                    owner: "pekka",
                    due_in: 21,
                    document: None,
                },
            ),
            (
                6,
                "pekka",
                Plan {
                    description: "Buy VCI bags and desiccant in the sizes we use.",
                    owner: "maria",
                    due_in: 14,
                    document: None,
                },
            ),
            (
                11,
                "maria",
                Done {
                    action: 1,
                    note: "Ordered from our packaging supplier; 500 bags in stock.",
                },
            ),
            (
                15,
                "pekka",
                Done {
                    action: 0,
                    note: "Note on the packing station, packers briefed, export orders flagged in the ERP.",
                },
            ),
            (
                70,
                "laura",
                Effective(
                    "Four sea deliveries to Nordic Hydraulics since; the customer confirmed no rust on any of them.",
                ),
            ),
            (71, "laura", Close("")),
        ],
    },
    DemoNc {
        reported: 270,
        detected_before: 0,
        reporter: "laura",
        kind: "audit_finding",
        severity: "minor",
        detected_in: "IMPR",
        responsible: "HR",
        title: "Perehdytys kirjaamatta kahdelta uudelta työntekijältä",
        description: "Sisäisessä auditoinnissa kahdelta viimeksi aloittaneelta koneistajalta ei löytynyt perehdytyslomaketta eikä merkintää osaamismatriisissa. Työnjohdon mukaan perehdytys on tehty. ISO 9001 7.2 d edellyttää dokumentoitua tietoa osaamisesta.",
        references: "Sisäinen auditointi SA-3, tuotanto; ISO 9001 7.2",
        documents: &[],
        steps: &[
            (1, "olli", Accept),
            (
                3,
                "olli",
                Analyse {
                    whys: &[
                        "Perehdytyslomakkeet puuttuvat.",
                        "Työnjohtaja perehdytti, mutta lomake jäi täyttämättä.",
                        "Lomake on paperinen ja jää helposti kansioon.",
                        "Kukaan ei tarkista perehdytyksen kirjaamista koeajan lopussa.",
                    ],
                    root_cause: "Perehdytyksen kirjaamista ei tarkisteta missään vaiheessa.",
                    category: "management",
                    check_in: None,
                },
            ),
            (
                3,
                "olli",
                Plan {
                    description: "Täydennä kahden koneistajan perehdytyslomakkeet ja osaamismatriisi.",
                    owner: "olli",
                    due_in: 14,
                    document: None,
                },
            ),
            (
                3,
                "olli",
                Plan {
                    description: "Lisää perehdytyksen tarkistus koeajan päättymiskeskusteluun.",
                    owner: "olli",
                    due_in: 30,
                    document: None,
                },
            ),
            (
                10,
                "olli",
                Done {
                    action: 0,
                    note: "Lomakkeet täytetty ja allekirjoitettu, osaamismatriisi päivitetty.",
                },
            ),
            (
                25,
                "olli",
                Done {
                    action: 1,
                    note: "Tarkistus lisätty koeajan keskustelun pohjaan.",
                },
            ),
            (
                90,
                "laura",
                Effective(
                    "Kaksi uutta työntekijää aloittanut: molempien perehdytys kirjattu ennen koeajan loppua.",
                ),
            ),
            (91, "laura", Close("")),
        ],
    },
    DemoNc {
        reported: 230,
        detected_before: 0,
        reporter: "sanna",
        kind: "internal_complaint",
        severity: "major",
        detected_in: "DELIV",
        responsible: "PROD",
        title: "Lähetteen kappalemäärä ei vastaa laatikon sisältöä",
        description: "Tuotannosta tulleessa laatikossa oli 50 holkkia 7730-002, mutta työmääräimen ja lähetteen mukaan 48. Sama toistui viime viikolla toisella nimikkeellä. Toimitus joutuu laskemaan kaikki osat uudelleen ennen lähetystä.",
        references: "Työmääräin 22815, tilaus 10602, nimike 7730-002",
        documents: &["WI-002"],
        steps: &[
            (1, "pekka", Accept),
            (
                1,
                "pekka",
                Decide {
                    containment: "Viikon lähtevät laatikot laskettu uudelleen pakkauksessa; kaksi muuta virhettä korjattu ennen lähetystä.",
                    disposition: None,
                    note: "",
                },
            ),
            (
                4,
                "pekka",
                Analyse {
                    whys: &[
                        "Lähetteen määrä on eri kuin laatikossa.",
                        "Lähete tulostuu työmääräimen suunnitellusta määrästä.",
                        "Tuotanto ei kirjaa valmistunutta määrää, kun työ päättyy.",
                        "Valmistuneen määrän kirjaaminen ei ole kenenkään vastuulla.",
                    ],
                    root_cause: "Työmääräintä ei kuitata valmistuneella määrällä, joten lähete tulostuu suunnitellusta määrästä.",
                    category: "method",
                    check_in: None,
                },
            ),
            (
                4,
                "pekka",
                Plan {
                    description: "Koneistaja kuittaa työmääräimen lasketulla määrällä ennen kuin laatikko siirtyy pakkaukseen.",
                    owner: "pekka",
                    due_in: 14,
                    document: None,
                },
            ),
            (
                4,
                "pekka",
                Plan {
                    description: "Muuta lähetteen tulostus käyttämään kuitattua määrää.",
                    owner: "olli",
                    due_in: 30,
                    document: None,
                },
            ),
            (
                12,
                "pekka",
                Done {
                    action: 0,
                    note: "Kuittaus käytössä kaikilla koneilla; ohje työmääräinkansiossa.",
                },
            ),
            (
                26,
                "olli",
                Done {
                    action: 1,
                    note: "ERP:n lähetepohja muutettu ja testattu kolmella tilauksella.",
                },
            ),
            (
                70,
                "laura",
                Effective(
                    "Kuusi viikkoa ilman määräeroja pakkauksessa; sisäisten reklamaatioiden mittari nollassa.",
                ),
            ),
            (72, "laura", Close("")),
        ],
    },
    DemoNc {
        reported: 200,
        detected_before: 0,
        reporter: "james",
        kind: "supplier",
        severity: "critical",
        detected_in: "PROD",
        responsible: "PURCH",
        title: "Aluminium bar delivered as 6060 instead of 6082",
        description: "Parts 8120-045 came out of the mill soft, with torn threads. Hardness measured 48 HB against at least 89 HB for EN AW-6082 T6. The bar label says 6082, the certificate says 6060 T66. Twelve parts were machined before it was noticed.",
        references: "PO-2388, Alumiini Oy delivery 30127, part 8120-045",
        documents: &[],
        steps: &[
            (0, "maria", Accept),
            (
                0,
                "maria",
                Decide {
                    containment: "The remaining nine bars put on hold; production switched to bar from stock with a 6082 certificate.",
                    disposition: Some("scrap"),
                    note: "The twelve machined parts are scrapped: the alloy cannot meet the strength requirement. Decided by Maria Korhonen.",
                },
            ),
            (
                2,
                "maria",
                Decide {
                    containment: "",
                    disposition: Some("return"),
                    note: "The nine unused bars returned to Alumiini Oy; credit asked for the bar and for the scrapped machining time.",
                },
            ),
            (
                5,
                "maria",
                Analyse {
                    whys: &[
                        "We machined the wrong alloy.",
                        "The label said 6082 but the bar was 6060.",
                        "Alumiini Oy labelled a bundle from the wrong rack.",
                        "Our receiving checked the label, not the certificate against the order.",
                    ],
                    root_cause: "The supplier mislabelled the bundle, and our receiving trusted the label instead of reading the certificate against the order.",
                    category: "supplier",
                    check_in: None,
                },
            ),
            (
                5,
                "maria",
                Plan {
                    description: "Require an 8D report from Alumiini Oy.",
                    owner: "maria",
                    due_in: 21,
                    document: None,
                },
            ),
            (
                5,
                "maria",
                Plan {
                    description: "Check the alloy on the certificate against the purchase order at receipt, as WI-001 step 2 requires; brief the receivers.",
                    owner: "james",
                    due_in: 10,
                    document: None,
                },
            ),
            (
                9,
                "james",
                Done {
                    action: 1,
                    note: "Receivers briefed; the certificate check is signed on the delivery note from now on.",
                },
            ),
            (
                20,
                "maria",
                Done {
                    action: 0,
                    note: "8D received: Alumiini Oy added a barcode check of the rack at picking. Credit note received.",
                },
            ),
            (
                60,
                "olli",
                Effective(
                    "Ten aluminium deliveries since; the alloy was checked against the order on every delivery note, no mix-ups.",
                ),
            ),
            (
                62,
                "laura",
                Close(
                    "Alumiini Oy stays on the approved supplier list with a note; re-evaluated at the next supplier evaluation.",
                ),
            ),
        ],
    },
];
