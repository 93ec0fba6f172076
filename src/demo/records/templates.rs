//! The demo's six starter form templates: what a small machine shop keeps
//! as records for ISO 9001, each with its instructions in Finnish and
//! English and its fields as the API takes them (`PUT /documents/{number}/draft`
//! with `form`).

use serde_json::{Value, json};

/// One starter template.
pub struct DemoTemplate {
    pub number: &'static str,
    pub title: &'static str,
    pub process: &'static str,
    pub owner: &'static str,
    /// The instructions, Markdown.
    pub content: &'static str,
    /// The definition, as `FormInput` reads it.
    pub form: fn() -> Value,
}

pub const CALIBRATION: &str = "FORM-002";
pub const ORDER_REVIEW: &str = "FORM-003";
pub const SUPPLIER: &str = "FORM-004";
pub const FINAL_INSPECTION: &str = "FORM-005";
pub const DESIGN_REVIEW: &str = "FORM-006";
pub const MACHINE_CHECK: &str = "FORM-007";

/// The competence a release of final inspection needs (in the demo catalogue).
pub const RELEASE_COMPETENCE: &str = "FINAL-INSP";

fn label(en: &str, fi: &str) -> Value {
    json!({ "en": en, "fi": fi })
}

fn option(key: &str, en: &str, fi: &str) -> Value {
    json!({ "key": key, "label": label(en, fi) })
}

/// A yes/no check whose `no` is a deviation.
fn check(key: &str, en: &str, fi: &str, help_en: &str, help_fi: &str) -> Value {
    json!({
        "key": key, "type": "yes_no", "required": true, "deviation": "no",
        "label": label(en, fi), "help": label(help_en, help_fi)
    })
}

fn notes() -> Value {
    json!({
        "key": "notes", "type": "long_text",
        "label": label("Notes", "Huomautukset")
    })
}

pub const TEMPLATES: &[DemoTemplate] = &[
    DemoTemplate {
        number: CALIBRATION,
        title: "Kalibrointipöytäkirja / Calibration record",
        process: "PROD",
        owner: "pekka",
        content: "# Kalibrointipöytäkirja / Calibration record\n\nMittavälineet kalibroidaan kalibrointisuunnitelman välein vertailumittapaloja vasten mittahuoneessa (20 ± 2 °C). Lukema kirjataan 25,000 mm:n mittapalalla. Jos lukema on toleranssin ulkopuolella, väline säädetään ja mitataan uudelleen tai poistetaan käytöstä, ja sillä edellisen kalibroinnin jälkeen mitatut erät arvioidaan (ISO 9001 7.1.5.2).\n\nMeasuring instruments are calibrated at the intervals of the calibration plan against the reference gauge blocks in the measuring room (20 ± 2 °C). Record the reading on the 25.000 mm block. A reading outside the tolerance means the instrument is adjusted and measured again, or taken out of use, and the lots it measured since its last calibration are assessed (ISO 9001 7.1.5.2).\n",
        form: calibration,
    },
    DemoTemplate {
        number: ORDER_REVIEW,
        title: "Tilauksen katselmointi / Order and requirements review",
        process: "SALES",
        owner: "maria",
        content: "# Tilauksen katselmointi / Order and requirements review\n\nJokainen tilaus katselmoidaan ennen kuin se vahvistetaan asiakkaalle: vaatimukset ovat selvät, pystymme täyttämään ne luvattuna päivänä, ja erot tarjoukseen on sovittu asiakkaan kanssa. Myyntiprosessin omistaja kuittaa katselmoinnin.\n\nEvery order is reviewed before it is confirmed to the customer: the requirements are clear, we can meet them on the promised day, and differences from the quotation are agreed with the customer. The owner of the sales process signs the review off.\n",
        form: order_review,
    },
    DemoTemplate {
        number: SUPPLIER,
        title: "Toimittaja-arviointi / Supplier evaluation",
        process: "PURCH",
        owner: "maria",
        content: "# Toimittaja-arviointi / Supplier evaluation\n\nUlkoiset toimittajat arvioidaan neljännesvuosittain laadun, toimitusvarmuuden ja viestinnän perusteella asteikolla 1–5. Toimittaja, jonka arvosana jää alle 3, hyväksytään ehdoin tai sitä ei hyväksytä; hankinta sopii toimittajan kanssa parannustoimista.\n\nExternal providers are evaluated every quarter on quality, delivery and communication, each on a scale of 1 to 5. A provider scoring below 3 is approved with conditions or not approved, and purchasing agrees improvement actions with them.\n",
        form: supplier,
    },
    DemoTemplate {
        number: FINAL_INSPECTION,
        title: "Lopputarkastus ja vapautus / Final inspection and release",
        process: "PROD",
        owner: "pekka",
        content: "# Lopputarkastus ja vapautus / Final inspection and release\n\nJokainen erä tarkastetaan piirustusta ja tilausta vasten ennen toimitusta. Erän vapauttaa toimitukseen vain henkilö, jolla on voimassa oleva lopputarkastuksen pätevyys (FINAL-INSP); vapautus allekirjoitetaan salasanalla.\n\nEvery lot is inspected against the drawing and the order before delivery. Only a person holding a valid final inspection competence (FINAL-INSP) releases a lot for delivery, signing the release with their password.\n",
        form: final_inspection,
    },
    DemoTemplate {
        number: DESIGN_REVIEW,
        title: "Suunnittelukatselmus / Design review",
        process: "PROD",
        owner: "pekka",
        content: "# Suunnittelukatselmus / Design review\n\nAsiakkaan kanssa yhdessä kehitettävien osien ja kiinnittimien suunnittelu katselmoidaan sovituissa vaiheissa: täyttävätkö ratkaisut lähtötiedot, mitä ongelmia on ja mitä niille tehdään. Toimenpiteet kirjataan vastuuhenkilöineen ja määräpäivineen.\n\nThe design of parts and fixtures developed together with a customer is reviewed at the planned stages: do the results meet the design inputs, what problems are there, and what is done about them. Actions are recorded with their owner and due date.\n",
        form: design_review,
    },
    DemoTemplate {
        number: MACHINE_CHECK,
        title: "Koneen viikkotarkastus / Weekly machine check",
        process: "PROD",
        owner: "pekka",
        content: "# Koneen viikkotarkastus / Weekly machine check\n\nKoneen käyttäjä tarkastaa CNC-koneet kerran viikossa ennen vuoron alkua. Jos jokin kohta ei ole kunnossa, kone pysäytetään, asiasta ilmoitetaan työnjohtajalle ja kirjataan poikkeama.\n\nThe operator checks each CNC machine once a week before the shift starts. If a check fails, the machine is stopped, the supervisor is told and a nonconformity is reported.\n",
        form: machine_check,
    },
];

