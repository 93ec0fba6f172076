//! Demo cases whose actions are done: verified and waiting for closure, or
//! waiting for the effectiveness check (one of them late).

use super::DemoNc;
use super::Do::*;

pub const CASES: &[DemoNc] = &[
    DemoNc {
        reported: 180,
        detected_before: 0,
        reporter: "pekka",
        kind: "customer_property",
        severity: "major",
        detected_in: "PROD",
        responsible: "PROD",
        title: "Asiakkaan kiinnitin vaurioitui törmäyksessä koneistuskeskuksessa",
        description: "Sähkövaunu Oy:n omistama kiinnitin SV-FX-12 osui koneistuskeskuksen 2 karaan: paikoitintappi katkesi ja kiinnitysalustaan tuli 2 mm:n lommo. Kiinnitin on asiakkaan omaisuutta (ISO 9001 8.5.3).",
        references: "Asiakas Sähkövaunu Oy, kiinnitin SV-FX-12, tilaus 10655",
        documents: &[],
        steps: &[
            (0, "pekka", Accept),
            (
                0,
                "pekka",
                Decide {
                    containment: "Asiakkaalle ilmoitettu samana päivänä; kiinnittimellä ei koneisteta ennen korjausta.",
                    disposition: Some("rework"),
                    note: "Paikoitintappi vaihdetaan ja lommo tasoitetaan omassa työkaluvarastossa. Asiakkaan laatuinsinööri hyväksyi korjauksen ja tarkastaa kiinnittimen ennen käyttöä.",
                },
            ),
            (
                3,
                "pekka",
                Analyse {
                    whys: &[
                        "Kara osui kiinnittimeen.",
                        "Ohjelman turvataso oli liian matala tälle kiinnittimelle.",
                        "Ohjelmoija ei tiennyt asiakkaan kiinnittimen korkeutta.",
                        "Asiakkaan omaisuudesta ei pidetä rekisteriä mittoineen.",
                    ],
                    root_cause: "Asiakkaan kiinnittimistä ei ole rekisteriä, josta ohjelmoija näkisi niiden mitat ja turvatasot.",
                    category: "method",
                    check_in: None,
                },
            ),
            (
                3,
                "pekka",
                Plan {
                    description: "Perusta asiakkaan omaisuuden rekisteri (kiinnittimet, tulkit) mittoineen.",
                    owner: "pekka",
                    due_in: 30,
                    document: None,
                },
            ),
            (
                3,
                "pekka",
                Plan {
                    description: "Merkitse kaikki asiakkaan kiinnittimet tunnisteella ja korkeudella.",
                    owner: "sanna",
                    due_in: 21,
                    document: None,
                },
            ),
            (
                20,
                "sanna",
                Done {
                    action: 1,
                    note: "11 kiinnitintä merkitty, korkeudet kirjattu.",
                },
            ),
            (
                28,
                "pekka",
                Done {
                    action: 0,
                    note: "Rekisteri perustettu työkaluvaraston taulukkoon; ohjelmoijat tarkistavat siitä turvatason.",
                },
            ),
            (
                75,
                "laura",
                Effective(
                    "Kolme kuukautta ilman törmäyksiä; asiakas tarkasti korjatun kiinnittimen ja hyväksyi sen.",
                ),
            ),
        ],
    },
    DemoNc {
        reported: 150,
        detected_before: 1,
        reporter: "maria",
        kind: "customer_complaint",
        severity: "major",
        detected_in: "CS",
        responsible: "SALES",
        title: "Order confirmation quoted drawing revision B; the customer ordered C",
        description: "Kuljetin Oy ordered brackets 2205-310 to drawing rev C, where the hole pattern moved 5 mm. Our order confirmation said rev B, the parts were made to rev B, and the customer noticed when the first 50 arrived.",
        references: "Customer Kuljetin Oy, order 10688, drawing 2205-310 rev C",
        documents: &[],
        steps: &[
            (1, "maria", Accept),
            (
                1,
                "maria",
                Decide {
                    containment: "Production of the remaining 150 brackets stopped; drawing rev C put on the machine.",
                    disposition: Some("concession"),
                    note: "Kuljetin Oy's purchasing manager Mika Salo authorised the 50 rev B brackets for their older conveyor model (email on file).",
                },
            ),
            (
                4,
                "maria",
                Analyse {
                    whys: &[
                        "The confirmation named rev B.",
                        "The order was copied from the previous order of the same part.",
                        "Order review does not compare the revision on the customer's order with our archive.",
                    ],
                    root_cause: "Order review copies the previous order and never compares the drawing revision with the customer's order.",
                    category: "method",
                    check_in: None,
                },
            ),
            (
                4,
                "maria",
                Plan {
                    description: "Add 'drawing revision on the order = revision in our archive' to the order review checklist.",
                    owner: "james",
                    due_in: 14,
                    document: None,
                },
            ),
            (
                11,
                "james",
                Done {
                    action: 0,
                    note: "Checklist updated in the CRM; every confirmation now shows the revision next to the part number.",
                },
            ),
            (
                60,
                "olli",
                Effective(
                    "Two months of orders checked: the revision on all 46 confirmations matched the customers' orders.",
                ),
            ),
        ],
    },
    DemoNc {
        reported: 130,
        detected_before: 2,
        reporter: "pekka",
        kind: "internal_complaint",
        severity: "minor",
        detected_in: "PROD",
        responsible: "HR",
        title: "Vuokratyöntekijä aloitti ilman työturvallisuusperehdytystä",
        description: "Vuokratyöntekijä aloitti iltavuorossa sorvilla ilman työturvallisuusperehdytystä ja nostolaitekoulutusta. Työnjohto huomasi asian vasta viikon kuluttua.",
        references: "Osaamismatriisi, tuotanto",
        documents: &[],
        steps: &[
            (1, "olli", Accept),
            (
                4,
                "olli",
                Analyse {
                    whys: &[
                        "Perehdytys jäi tekemättä.",
                        "Henkilöstö ei tiennyt aloituspäivää.",
                        "Vuokratyövoima tilataan tuotannosta suoraan vuokrayritykseltä.",
                    ],
                    root_cause: "Vuokratyöntekijöiden aloituksesta ei tule tietoa henkilöstöprosessiin, joten perehdytystä ei suunnitella.",
                    category: "management",
                    check_in: None,
                },
            ),
            (
                4,
                "olli",
                Plan {
                    description: "Vuokratyövoiman tilaukset henkilöstön kautta: aloituspäivä kalenteriin ja perehdyttäjä nimetään.",
                    owner: "olli",
                    due_in: 21,
                    document: None,
                },
            ),
            (
                4,
                "olli",
                Plan {
                    description: "Perehdytä nykyinen vuokratyöntekijä.",
                    owner: "pekka",
                    due_in: 5,
                    document: None,
                },
            ),
            (
                6,
                "pekka",
                Done {
                    action: 1,
                    note: "Perehdytys ja nostolaitekoulutus pidetty, lomake allekirjoitettu.",
                },
            ),
            (
                20,
                "olli",
                Done {
                    action: 0,
                    note: "Menettely sovittu vuokrayrityksen kanssa ja kirjattu henkilöstöprosessin kuvaukseen.",
                },
            ),
            (
                70,
                "laura",
                Effective(
                    "Kaksi uutta vuokratyöntekijää aloittanut: molemmat perehdytetty ensimmäisenä päivänä.",
                ),
            ),
        ],
    },
    DemoNc {
        reported: 100,
        detected_before: 0,
        reporter: "james",
        kind: "supplier",
        severity: "minor",
        detected_in: "PROD",
        responsible: "PURCH",
        title: "Steel bars delivered without end colour marking",
        description: "Teräs Oy delivered 20 bars of S355 and 42CrMo4 in one bundle, none with the end colour code. The grades look alike; the operator had to match each bar to its certificate by the stamped heat number.",
        references: "PO-2461, Teräs Oy delivery note 90133",
        documents: &[],
        steps: &[
            (1, "maria", Accept),
            (
                1,
                "maria",
                Decide {
                    containment: "Bundle sorted by heat number against the certificates, and the ends painted in our colour code before release to production.",
                    disposition: None,
                    note: "",
                },
            ),
            (
                3,
                "maria",
                Analyse {
                    whys: &[
                        "The bars came without colour marking.",
                        "Teräs Oy changed their saw line and left out the painting step.",
                        "Our purchase orders do not require colour marking.",
                    ],
                    root_cause: "Our purchase orders do not require end colour marking, so the supplier could drop it.",
                    category: "supplier",
                    check_in: None,
                },
            ),
            (
                3,
                "maria",
                Plan {
                    description: "Add end colour marking to the purchase order terms for bar stock.",
                    owner: "maria",
                    due_in: 14,
                    document: None,
                },
            ),
            (
                3,
                "maria",
                Plan {
                    description: "Ask Teräs Oy to restore the colour marking.",
                    owner: "maria",
                    due_in: 7,
                    document: None,
                },
            ),
            (
                6,
                "maria",
                Done {
                    action: 1,
                    note: "Teräs Oy confirmed the painting step is back from the next delivery.",
                },
            ),
            (
                12,
                "maria",
                Done {
                    action: 0,
                    note: "Purchase order template updated: every bar must carry the EN 10027 colour code or a label.",
                },
            ),
        ],
    },
    DemoNc {
        reported: 75,
        detected_before: 0,
        reporter: "james",
        kind: "internal_complaint",
        severity: "major",
        detected_in: "PROD",
        responsible: "SALES",
        title: "Sales order left out the heat treatment requirement",
        description: "Order 10741 for 120 pins 3340-016 reached production without the customer's requirement to quench and temper to 28–32 HRC. The pins were turned and would have shipped soft; the drawing note was found only at final inspection.",
        references: "Order 10741, drawing 3340-016 rev A note 3",
        documents: &[],
        steps: &[
            (1, "maria", Accept),
            (
                1,
                "maria",
                Decide {
                    containment: "The 120 pins held at final inspection.",
                    disposition: Some("rework"),
                    note: "Pins sent for heat treatment before finish grinding; delivery moved by a week with the customer's agreement. Decided by Maria Korhonen.",
                },
            ),
            (
                4,
                "maria",
                Analyse {
                    whys: &[
                        "Production did not know about the heat treatment.",
                        "The sales order had no heat treatment line.",
                        "The requirement was in a drawing note, not in the customer's order text.",
                        "Order review reads the order text, not the drawing notes.",
                    ],
                    root_cause: "Order review does not read the drawing notes, where customers often put process requirements.",
                    category: "method",
                    check_in: Some(90),
                },
            ),
            (
                4,
                "maria",
                Plan {
                    description: "Read the drawing notes in order review and copy special processes (heat treatment, coating) to the work order.",
                    owner: "james",
                    due_in: 14,
                    document: None,
                },
            ),
            (
                4,
                "maria",
                Plan {
                    description: "Ask the ERP vendor for a mandatory 'special processes' field on sales orders.",
                    owner: "maria",
                    due_in: 30,
                    document: None,
                },
            ),
            (
                12,
                "james",
                Done {
                    action: 0,
                    note: "Order review checklist now has 'drawing notes read, special processes copied'; sales team briefed.",
                },
            ),
            (
                20,
                "maria",
                Cancel {
                    action: 1,
                    reason: "The vendor quoted 4,800 € and four months; the checklist covers the need. Agreed with Laura in the monthly review.",
                },
            ),
        ],
    },
    DemoNc {
        reported: 60,
        detected_before: 1,
        reporter: "sanna",
        kind: "deviation",
        severity: "minor",
        detected_in: "PROD",
        responsible: "PROD",
        title: "Jäähdytysneste liian laimeaa, kappaleissa ruostepilkkuja",
        description: "Sorvin 2 kappaleissa oli ruostepilkkuja jo seuraavana aamuna. Refraktometrillä pitoisuus 3 %, kun ohje on 6–8 %.",
        references: "Sorvi 2, erä 4731",
        documents: &[],
        steps: &[
            (0, "pekka", Accept),
            (
                0,
                "pekka",
                Decide {
                    containment: "Jäähdytysneste vaihdettu sorviin 2; erän 4731 kappaleet pesty ja öljytty.",
                    disposition: Some("rework"),
                    note: "Ruostepilkut poistettu pesulla, 100 % silmämääräinen tarkastus. Päätös: Pekka Virtanen.",
                },
            ),
            (
                2,
                "pekka",
                Analyse {
                    whys: &[
                        "Kappaleet ruostuivat.",
                        "Jäähdytysnesteen pitoisuus oli 3 %.",
                        "Säiliöön lisättiin pelkkää vettä haihtumisen korvaamiseksi.",
                        "Pitoisuutta ei mitata säännöllisesti.",
                    ],
                    root_cause: "Jäähdytysnesteen pitoisuutta ei mitata, joten vedellä täyttö laimentaa sen huomaamatta.",
                    category: "environment",
                    check_in: None,
                },
            ),
            (
                2,
                "pekka",
                Plan {
                    description: "Mittaa pitoisuus refraktometrillä maanantaisin ja kirjaa se koneen korttiin.",
                    owner: "sanna",
                    due_in: 7,
                    document: None,
                },
            ),
            (
                2,
                "pekka",
                Plan {
                    description: "Hanki sekoitusannostelija, joka täyttää säiliön valmiilla seoksella.",
                    owner: "pekka",
                    due_in: 45,
                    document: None,
                },
            ),
            (
                6,
                "sanna",
                Done {
                    action: 0,
                    note: "Mittaus aloitettu kaikilla koneilla; kortit koneiden kyljessä.",
                },
            ),
            (
                48,
                "pekka",
                Done {
                    action: 1,
                    note: "Annostelija asennettu ja säädetty 7 %:iin.",
                },
            ),
        ],
    },
];
