//! Demo documents: a small Finnish manufacturer's controlled set, in
//! English and Finnish, in several states (in force, superseded, in review,
//! in preparation, approved with a future effective date).

/// One demo document and how far its life cycle goes.
pub struct DemoDoc {
    pub number: &'static str,
    pub kind: &'static str,
    pub title: &'static str,
    pub process: &'static str,
    pub owner: &'static str,
    pub review_interval_months: i32,
    /// Revisions in order: content, reason for change.
    pub revisions: &'static [(&'static str, &'static str)],
    /// How far the last revision goes.
    pub last: Last,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Last {
    Effective,
    InReview,
    Draft,
    ApprovedFuture,
}

pub const DOCS: &[DemoDoc] = &[
    DemoDoc {
        number: "POL-001",
        kind: "policy",
        title: "Laatupolitiikka / Quality policy",
        process: "MGMT",
        owner: "laura",
        review_interval_months: 12,
        revisions: &[
            (
                "# Laatupolitiikka\n\nKonepaja Esimerkki Oy valmistaa asiakkailleen mittatarkkoja koneistettuja osia sovitussa ajassa.\n\n- Kuuntelemme asiakasta ja sisäistä asiakasta: jokaisella prosessilla on asiakas.\n- Täytämme asiakkaan ja lakien vaatimukset.\n- Parannamme toimintaamme jatkuvasti mittausten ja palautteen perusteella.\n\n# Quality policy\n\nWe make precise machined parts for our customers on time, listen to every customer, internal and external, meet requirements and improve continually.\n",
                "",
            ),
            (
                "# Laatupolitiikka\n\nKonepaja Esimerkki Oy valmistaa asiakkailleen mittatarkkoja koneistettuja osia sovitussa ajassa ja turvallisesti.\n\n- Kuuntelemme asiakasta ja sisäistä asiakasta: jokaisella prosessilla on asiakas.\n- Täytämme asiakkaan ja lakien vaatimukset.\n- Asetamme mitattavat laatutavoitteet ja seuraamme niitä johdon katselmuksessa.\n- Parannamme toimintaamme jatkuvasti mittausten ja palautteen perusteella.\n\n# Quality policy\n\nWe make precise machined parts for our customers on time and safely, listen to every customer, internal and external, set measurable quality objectives, meet requirements and improve continually.\n",
                "Laatutavoitteet lisätty (ISO 9001 5.2.1 c) / quality objectives added",
            ),
        ],
        last: Last::Effective,
    },
    DemoDoc {
        number: "SCOPE-001",
        kind: "scope",
        title: "Quality management system scope",
        process: "MGMT",
        owner: "laura",
        review_interval_months: 12,
        revisions: &[(
            "# Scope of the quality management system\n\nThe QMS covers the design-to-order machining of steel and aluminium parts at the Tampere works: sales, purchasing, production, delivery and customer service.\n\n## Requirements not applicable\n\n| Clause | Why not applicable |\n|---|---|\n| 8.3 Design and development | Parts are made to the customer's drawings; we do not design products. |\n",
            "",
        )],
        last: Last::Effective,
    },
    DemoDoc {
        number: "QM-001",
        kind: "manual",
        title: "Laatukäsikirja",
        process: "MGMT",
        owner: "laura",
        review_interval_months: 24,
        revisions: &[(
            "# Laatukäsikirja\n\n## 1. Organisaatio\n\nToimitusjohtaja vastaa laatujärjestelmästä; laatupäällikkö ylläpitää sitä.\n\n## 2. Prosessit\n\nMyynti, hankinta, tuotanto, toimitus ja asiakaspalvelu. Jokaisella prosessilla on omistaja, ja sen tuotoksella on asiakas.\n\n## 3. Dokumentit\n\nOhjatut dokumentit ovat Laatu-järjestelmässä; voimassa on aina vain hyväksytty versio.\n",
            "",
        )],
        last: Last::Effective,
    },
    DemoDoc {
        number: "QP-001",
        kind: "procedure",
        title: "Document control",
        process: "MGMT",
        owner: "laura",
        review_interval_months: 24,
        revisions: &[
            (
                "# Document control\n\n1. The process owner drafts the document in Laatu.\n2. The quality manager approves it.\n3. Staff read and acknowledge it.\n",
                "",
            ),
            (
                "# Document control\n\n1. The process owner drafts the document in Laatu and states the reason for change.\n2. The route decides who reviews and who approves; signatures are bound to the exact text.\n3. The revision takes effect on its effective date; the previous one is superseded.\n4. Staff read and acknowledge the revision in force.\n5. Every document is reviewed at its review interval.\n",
                "Routes, effective dates and periodic review described",
            ),
        ],
        last: Last::Effective,
    },
    DemoDoc {
        number: "QP-002",
        kind: "procedure",
        title: "Poikkeamien käsittely / Nonconformity handling",
        process: "IMPR",
        owner: "pekka",
        review_interval_months: 12,
        revisions: &[(
            "# Poikkeamien käsittely\n\n1. Kuka tahansa kirjaa poikkeaman Laatuun heti havaittuaan sen.\n2. Vastuuprosessin omistaja hyväksyy tai hylkää poikkeaman viiden työpäivän kuluessa.\n3. Juurisyy selvitetään (5 x miksi) ja korjaavat toimenpiteet sovitaan.\n4. Laatupäällikkö tarkistaa toimenpiteiden vaikuttavuuden.\n\n# Nonconformity handling\n\nAnyone records a nonconformity when found; the owner of the responsible process accepts it within five working days; the root cause is analysed and actions agreed; the quality manager verifies effectiveness.\n",
            "",
        )],
        last: Last::Effective,
    },
    DemoDoc {
        number: "QP-003",
        kind: "procedure",
        title: "Purchasing and supplier evaluation",
        process: "PURCH",
        owner: "maria",
        review_interval_months: 12,
        revisions: &[
            (
                "# Purchasing\n\nBuy materials from approved suppliers only. Check each delivery against the order.\n",
                "",
            ),
            (
                "# Purchasing and supplier evaluation\n\nBuy materials from suppliers on the approved supplier list only. Check each delivery against the order and the material certificate. Evaluate every supplier yearly on delivery accuracy and quality (ISO 9001 8.4.1).\n",
                "Yearly supplier evaluation added after audit finding",
            ),
        ],
        last: Last::InReview,
    },
    DemoDoc {
        number: "QP-004",
        kind: "procedure",
        title: "Sisäiset auditoinnit",
        process: "IMPR",
        owner: "laura",
        review_interval_months: 12,
        revisions: &[(
            "# Sisäiset auditoinnit\n\nAuditointiohjelma laaditaan vuodeksi kerrallaan. Jokainen prosessi auditoidaan vähintään kerran vuodessa. Auditoija ei auditoi omaa työtään. Havainnot kirjataan poikkeamina.\n",
            "",
        )],
        last: Last::ApprovedFuture,
    },
    DemoDoc {
        number: "WI-001",
        kind: "work_instruction",
        title: "Incoming inspection",
        process: "PURCH",
        owner: "maria",
        review_interval_months: 24,
        revisions: &[(
            "# Incoming inspection\n\n1. Compare the delivery note with the purchase order.\n2. Check the material certificate (EN 10204 3.1).\n3. Measure 5 pieces of each lot.\n4. Label the lot *accepted* or *on hold*; log a nonconformity for a lot on hold.\n",
            "",
        )],
        last: Last::Effective,
    },
    DemoDoc {
        number: "WI-002",
        kind: "work_instruction",
        title: "Pakkaaminen ja lähetys",
        process: "DELIV",
        owner: "pekka",
        review_interval_months: 24,
        revisions: &[(
            "# Pakkaaminen ja lähetys\n\n1. Tarkista osien määrä lähetteestä.\n2. Suojaa koneistetut pinnat ruosteenestoaineella.\n3. Pakkaa osat asiakkaan ohjeen mukaan.\n4. Kiinnitä lähetysetiketti ja kuittaa toimitus järjestelmään.\n",
            "",
        )],
        last: Last::Effective,
    },
    DemoDoc {
        number: "WI-003",
        kind: "work_instruction",
        title: "Calibration of measuring instruments",
        process: "PROD",
        owner: "pekka",
        review_interval_months: 12,
        revisions: &[(
            "# Calibration of measuring instruments\n\nDraft: list every micrometer and caliper with its calibration interval; calibrate against the reference blocks; record results (ISO 9001 7.1.5.2).\n",
            "",
        )],
        last: Last::Draft,
    },
    DemoDoc {
        number: "FORM-001",
        kind: "form",
        title: "Poikkeamaraportti / Nonconformity report",
        process: "IMPR",
        owner: "pekka",
        review_interval_months: 36,
        revisions: &[(
            "# Poikkeamaraportti / Nonconformity report\n\n| Kenttä / Field | Arvo / Value |\n|---|---|\n| Numero / Number | NC-vvvv-nnn |\n| Havaittu / Detected on | |\n| Prosessi / Process | |\n| Kuvaus / Description | |\n| Välitön korjaus / Correction | |\n| Päätös / Decision | |\n",
            "",
        )],
        last: Last::Effective,
    },
    DemoDoc {
        number: "EXT-001",
        kind: "external",
        title: "SFS-EN ISO 9001:2015",
        process: "MGMT",
        owner: "laura",
        review_interval_months: 36,
        revisions: &[(
            "# SFS-EN ISO 9001:2015\n\nExternal standard, kept by the quality manager. The licensed copy is in the quality manager's office; this entry controls its version.\n",
            "",
        )],
        last: Last::Effective,
    },
];