fn calibration() -> Value {
    json!({
        "fields": [
            {"key": "instrument", "type": "text", "required": true,
             "label": label("Instrument and its ID", "Mittaväline ja sen tunnus"),
             "help": label("For example: outside micrometer 0–25 mm, MIK-014", "Esimerkiksi: ulkomikrometri 0–25 mm, MIK-014")},
            {"key": "reference", "type": "text", "required": true,
             "label": label("Reference standard", "Vertailunormaali"),
             "help": label("The gauge block set and its calibration certificate", "Mittapalasarja ja sen kalibrointitodistuksen numero")},
            {"key": "reading", "type": "number", "required": true, "unit": "mm", "decimals": 3,
             "min": 24.996, "max": 25.004, "deviation": "outside_limits",
             "label": label("Reading on the 25.000 mm block", "Lukema 25,000 mm:n mittapalalla"),
             "help": label("Tolerance ±0.004 mm; a reading outside it is a deviation", "Toleranssi ±0,004 mm; sen ulkopuolinen lukema on poikkeama")},
            {"key": "temperature", "type": "number", "required": true, "unit": "°C", "decimals": 1,
             "min": 18, "max": 22, "deviation": "outside_limits",
             "label": label("Room temperature", "Mittahuoneen lämpötila")},
            {"key": "result", "type": "choice", "required": true,
             "label": label("Result", "Tulos"),
             "options": [
                 option("pass", "Passed", "Hyväksytty"),
                 option("adjusted", "Adjusted, then passed", "Säädetty ja hyväksytty"),
                 option("fail", "Failed, taken out of use", "Hylätty, poistettu käytöstä")
             ],
             "deviation": ["fail"]},
            {"key": "next_due", "type": "date", "required": true,
             "label": label("Next calibration due", "Seuraava kalibrointi viimeistään")},
            {"key": "certificate", "type": "file",
             "label": label("Calibration sheet or certificate", "Kalibrointitodistus tai mittauspöytäkirja")},
            notes()
        ],
        "clauses": ["7.1.5.1", "7.1.5.2"]
    })
}

