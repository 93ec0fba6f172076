//! Demo cases with corrective actions planned (two of them late), and one
//! back in analysis after a check found its first action not effective.

use super::DemoNc;
use super::Do::*;

pub const CASES: &[DemoNc] = &[
    DemoNc {
        reported: 110,
        detected_before: 0,
        reporter: "sanna",
        kind: "deviation",
        severity: "major",
        detected_in: "PROD",
        responsible: "PROD",
        title: "Tiivistepintojen pintakarheus ylittää vaatimuksen Ra 0,8",
        description: "Venttiilirunkojen 5120-310 tiivistepinnoilta mitattiin lopputarkastuksessa Ra 1,2–1,6, kun piirustus vaatii Ra 0,8.",
        references: "Nimike 5120-310 rev A, erä 4655, koneistuskeskus 2",
        documents: &[],
        steps: &[
            (1, "pekka", Accept),
            (
                1,
                "pekka",
                Decide {
                    containment: "Erä pysäytetty; kaikki 80 runkoa mitattu, 24 ylittää vaatimuksen.",
                    disposition: Some("rework"),
                    note: "24 runkoa viimeistellään uudelleen ja mitataan. Päätös: Pekka Virtanen.",
                },
            ),
            (
                4,
                "pekka",
                Analyse {
                    whys: &[
                        "Pintakarheus oli liian suuri.",
                        "Viimeistelyterä oli kulunut.",
                        "Terän vaihtoväli oli liian pitkä.",
                    ],
                    root_cause: "Viimeistelyterän vaihtoväli on liian pitkä tälle nimikkeelle.",
                    category: "machine",
                    check_in: None,
                },
            ),
            (
                4,
                "pekka",
                Plan {
                    description: "Lyhennä viimeistelyterän vaihtoväli 40 kappaleeseen.",
                    owner: "pekka",
                    due_in: 7,
                    document: None,
                },
            ),
            (
                9,
                "pekka",
                Done {
                    action: 0,
                    note: "Vaihtoväli muutettu työkalulistaan.",
                },
            ),
            (
                100,
                "laura",
                NotEffective(
                    "Erässä 4801 Ra 1,1–1,4 heti terän vaihdon jälkeen: terän kuluminen ei selitä vikaa.",
                ),
            ),
            (
                105,
                "pekka",
                Analyse {
                    whys: &[
                        "Karheus ylittyy myös uudella terällä.",
                        "Aihiot tulevat nyt uudelta valmistajalta, ja niiden kovuus on 30 HB suurempi.",
                        "Leikkuuarvoja ei sovitettu uudelle materiaalille.",
                    ],
                    root_cause: "Uuden valmistajan aihiot ovat kovempia, eikä leikkuuarvoja sovitettu niihin.",
                    category: "material",
                    check_in: None,
                },
            ),
        ],
    },
    DemoNc {
        reported: 90,
        detected_before: 1,
        reporter: "james",
        kind: "internal_complaint",
        severity: "major",
        detected_in: "PROD",
        responsible: "PURCH",
        title: "Steel for order 10760 arrived nine days late; lathe 3 stood idle",
        description: "42CrMo4 Ø50 for order 10760 was promised for a Monday and arrived nine days later. Lathe 3 stood idle for two days and the customer delivery slipped by a week. Production was not told about the delay.",
        references: "Order 10760, PO-2470, Teräs Oy",
        documents: &[],
        steps: &[
            (1, "maria", Accept),
            (
                1,
                "maria",
                Decide {
                    containment: "Customer told the new date; the order moved ahead of others once the steel came.",
                    disposition: None,
                    note: "",
                },
            ),
            (
                4,
                "maria",
                Analyse {
                    whys: &[
                        "The steel came nine days late.",
                        "Teräs Oy had no Ø50 42CrMo4 in stock and waited for the mill.",
                        "We buy this bar order by order, though we use it every month.",
                        "Nobody told production, because purchasing does not follow up confirmed delivery dates.",
                    ],
                    root_cause: "Bar we use every month is bought order by order without safety stock, and confirmed delivery dates are not followed up.",
                    category: "management",
                    check_in: None,
                },
            ),
            (
                4,
                "maria",
                Plan {
                    description: "Agree a safety stock of 42CrMo4 Ø40–Ø60 with Teräs Oy (consignment or call-off).",
                    owner: "maria",
                    due_in: 30,
                    document: None,
                },
            ),
            (
                4,
                "maria",
                Plan {
                    description: "Check confirmed delivery dates every Monday and tell production of any delay.",
                    owner: "maria",
                    due_in: 14,
                    document: None,
                },
            ),
            (
                18,
                "maria",
                Done {
                    action: 1,
                    note: "Monday check added to the purchasing routine; production gets the list of late confirmations.",
                },
            ),
        ],
    },
    DemoNc {
        reported: 70,
        detected_before: 0,
        reporter: "laura",
        kind: "audit_finding",
        severity: "major",
        detected_in: "IMPR",
        responsible: "PROD",
        title: "Mikrometrin kalibrointi myöhässä kolme kuukautta",
        description: "Sisäisessä auditoinnissa mittahuoneen mikrometrin 0–25 mm (tunnus M-07) kalibrointitarra oli vanhentunut kolme kuukautta sitten. Mikrometrillä on mitattu laakeripaikkoja koko ajan. Kalibrointiohje WI-003 on yhä luonnos. ISO 9001 7.1.5.2.",
        references: "Sisäinen auditointi SA-5, mikrometri M-07, Mittaus Oy",
        documents: &["WI-003"],
        steps: &[
            (2, "pekka", Accept),
            (
                2,
                "pekka",
                Decide {
                    containment: "M-07 poistettu käytöstä ja lähetetty Mittaus Oy:lle kalibroitavaksi; sillä mitatut seitsemän erää listattu.",
                    disposition: None,
                    note: "",
                },
            ),
            (
                6,
                "pekka",
                Analyse {
                    whys: &[
                        "Mikrometrin kalibrointi vanheni.",
                        "Kukaan ei huomannut eräpäivää.",
                        "Kalibroitavista mittavälineistä ei ole luetteloa eräpäivineen.",
                        "Kalibrointiohje WI-003 on jäänyt luonnokseksi.",
                    ],
                    root_cause: "Mittavälineillä ei ole kalibrointirekisteriä eikä muistutusta, koska kalibrointiohje on kesken.",
                    category: "measurement",
                    check_in: None,
                },
            ),
            (
                6,
                "pekka",
                Plan {
                    description: "Kalibroituta kaikki mikrometrit ja työntömitat Mittaus Oy:llä.",
                    owner: "pekka",
                    due_in: 30,
                    document: None,
                },
            ),
            (
                6,
                "pekka",
                Plan {
                    description: "Viimeistele kalibrointiohje WI-003: mittavälineluettelo, kalibrointivälit ja muistutukset.",
                    owner: "pekka",
                    due_in: 35,
                    document: Some("WI-003"),
                },
            ),
            (
                6,
                "pekka",
                Plan {
                    description: "Käy läpi muiden mittavälineiden kalibrointitarrat.",
                    owner: "sanna",
                    due_in: 7,
                    document: None,
                },
            ),
            (
                9,
                "pekka",
                Decide {
                    containment: "",
                    disposition: Some("use_as_is"),
                    note: "Mittaus Oy: M-07:n virhe +0,001 mm, toleranssin sisällä. Seitsemän erää käytetään sellaisenaan. Päätös: Pekka Virtanen.",
                },
            ),
            (
                12,
                "sanna",
                Done {
                    action: 2,
                    note: "34 mittavälinettä käyty läpi: kaksi työntömittaa vanhentunut, lähetetty kalibroitavaksi.",
                },
            ),
            (
                33,
                "pekka",
                Done {
                    action: 0,
                    note: "Mittaus Oy kalibroi 18 välinettä; todistukset mittahuoneen kansiossa.",
                },
            ),
        ],
    },
    DemoNc {
        reported: 45,
        detected_before: 0,
        reporter: "laura",
        kind: "audit_finding",
        severity: "major",
        detected_in: "IMPR",
        responsible: "PURCH",
        title: "No supplier evaluation recorded for the past year",
        description: "Internal audit of purchasing: none of the five main suppliers (Teräs Oy, Alumiini Oy, Mittaus Oy, the plating and the heat treatment subcontractors) has a recorded evaluation for the past year. QP-003 does not say how or how often suppliers are evaluated. ISO 9001 8.4.1.",
        references: "Internal audit IA-6, purchasing; ISO 9001 8.4.1",
        documents: &["QP-003"],
        steps: &[
            (2, "maria", Accept),
            (
                5,
                "maria",
                Analyse {
                    whys: &[
                        "No evaluations were recorded.",
                        "Suppliers were discussed informally in purchasing meetings.",
                        "QP-003 does not require a yearly, recorded evaluation.",
                    ],
                    root_cause: "The purchasing procedure does not require a recorded yearly supplier evaluation, so it was done informally and left no record.",
                    category: "management",
                    check_in: None,
                },
            ),
            (
                5,
                "maria",
                Plan {
                    description: "Revise QP-003: a yearly supplier evaluation on delivery accuracy and quality, with records.",
                    owner: "maria",
                    due_in: 50,
                    document: Some("QP-003"),
                },
            ),
            (
                5,
                "maria",
                Plan {
                    description: "Evaluate the five main suppliers for the past year and record the results.",
                    owner: "james",
                    due_in: 60,
                    document: None,
                },
            ),
        ],
    },
    DemoNc {
        reported: 30,
        detected_before: 1,
        reporter: "pekka",
        kind: "customer_complaint",
        severity: "major",
        detected_in: "CS",
        responsible: "PROD",
        title: "Asiakas: M12-kierteet eivät läpäise tulkkia",
        description: "Hydrauli-Pojat Oy:n vastaanotossa seitsemän laipan 3310-044 M12x1,5-kierre ei läpäissyt menevää tulkkia. Asiakas lajitteli erän ja käytti hyväksytyt.",
        references: "Asiakas Hydrauli-Pojat Oy, reklamaatio R-0231, tilaus 10788, erä 4790",
        documents: &[],
        steps: &[
            (1, "pekka", Accept),
            (
                1,
                "pekka",
                Decide {
                    containment: "Varaston 40 laippaa tarkastettu kierretulkilla: viisi hylättyä.",
                    disposition: Some("rework"),
                    note: "Hylätyt kierteet ajetaan uudelleen kierretapilla ja tarkastetaan tulkilla; asiakkaan seitsemän laippaa noudettu korjattavaksi. Päätös: Pekka Virtanen.",
                },
            ),
            (
                5,
                "pekka",
                Analyse {
                    whys: &[
                        "Kierteet olivat liian tiukkoja.",
                        "Kierretappi oli kulunut.",
                        "Tapin vaihtoväli perustuu koneistajan arvioon.",
                        "Erän viimeisiä kierteitä ei tarkasteta tulkilla.",
                    ],
                    root_cause: "Kierretapin kulumista ei seurata, eikä erän viimeisiä kappaleita tarkasteta tulkilla.",
                    category: "machine",
                    check_in: None,
                },
            ),
            (
                5,
                "pekka",
                Plan {
                    description: "Vaihda kierretappi 500 kierteen välein; laskuri NC-ohjelmaan.",
                    owner: "pekka",
                    due_in: 28,
                    document: None,
                },
            ),
            (
                5,
                "pekka",
                Plan {
                    description: "Tarkasta erän ensimmäinen ja viimeinen kappale kierretulkilla.",
                    owner: "sanna",
                    due_in: 10,
                    document: None,
                },
            ),
            (
                9,
                "sanna",
                Done {
                    action: 1,
                    note: "Tarkastus lisätty M12-kierteiden mittapöytäkirjaan.",
                },
            ),
        ],
    },
    DemoNc {
        reported: 20,
        detected_before: 0,
        reporter: "sanna",
        kind: "deviation",
        severity: "critical",
        detected_in: "PROD",
        responsible: "PROD",
        title: "Työkalun törmäys sorvissa 3: väärä työkalukorjain",
        description: "Sorvin 3 revolverin paikan T5 korjaimeen oli syötetty paikan T3 arvot. Porausterä törmäsi kappaleeseen: terä rikki, kappale romuksi ja revolveri tarkastettava. Ei henkilövahinkoja.",
        references: "Sorvi 3, työmääräin 23140, nimike 4410-012",
        documents: &[],
        steps: &[
            (0, "pekka", Accept),
            (
                0,
                "pekka",
                Decide {
                    containment: "Sorvi 3 pysäytetty; huoltoteknikko tarkasti revolverin ja karan linjauksen: kunnossa. Erän kuusi edellistä kappaletta mitattu: kunnossa.",
                    disposition: Some("scrap"),
                    note: "Törmännyt kappale romutettu. Päätös: Pekka Virtanen.",
                },
            ),
            (
                3,
                "pekka",
                Analyse {
                    whys: &[
                        "Porausterä törmäsi.",
                        "Korjain T5 sisälsi T3:n arvot.",
                        "Korjaimet syötettiin käsin paperilapulta.",
                        "Esiasettimen mittaukset eivät siirry koneelle automaattisesti.",
                    ],
                    root_cause: "Työkalukorjaimet syötetään käsin, eikä väärä rivi jää kiinni mihinkään tarkistukseen.",
                    category: "method",
                    check_in: None,
                },
            ),
            (
                3,
                "pekka",
                Plan {
                    description: "Siirrä korjaimet esiasettimelta koneelle tiedostona ilman käsin syöttöä.",
                    owner: "pekka",
                    due_in: 45,
                    document: None,
                },
            ),
            (
                3,
                "pekka",
                Plan {
                    description: "Korjainmuutoksen jälkeen ensimmäinen kappale yksittäisajona, ja toinen koneistaja tarkistaa korjaimet.",
                    owner: "sanna",
                    due_in: 7,
                    document: None,
                },
            ),
            (
                8,
                "sanna",
                Done {
                    action: 1,
                    note: "Käytäntö otettu käyttöön; tarkistus kuitataan työmääräimeen.",
                },
            ),
        ],
    },
];
