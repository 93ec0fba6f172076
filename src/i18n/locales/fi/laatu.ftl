app-name = Laatu
app-tagline = Laatujärjestelmä
skip-to-content = Siirry sisältöön

nav-home = Etusivu
nav-users = Käyttäjät
nav-audit = Muutoshistoria
nav-account = Omat tiedot
nav-logout = Kirjaudu ulos
nav-login = Kirjaudu
nav-main = Päävalikko
language-label = Kieli
language-switch = Vaihda
lang-en = English
lang-fi = Suomi

role-admin = Pääkäyttäjä
role-quality_manager = Laatupäällikkö
role-process_owner = Prosessin omistaja
role-staff = Henkilöstö
role-auditor = Auditoija

login-title = Kirjaudu sisään
login-username = Käyttäjätunnus
login-password = Salasana
login-submit = Kirjaudu

home-title = Etusivu
home-welcome = Tervetuloa, { $name }.
home-your-roles = Roolisi
home-what-next = Mitä voit tehdä täällä
home-admin = Hallitse käyttäjätilejä, rooleja ja tilien voimassaoloa.
home-audit = Lue muutoshistoriaa: kuka muutti mitä ja milloin.
home-documents = Lue voimassa olevat dokumentit; laadi, tarkasta ja hyväksy uusia versioita.
home-account = Valitse kieli ja salasana ja luo API-avaimia skripteille.

account-title = Omat tiedot
account-language = Kieli
account-language-hint = Sivut näytetään tällä kielellä kaikilla laitteilla, joilta kirjaudut.
account-language-save = Tallenna kieli
account-password-title = Vaihda salasana
account-current-password = Nykyinen salasana
account-new-password = Uusi salasana (vähintään 10 merkkiä)
account-password-submit = Vaihda salasana
tokens-title = API-avaimet
tokens-intro = Avaimella skripti voi käyttää JSON-rajapintaa sinun nimissäsi: lähetä se otsakkeessa "Authorization: Bearer <avain>".
tokens-name = Nimi
tokens-create = Luo avain
tokens-created-once = Kopioi avain nyt. Sitä ei näytetä uudelleen.
tokens-none = Ei vielä avaimia.
tokens-created-at = Luotu
tokens-status = Tila
tokens-active = Voimassa
tokens-revoked = Mitätöity { $time }
tokens-revoke = Mitätöi

users-title = Käyttäjät
users-new = Uusi käyttäjä
users-username = Käyttäjätunnus
users-display-name = Nimi
users-email = Sähköposti
users-roles = Roolit
users-status = Tila
users-active = Aktiivinen
users-deactivated = Poistettu käytöstä
users-expired = Vanhentunut
users-expires = Tili vanhenee
users-expires-hint = Päivä (UTC), josta alkaen tili ei enää toimi; jätä tyhjäksi, jos tili ei vanhene. Ulkoisille auditoijille.
users-locked = Lukittu { $time } asti
users-unlock = Poista epäonnistuneiden kirjautumisten lukitus
users-active-label = Tili on käytössä (poista valinta, niin istunnot ja avaimet lakkaavat heti toimimasta)
users-save = Tallenna
users-create = Luo käyttäjä
users-password = Salasana (vähintään 10 merkkiä)
users-password-title = Aseta salasana
users-password-hint = Käyttäjän istunnot päättyvät; kerro uusi salasana hänelle henkilökohtaisesti.
users-password-submit = Aseta salasana
users-tokens = Käyttäjän API-avaimet
users-created = Luotu
users-total = { $total ->
    [one] Yksi käyttäjä
   *[other] { $total } käyttäjää
}

audit-title = Muutoshistoria
audit-intro = Jokainen tietojen muutos järjestyksessä. Jokainen tapahtuma sisältää edellisen tapahtuman tiivisteen, joten "laatu check" löytää muutetun tapahtuman.
audit-seq = #
audit-time = Aika
audit-actor = Kuka
audit-action = Mitä
audit-entity = Kohde
audit-summary = Yhteenveto
audit-changes = Muutokset
audit-from = Alkaen (UTC)
audit-to = Asti (UTC)
audit-entity-type = Kohteen tyyppi
audit-entity-id = Kohteen tunniste
audit-filter = Suodata
audit-clear = Tyhjennä
audit-none = Ei tapahtumia.
audit-total = { $total ->
    [one] Yksi tapahtuma
   *[other] { $total } tapahtumaa
}

page-prev = Edellinen
page-next = Seuraava
page-of = Sivu { $page } / { $pages }