fn order_review() -> Value {
    json!({
        "fields": [
            {"key": "customer", "type": "text", "required": true, "label": label("Customer", "Asiakas")},
            {"key": "order_ref", "type": "text", "required": true,
             "label": label("Order or quotation number", "Tilaus- tai tarjousnumero")},
            {"key": "drawing", "type": "text", "required": true,
             "label": label("Drawing and revision", "Piirustus ja revisio"),
             "help": label("The drawing number with its revision letter, e.g. 4410-220 C", "Piirustusnumero ja revisiokirjain, esim. 4410-220 C")},
            {"key": "quantity", "type": "number", "required": true, "unit": "pcs", "decimals": 0, "min": 1,
             "label": label("Quantity", "Määrä")},
            {"key": "delivery_date", "type": "date", "required": true,
             "label": label("Delivery date promised", "Luvattu toimituspäivä")},
            check("requirements_clear", "Requirements are defined", "Vaatimukset on määritelty",
                  "Material, tolerances, surface treatment, certificates and packaging", "Materiaali, toleranssit, pintakäsittely, todistukset ja pakkaus"),
            check("can_meet", "We can meet the requirements and the date", "Pystymme täyttämään vaatimukset ja toimitusajan",
                  "Capacity, tools, material and subcontracting checked", "Kapasiteetti, työkalut, materiaali ja alihankinta tarkistettu"),
            check("differences_resolved", "Differences from the quotation are resolved", "Erot tarjoukseen on sovittu asiakkaan kanssa",
                  "Answer yes when there are none", "Vastaa kyllä, jos eroja ei ole"),
            {"key": "decision", "type": "choice", "required": true, "label": label("Decision", "Päätös"),
             "options": [
                 option("accept", "Accept the order", "Tilaus hyväksytään"),
                 option("accept_changed", "Accept with changes agreed", "Hyväksytään sovituin muutoksin"),
                 option("decline", "Decline", "Tilausta ei oteta vastaan")
             ]},
            notes()
        ],
        "signatures": [{"meaning": "reviewed"}],
        "clauses": ["8.2.3.1", "8.2.3.2"]
    })
}

fn supplier() -> Value {
    let score = |key: &str, en: &str, fi: &str, help_en: &str, help_fi: &str| {
        json!({
            "key": key, "type": "number", "required": true, "decimals": 0, "min": 1, "max": 5,
            "label": label(en, fi), "help": label(help_en, help_fi)
        })
    };
    json!({
        "fields": [
            {"key": "supplier", "type": "text", "required": true, "label": label("Supplier", "Toimittaja")},
            {"key": "supplies", "type": "text", "required": true,
             "label": label("What they supply", "Toimitettavat tuotteet tai palvelut")},
            {"key": "period", "type": "text", "required": true, "label": label("Period evaluated", "Arviointijakso"),
             "help": label("For example: Q3 2026", "Esimerkiksi: Q3 2026")},
            score("quality", "Quality (1–5)", "Laatu (1–5)",
                  "5: no rejected lots; 1: repeated rejections", "5: ei hylättyjä eriä; 1: toistuvia hylkäyksiä"),
            score("delivery", "Delivery (1–5)", "Toimitusvarmuus (1–5)",
                  "5: all on time; 1: most late", "5: kaikki ajallaan; 1: suurin osa myöhässä"),
            score("communication", "Communication and documents (1–5)", "Viestintä ja asiakirjat (1–5)",
                  "Answers, certificates and delivery notes", "Vastaukset, todistukset ja lähetteet"),
            {"key": "on_time", "type": "number", "unit": "%", "decimals": 1, "min": 0, "max": 100,
             "label": label("Deliveries on time", "Ajallaan saapuneet toimitukset")},
            {"key": "rating", "type": "choice", "required": true, "label": label("Rating", "Arvio"),
             "options": [
                 option("approved", "Approved", "Hyväksytty"),
                 option("conditional", "Approved with conditions", "Hyväksytty ehdoin"),
                 option("not_approved", "Not approved", "Ei hyväksytty")
             ],
             "deviation": ["not_approved"]},
            {"key": "actions", "type": "long_text",
             "label": label("Actions agreed with the supplier", "Toimittajan kanssa sovitut toimenpiteet")}
        ],
        "clauses": ["8.4.1"]
    })
}

