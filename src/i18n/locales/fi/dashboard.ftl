# Etusivun kortit.
dash-card-tasks = Sinua odottaa
dash-card-nc = Poikkeamat
dash-card-documents = Asiakirjat
dash-card-kpis = Prosessien suorituskyky
dash-card-competence = Pätevyys
dash-card-records = Tietueet
dash-card-audit = Mistä aloittaa
dash-scope-own = Luvut koskevat omia prosessejasi: { $processes }.
dash-tasks-all = { $count ->
    [one] tehtävä yhteensä
   *[other] tehtävää yhteensä
}
dash-tasks-late = myöhässä
dash-nc-open = avoinna
dash-nc-overdue = myöhässä
dash-docs-in-review = { $count ->
    [one] versio odottaa hyväksyntää
   *[other] versiota odottaa hyväksyntää
}
dash-docs-review-late = { $count ->
    [one] määräaikaiskatselmointi myöhässä
   *[other] määräaikaiskatselmointia myöhässä
}
dash-kpi-off-target = { $count ->
    [one] mittari ei saavuta tavoitetta
   *[other] mittaria ei saavuta tavoitetta
}
dash-kpi-late = { $count ->
    [one] mittaus myöhässä
   *[other] mittausta myöhässä
}
dash-cert-expiring = { $count ->
    [one] pätevyystodistus vanhenemassa
   *[other] pätevyystodistusta vanhenemassa
}
dash-cert-expired = { $count ->
    [one] vanhentunut
   *[other] vanhentunutta
}
dash-records-overdue = { $count ->
    [one] aikataulutettu tietue myöhässä
   *[other] aikataulutettua tietuetta myöhässä
}
dash-records-deviation = { $count ->
    [one] tietue, jossa poikkeama (30 päivää)
   *[other] tietuetta, joissa poikkeama (30 päivää)
}
dash-audit-documents = Ohjatut asiakirjat ja niiden versiot (7.5)
dash-audit-processes = Prosessit ja niiden vuorovaikutus (4.4)
dash-audit-records = Tietueet lomakepohjittain (7.5.3)
dash-audit-ncs = Poikkeamat ja korjaavat toimenpiteet (10.2)
dash-audit-competence = Pätevyys ja sen näyttö (7.2)
dash-audit-trail = Muutoshistoria
dash-task-document_sign = { $count ->
    [one] allekirjoitettava versio
   *[other] allekirjoitettavaa versiota
}
dash-task-document_review = { $count ->
    [one] määräaikaiskatselmointi tehtävänä
   *[other] määräaikaiskatselmointia tehtävänä
}
dash-task-document_acknowledge = { $count ->
    [one] luettava asiakirja
   *[other] luettavaa asiakirjaa
}
dash-task-kpi_measure = { $count ->
    [one] mittaus kirjattavana
   *[other] mittausta kirjattavana
}
dash-task-nc_accept = { $count ->
    [one] poikkeama hyväksyttävänä tai hylättävänä
   *[other] poikkeamaa hyväksyttävänä tai hylättävänä
}
dash-task-nc_analyse = { $count ->
    [one] juurisyy selvitettävänä
   *[other] juurisyytä selvitettävänä
}
dash-task-nc_plan_actions = { $count ->
    [one] poikkeama odottaa toimenpiteitä
   *[other] poikkeamaa odottaa toimenpiteitä
}
dash-task-nc_action = { $count ->
    [one] toimenpide tehtävänä
   *[other] toimenpidettä tehtävänä
}
dash-task-nc_verify = { $count ->
    [one] vaikuttavuuden tarkistus
   *[other] vaikuttavuuden tarkistusta
}
dash-task-nc_close = { $count ->
    [one] poikkeama suljettavana
   *[other] poikkeamaa suljettavana
}
dash-task-certification_expiring = { $count ->
    [one] pätevyystodistus uusittavana
   *[other] pätevyystodistusta uusittavana
}
dash-task-certification_expired = { $count ->
    [one] pätevyystodistus vanhentunut
   *[other] pätevyystodistusta vanhentunut
}
dash-task-training_due = { $count ->
    [one] koulutus edessä
   *[other] koulutusta edessä
}
dash-task-record_due = { $count ->
    [one] tietue täytettävänä
   *[other] tietuetta täytettävänä
}
