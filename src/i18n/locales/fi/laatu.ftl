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

footer-text = Laatu, laatujärjestelmä