fn final_inspection() -> Value {
    json!({
        "fields": [
            {"key": "work_order", "type": "text", "required": true, "label": label("Work order", "Työmääräys")},
            {"key": "part", "type": "text", "required": true,
             "label": label("Part number and revision", "Osanumero ja revisio")},
            {"key": "quantity", "type": "number", "required": true, "unit": "pcs", "decimals": 0, "min": 1,
             "label": label("Quantity inspected", "Tarkastettu määrä")},
            check("dimensions_ok", "Dimensions to the drawing", "Mitat piirustuksen mukaiset",
                  "The critical dimensions of the sampling plan measured", "Otantasuunnitelman kriittiset mitat mitattu"),
            check("surface_ok", "Surface and finish", "Pinta ja viimeistely",
                  "No burrs, dents or corrosion; surface treatment as ordered", "Ei purseita, kolhuja eikä korroosiota; pintakäsittely tilauksen mukainen"),
            check("marking_ok", "Marking and packaging", "Merkinnät ja pakkaus",
                  "Part marking, labels and packaging as the customer's instruction", "Osamerkinnät, etiketit ja pakkaus asiakkaan ohjeen mukaan"),
            {"key": "documents", "type": "multi_choice", "label": label("Documents delivered", "Toimitettavat asiakirjat"),
             "options": [
                 option("material_cert", "Material certificate EN 10204 3.1", "Ainestodistus EN 10204 3.1"),
                 option("measurement_report", "Measurement report", "Mittauspöytäkirja"),
                 option("coc", "Certificate of conformity", "Vaatimustenmukaisuustodistus")
             ]},
            {"key": "decision", "type": "choice", "required": true, "label": label("Decision", "Päätös"),
             "options": [
                 option("release", "Release for delivery", "Vapautetaan toimitukseen"),
                 option("hold", "Hold", "Pidätetään")
             ],
             "deviation": ["hold"]},
            notes()
        ],
        "signatures": [{"meaning": "released", "competence": RELEASE_COMPETENCE}],
        "clauses": ["8.6"]
    })
}

fn design_review() -> Value {
    json!({
        "fields": [
            {"key": "project", "type": "text", "required": true, "label": label("Project or part", "Projekti tai osa")},
            {"key": "stage", "type": "choice", "required": true, "label": label("Stage", "Vaihe"),
             "options": [
                 option("concept", "Concept", "Luonnos"),
                 option("detail", "Detail design", "Yksityiskohtainen suunnittelu"),
                 option("pre_production", "Before series production", "Ennen sarjatuotantoa")
             ]},
            {"key": "participants", "type": "text", "required": true, "label": label("Participants", "Osallistujat")},
            check("inputs_met", "The design meets its inputs", "Suunnitelma täyttää lähtötiedot",
                  "Function, customer requirements, standards and manufacturability", "Toiminta, asiakkaan vaatimukset, standardit ja valmistettavuus"),
            {"key": "actions", "type": "table", "label": label("Actions", "Toimenpiteet"),
             "columns": [
                 {"key": "action", "type": "text", "required": true, "label": label("Action", "Toimenpide")},
                 {"key": "owner", "type": "person", "required": true, "label": label("Owner", "Vastuuhenkilö")},
                 {"key": "due", "type": "date", "label": label("Due", "Määräpäivä")},
                 {"key": "done", "type": "yes_no", "label": label("Done", "Tehty")}
             ]},
            {"key": "decision", "type": "choice", "required": true, "label": label("Decision", "Päätös"),
             "options": [
                 option("proceed", "Proceed", "Jatketaan"),
                 option("proceed_with_actions", "Proceed once the actions are done", "Jatketaan, kun toimenpiteet on tehty"),
                 option("review_again", "Review again", "Katselmoidaan uudelleen")
             ],
             "deviation": ["review_again"]},
            notes()
        ],
        "clauses": ["8.3.4"]
    })
}

fn machine_check() -> Value {
    json!({
        "fields": [
            {"key": "machine", "type": "choice", "required": true, "label": label("Machine", "Kone"),
             "options": [
                 option("lathe_1", "CNC lathe 1 (Mazak QT-250)", "CNC-sorvi 1 (Mazak QT-250)"),
                 option("mill_2", "CNC mill 2 (Haas VF-2)", "CNC-jyrsin 2 (Haas VF-2)")
             ]},
            check("guards_ok", "Guards, door interlock and emergency stop work", "Suojukset, oven turvakytkin ja hätäseis toimivat",
                  "Open the door while the spindle turns slowly: it must stop", "Avaa ovi karan pyöriessä hitaasti: karan on pysähdyttävä"),
            check("coolant_ok", "Coolant level and concentration", "Leikkuunesteen määrä ja pitoisuus",
                  "Concentration 6–8 % on the refractometer", "Pitoisuus 6–8 % refraktometrillä"),
            check("lubrication_ok", "Slideway lubrication", "Johteiden voitelu",
                  "Oil tank above the minimum mark", "Öljysäiliö minimimerkin yläpuolella"),
            check("chips_ok", "Chip conveyor and filters clean", "Lastunkuljetin ja suodattimet puhtaat", "", ""),
            {"key": "air_pressure", "type": "number", "required": true, "unit": "bar", "decimals": 1,
             "min": 5.5, "max": 7, "deviation": "outside_limits",
             "label": label("Air pressure", "Paineilman paine"),
             "help": label("Between 5.5 and 7.0 bar", "5,5–7,0 bar")},
            {"key": "remarks", "type": "long_text", "label": label("Remarks", "Huomiot")}
        ],
        "clauses": ["8.5.1", "7.1.3"]
    })
}
