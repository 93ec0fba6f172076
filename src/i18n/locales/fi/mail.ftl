## Sähköposti odottavista tehtävistä (src/mail): viestit, oma asetus, ylläpidon sivu.

mail-subject-document_sign = Allekirjoitus tarvitaan: { $reference } { $title }
mail-body-document_sign = { $title } ({ $reference }) odottaa allekirjoitustasi.
mail-subject-nc_accept = Käsiteltävä poikkeama: { $reference } { $title }
mail-body-nc_accept = Poikkeama { $reference } ”{ $title }” on ilmoitettu omistamallesi prosessille { $process }. Hyväksy tai hylkää se.
mail-subject-nc_action = Sinulle annettiin korjaava toimenpide: { $reference }
mail-body-nc_action =
    Sinulle annettiin korjaava toimenpide poikkeamaan { $reference } ”{ $title }”:
    { $action }
    Määräpäivä on { $due }.
mail-subject-document_acknowledge = Luettava dokumentti: { $reference } { $title }
mail-body-document_acknowledge = Dokumentin { $reference } ”{ $title }” versio { $rev } on voimassa. Lue se ja kuittaa se luetuksi ja ymmärretyksi.
mail-subject-certification_expiring = Pätevyystodistus vanhenemassa: { $title }
mail-body-certification_expiring = Pätevyystodistuksesi { $title } ({ $reference }) on voimassa { $due } asti. Uusi se ajoissa.

mail-open = Avaa se Laatussa:
mail-footer = Saat nämä viestit, koska sähköpostiasetuksesi Laatussa on ”{ $choice }”. Voit muuttaa sitä omissa tiedoissasi: { $account }
mail-digest-subject-one = Laatussa odottaa sinua yksi asia
mail-digest-subject-other = Laatussa odottaa sinua { $count } asiaa
mail-digest-intro-one = Tämä on tullut eilisen viestin jälkeen:
mail-digest-intro-other = Nämä { $count } asiaa ovat tulleet eilisen viestin jälkeen:

mail-choice-immediate = Viesti jokaisesta tehtävästä
mail-choice-digest = Yksi viesti päivässä
mail-choice-off = Ei viestejä

mail-account-title = Sähköposti
mail-account-save = Tallenna asetus
mail-account-hint = Viestit lähetetään osoitteeseen { $email }. Päivän koosteviesti tulee kello { $hour }.00.
mail-account-no-address = Tililläsi ei ole sähköpostiosoitetta, joten sinulle ei lähetetä viestejä. Ylläpitäjä voi lisätä osoitteen.
notice-mail-saved = Sähköpostiasetuksesi tallennettiin.

mail-admin-title = Sähköposti
mail-admin-configured = Viestit lähetetään palvelimen { $server } kautta lähettäjänä { $from }.
mail-admin-not-configured = Sähköpostipalvelinta ei ole määritetty (smtp_url ja mail_from), joten viestejä ei lähetetä. Viestit säilyvät jonossa ja lähtevät, kun palvelin on määritetty.
mail-admin-how = Ajastin lähettää viestit, ei koskaan pyynnön aikana. Päivän koosteviesti lähtee kello { $hour }.00 ({ $timezone }). Viestiä, jota ei saada lähetettyä, yritetään { $attempts } kertaa yhä pidemmin väliajoin, minkä jälkeen siitä luovutaan.
mail-admin-queued = Odottaa
mail-admin-sent = Lähetetty
mail-admin-failed = Ei saatu lähetettyä
mail-admin-failed-title = Viestit, joita ei saatu lähetettyä
mail-admin-queued-title = Odottavat viestit
mail-admin-recipient = Vastaanottaja
mail-admin-subject = Aihe
mail-admin-queued-at = Jonoon
mail-admin-next-attempt = Lähtee
mail-admin-attempts = Yrityksiä
mail-admin-error = Viimeisin virhe
mail-admin-with-digest = Seuraavan koosteviestin mukana
mail-admin-none-failed = Kaikki viestit on tähän mennessä saatu lähetettyä.
mail-admin-none-queued = Yksikään viesti ei odota.

error-invalid_mail_choice = Sähköpostiasetus on ”immediate”, ”digest” tai ”off”.
error-invalid_mail_state = Tuntematon viestin tila.