notice-password-changed = Salasanasi vaihdettiin. Muut istuntosi päättyivät.
notice-token-revoked = Avain mitätöitiin.
notice-user-created = Käyttäjä luotiin.
notice-user-saved = Käyttäjä tallennettiin.
notice-password-set = Salasana asetettiin ja käyttäjän istunnot päättyivät.

error-title = Jokin meni vikaan
error-back = Takaisin etusivulle
error-not_authenticated = Kirjaudu ensin sisään.
error-forbidden = Roolisi eivät salli tätä.
error-not_found = Ei löytynyt.
error-page_not_found = Sivua ei ole.
error-route_not_found = Rajapinnassa ei ole tällaista osoitetta.
error-method_not_allowed = Toiminto ei ole mahdollinen tässä.
error-bad_request = Pyyntöä ei ymmärretty.
error-csrf_token_invalid = Lomake on vanhentunut tai se ei tullut tältä sivustolta. Lataa sivu uudelleen ja yritä uudestaan.
error-invalid_credentials = Väärä käyttäjätunnus tai salasana.
error-account_locked = Liian monta epäonnistunutta kirjautumista. Tili on lukittu hetkeksi; yritä myöhemmin uudelleen tai pyydä apua pääkäyttäjältä.
error-account_disabled = Tämä tili on poistettu käytöstä tai vanhentunut.
error-invalid_token = API-avain on tuntematon tai mitätöity.
error-invalid_username = Käyttäjätunnuksessa on 2-64 merkkiä: pieniä kirjaimia, numeroita, ".", "_" tai "-".
error-weak_password = Salasanassa on oltava vähintään 10 merkkiä.
error-invalid_display_name = Nimessä on 1-200 merkkiä.
error-invalid_email = Tämä ei ole sähköpostiosoite.
error-unknown_role = Tuntematon rooli.
error-roles_required = Anna käyttäjälle vähintään yksi rooli.
error-username_taken = Käyttäjätunnus on jo käytössä.
error-user_not_found = Käyttäjää ei ole.
error-version_conflict = Joku muu muutti käyttäjää muokkauksesi aikana. Muutoksiasi ei tallennettu; tarkista nykyiset tiedot ja yritä uudelleen.
error-cannot_remove_last_admin = Tämä on viimeinen aktiivinen pääkäyttäjä. Tee ensin joku muu pääkäyttäjäksi.
error-current_password_mismatch = Nykyinen salasana on väärin.
error-invalid_token_name = Avaimen nimessä on 1-100 merkkiä.
error-token_not_found = Avainta ei ole.
error-invalid_time = Anna päivämäärä (2026-11-01) tai UTC-aika (2026-11-01T08:00:00).
error-unknown_language = Tuntematon kieli.
error-malformed_form = Lomaketta ei voitu lukea.
error-invalid_form = Lomakkeesta puuttuu kenttä tai kentässä on virheellinen arvo.
error-payload_too_large = Pyyntö on liian suuri.
error-invalid_query = Osoitteessa on virheellinen parametri.
error-already_exists = Tämä on jo olemassa.
error-concurrent_update = Joku muu muutti tätä samaan aikaan. Yritä uudelleen.
error-internal_error = Tapahtui sisäinen virhe. Se on kirjattu lokiin.
error-database_unavailable = Tietokantaan ei juuri nyt saada yhteyttä.
error-repository_unavailable = Dokumenttivarasto ei ole juuri nyt käytettävissä.

error-invalid_json = Pyynnöstä puuttuu kenttä tai kentän tyyppi on väärä.
error-malformed_json = Pyynnön runko ei ole kelvollista JSONia.
error-unsupported_content_type = Lähetä pyynnön runko muodossa application/json.

nav-documents = Dokumentit

docs-title = Dokumentit
docs-new = Uusi dokumentti
docs-search = Haku
docs-status = Tila
docs-status-current = Voimassa olevat ja valmisteltavat
docs-any = Kaikki
docs-kind = Laji
docs-owner = Omistaja
docs-review-overdue = Katselmointi myöhässä
docs-total = { $total ->
    [one] Yksi dokumentti
   *[other] { $total } dokumenttia
}
docs-number = Tunnus
docs-doc-title = Otsikko
docs-revision = Versio
docs-next-review = Seuraava katselmointi
docs-number-hint = Jätä tyhjäksi, niin dokumentti saa lajinsa seuraavan tunnuksen (QP-001, WI-001, ...). Tunnuksia ei käytetä uudelleen.
docs-process = Prosessi
docs-review-interval = Katselmointiväli (kuukautta)
docs-create = Luo dokumentti
docs-edit = Muokkaa luonnosta
docs-draft-heading = Versio { $rev } valmisteilla
docs-read-draft = Lue luonnos
docs-redline = Muutokset
docs-change-reason = Muutoksen syy
docs-last-saved-by = Viimeksi tallentanut { $name }
docs-effective-from = Voimaan alkaen
docs-submit = Lähetä hyväksyttäväksi
docs-route = Hyväksyntäreitti
docs-step-n-of-role = { $n } allekirjoitusta roolista:
docs-step-all-users = { $count ->
    [one] Nimetty henkilö allekirjoittaa
   *[other] Kaikki { $count } nimettyä henkilöä allekirjoittavat
}
docs-signatures = Allekirjoitukset
docs-signer = Allekirjoittaja
docs-meaning = Merkitys
docs-comment = Kommentti
docs-commit = Commit
docs-voided = Mitätön
docs-sign = Allekirjoita
docs-sign-password = Salasanasi
docs-sign-hint = Allekirjoituksesi sidotaan juuri tähän sisältöön. Jos luonnos muuttuu, allekirjoitus mitätöityy.
docs-reject-comment = Miksi versio hylätään?
docs-reject = Palauta luonnokseksi
docs-effective-banner = Versio { $rev } on voimassa.
docs-attachments = Liitteet
docs-not-yet-effective = Tästä dokumentista ei ole vielä voimassa olevaa versiota.
docs-revisions = Versiot
docs-author = Laatija
docs-approved-at = Hyväksytty
docs-draft-banner = LUONNOS: ei hyväksytty, ei käyttöön.
docs-superseded-banner = EI VOIMASSA: korvattu tai poistettu, ei käyttöön.
docs-go-current = Lue voimassa oleva versio { $rev }
docs-download = Lataa
docs-redline-stats = { $added } sanaa lisätty, { $removed } sanaa poistettu.
docs-back = Takaisin dokumenttiin
docs-content = Sisältö (Markdown)
docs-markdown-hint = Markdown: # otsikot, *korostus*, luettelot, taulukot. Skriptit ja vaaralliset linkit poistetaan näytettäessä.
docs-save = Tallenna luonnos
docs-preview = Esikatselu
docs-preview-banner = Esikatselu: ei tallennettu.

docstatus-draft = Valmisteilla
docstatus-effective = Voimassa
docstatus-obsolete = Poistettu käytöstä

revstatus-draft = Luonnos
revstatus-in_review = Tarkastettavana
revstatus-approved = Hyväksytty, ei vielä voimassa
revstatus-effective = Voimassa
revstatus-superseded = Korvattu
revstatus-obsolete = Poistettu käytöstä

kind-policy = Politiikka
kind-scope = Soveltamisala
kind-manual = Käsikirja
kind-procedure = Menettelyohje
kind-work_instruction = Työohje
kind-form = Lomake
kind-external = Ulkoinen dokumentti

meaning-reviewed = Tarkastettu
meaning-approved = Hyväksytty
meaning-rejected = Hylätty

notice-document-created = Dokumentti luotiin. Kirjoita sen ensimmäinen luonnos.
notice-draft-saved = Luonnos tallennettiin.
notice-document-submitted = Luonnos lähetettiin hyväksyttäväksi.
notice-document-signed = Allekirjoituksesi kirjattiin.
notice-document-rejected = Versio palautettiin luonnokseksi.

error-document_not_found = Dokumenttia ei ole.
error-unknown_document_kind = Tuntematon dokumenttilaji.
error-invalid_document_number = Dokumentin tunnus on isoja kirjaimia, yhdysmerkki ja numeroita, esimerkiksi QP-001.
error-invalid_title = Otsikossa on 1-300 merkkiä.
error-invalid_review_interval = Katselmointiväli on 1-120 kuukautta.
error-owner_cannot_own = Omistajan on oltava prosessin omistaja tai laatupäällikkö.
error-document_number_taken = Tunnus on jo käytetty. Tunnuksia ei käytetä uudelleen.
error-content_too_large = Teksti on liian suuri; liitä suuret tiedostot liitteinä.
error-document_obsolete = Dokumentti on poistettu käytöstä eikä sitä voi muuttaa.
error-change_reason_required = Uusi versio tarvitsee muutoksen syyn.
error-draft_conflict = Joku muu tallensi luonnoksen sen jälkeen, kun aloitit muokkaamisen. Tekstisi on alla; vertaa sitä nykyiseen luonnokseen ja tallenna uudelleen.
error-invalid_route = Hyväksyntäreitti ei kelpaa.
error-no_draft = Luonnosta tai tarkastettavaa versiota ei ole.
error-already_in_review = Versio on jo tarkastettavana.
error-draft_empty = Tallenna luonnos ennen lähettämistä.
error-invalid_effective_date = Voimaantulopäivä on tänään tai myöhemmin.
error-signature_password_mismatch = Salasana ei täsmää. Allekirjoitusta ei kirjattu.
error-not_in_review = Versio ei ole tarkastettavana.
error-draft_changed = Luonnos muuttui lukemisesi jälkeen. Lue se uudelleen ennen allekirjoittamista.
error-author_cannot_sign = Version laatija ei voi allekirjoittaa sitä.
error-not_a_signer = Et ole nykyisen vaiheen allekirjoittaja.
error-already_signed = Olet jo allekirjoittanut tämän vaiheen.
error-final_step_needs_approval = Viimeinen vaihe allekirjoitetaan merkityksellä hyväksytty.
error-comment_required = Kirjoita kommentti.
error-revision_not_found = Versiota ei ole.
error-revision_has_no_content = Versiota ei ole vielä tallennettu.
error-invalid_meaning = Allekirjoituksen merkitys on tarkastettu tai hyväksytty.

docs-review-no-change = Kirjaa määräaikaiskatselmointi: ei muutostarvetta
docs-review-comment = Mitä katselmoinnissa tarkasteltiin?
docs-review-submit = Allekirjoita katselmointi
docs-withdraw = Poista dokumentti käytöstä
docs-withdraw-reason = Miksi dokumentti poistetaan käytöstä?
notice-document-reviewed = Katselmointi kirjattiin ja seuraavan katselmoinnin päivä siirtyi.
notice-document-withdrawn = Dokumentti poistettiin käytöstä. Se on yhä luettavissa, mutta ei voimassa.
error-not_effective = Dokumentilla ei ole voimassa olevaa versiota.
error-reason_required = Kerro syy.

docs-attach = Liitä
docs-attach-file = Tiedosto (Word, PDF, kuva, ...)
docs-attach-after-save = Tallenna ensin teksti; sitten voit liittää tiedostoja.
docs-remove = Poista
notice-attachment-added = Tiedosto liitettiin luonnokseen.
notice-attachment-removed = Tiedosto poistettiin luonnoksesta.
error-no_file = Valitse liitettävä tiedosto.
error-invalid_attachment_name = Tiedostonimeä ei voi käyttää: ei kauttaviivoja, ei alkupistettä, ei "..", enintään 200 tavua.
error-attachment_not_found = Liitettä ei ole.
error-malformed_body = Pyynnön runkoa ei voitu lukea.

docs-route-own = Tämän dokumentin hyväksyntäreitti
docs-route-steps = Vaiheet, yksi riviä kohden
docs-route-hint = Kirjoita "all: ann, bob" (kaikki nimetyt allekirjoittavat) tai "2 of quality_manager" (kaksi roolin haltijaa allekirjoittaa). Tyhjä: lajin reitti on voimassa. Jo lähetetyt versiot pitävät reittinsä.
docs-route-kinds = Hyväksyntäreitit lajeittain
docs-route-default = Jos reittiä ei ole, yksi laatupäällikkö hyväksyy.
docs-route-save = Tallenna reitti
notice-route-saved = Hyväksyntäreitti tallennettiin.

docs-compare-from = Mistä
docs-compare-to = mihin

error-process_not_found = Prosessia ei ole.
error-invalid_process_code = Prosessin tunnus on 2-16 isoa kirjainta, numeroa, "_" tai "-" ja alkaa kirjaimella (SALES, PROD-2).
error-invalid_process_status = Prosessi on käytössä tai poistettu käytöstä.
error-invalid_process_name = Prosessin nimessä on 1-200 merkkiä.
error-process_code_taken = Prosessin tunnus on jo käytössä.
error-process_in_use = Prosessilla on dokumentteja tai yhteyksiä. Poista se käytöstä poistamisen sijaan.
error-owner_required = Nimeä prosessin omistaja.
error-invalid_output = Tuotoksella on nimi, ja se menee vähintään yhdelle toiselle käytössä olevalle prosessille tai ulkoiselle asiakkaalle.
error-output_not_found = Tuotosta ei ole.
error-invalid_input = Syötteellä on nimi ja ulkoinen toimittaja.
error-input_not_found = Syötettä ei ole.
error-text_too_long = Teksti on liian pitkä (enintään 10 000 merkkiä).

error-kpi_not_found = Mittaria ei ole.
error-invalid_value = Anna luku, esimerkiksi 12,5.
error-invalid_unit = Yksikössä on enintään 30 merkkiä.
error-invalid_period = Jakso ei ole mittarin tiheyden mukaisessa muodossa (2026-10, 2026-Q3, 2026, 2026-W41).
error-period_in_future = Jakso ei ole vielä alkanut.
error-invalid_direction = Suunta on higher_is_better tai lower_is_better.
error-invalid_indicator = Mittarin laji on leading tai lagging.
error-invalid_frequency = Tiheys on weekly, monthly, quarterly tai yearly.
error-invalid_kpi_name = Mittarin nimessä on 1-200 merkkiä.

nav-processes = Prosessit
home-processes = Katso jokainen prosessi, sen syötteet, tuotokset, sisäiset asiakkaat ja mittarit.
processes-title = Prosessit
processes-map = Prosessikartta
processes-map-title = Prosessikartta
processes-map-hint = Jokainen laatikko on prosessi; jokainen nuoli on se, mitä prosessi toimittaa asiakkaalleen. Harmaat laatikot ovat ulkoisia asiakkaita ja toimittajia.
processes-map-download = Avaa kartta SVG-kuvana
processes-code = Tunnus
processes-name = Nimi
processes-owner = Omistaja
processes-status = Tila
processes-members = Jäsenet (käyttäjätunnukset)
processes-purpose = Tarkoitus
processes-criteria = Kriteerit ja menetelmät
processes-risks = Riskit ja mahdollisuudet
processes-new = Uusi prosessi
processes-create = Luo prosessi
processes-edit = Muokkaa prosessia
processes-add-output = Lisää tuotos
processes-add-input = Lisää syöte ulkoiselta toimittajalta
processes-what-flows = Mitä siirtyy
processes-internal-customers = Sisäiset asiakkaat
processes-external-customer = Ulkoinen asiakas
processes-external-supplier = Ulkoinen toimittaja
pstatus-active = Käytössä
pstatus-retired = Poistettu käytöstä
turtle-inputs = Syötteet
turtle-outputs = Tuotokset
turtle-with-what = Millä (resurssit)
turtle-with-whom = Kenen kanssa
turtle-how = Miten (dokumentit)
turtle-measures = Mittarit
kpi-target = Tavoite
kpi-unit = Yksikkö
kpi-direction = Suunta
kpi-indicator = Mittarin laji
kpi-frequency = Mitataan
kpi-higher_is_better = suurempi on parempi
kpi-lower_is_better = pienempi on parempi
kpi-leading = ennakoiva
kpi-lagging = jälkikäteinen
kpi-weekly = viikoittain
kpi-monthly = kuukausittain
kpi-quarterly = neljännesvuosittain
kpi-yearly = vuosittain
kpi-latest = Viimeisin
kpi-met = tavoite saavutettu
kpi-missed = tavoite ei täyttynyt
kpi-no-values = Ei vielä mittauksia.
kpi-overdue = mittaus myöhässä
kpi-trend = Kehitys
kpi-period = Jakso
kpi-value = Arvo
kpi-record = Kirjaa
kpi-none = Ei vielä mittareita.
kpi-add = Lisää mittari
notice-process-created = Prosessi luotiin.
notice-process-saved = Prosessi tallennettiin.
notice-output-added = Tuotos lisättiin; sen asiakkaat näkevät sen syötteenä.
notice-input-added = Syöte lisättiin.
notice-kpi-added = Mittari lisättiin.
notice-measurement-recorded = Mittaus kirjattiin.

notice-output-removed = Tuotos poistettiin; sen asiakkaat eivät enää näe sitä syötteenä.
notice-input-removed = Syöte poistettiin.

error-nonconformity_not_found = Poikkeamaa ei ole.
error-invalid_nc_kind = Tuntematon poikkeaman laji.
error-invalid_severity = Vakavuus on vähäinen, merkittävä tai kriittinen.
error-invalid_nc_status = Tuntematon poikkeaman tila.
error-not_responsible_owner = Vain vastuuprosessin omistaja hyväksyy tai hylkää poikkeaman.
error-invalid_transition = Tämä vaihe ei sovi poikkeaman nykyiseen tilaan.
error-detected_in_future = Poikkeamaa ei voi havaita tulevaisuudessa.

footer-text = Laatu, laatujärjestelmä
