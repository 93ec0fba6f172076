# Asiakaskokemus: arvolupaus, prosessien palvelemat kokemukset, asiakaskokemusmittarit.

nav-promise = Lupaus
home-promise = Arvolupauksemme ja tavoittelemamme asiakaskokemukset
kind-value_promise = Arvolupaus

promise-title = Arvolupaus
promise-in-force = Voimassa: { $number } versio { $rev }, ylimmän johdon hyväksymä.
promise-basic_task = Perustehtävämme
promise-promise = Arvolupauksemme
promise-experiences = Tavoitellut asiakaskokemukset
promise-experience = Tavoiteltu kokemus
promise-measured-by = Miten sitä mitataan
promise-served-by = Sitä palvelevat prosessit
promise-served-by-none = ei vielä yhtään prosessia
promise-none = Arvolupausta ei ole vielä voimassa. Ylin johto kirjaa perustehtävän, arvolupauksen ja kolmesta seitsemään tavoiteltua asiakaskokemusta ohjattuun asiakirjaan, jonka tyyppi on arvolupaus.
promise-create = Kirjoita arvolupaus
promise-edit = Muokkaa lupausta
promise-edit-title = Arvolupaus
promise-back-to-document = Takaisin asiakirjaan
promise-edit-hint = Lupaus tallennetaan luonnokseen ja tulee voimaan, kun versio hyväksytään. Kirjoita jokainen teksti englanniksi ja suomeksi. Tyhjennä rivin tekstit, jos et tarvitse sitä.
promise-lang-en = englanniksi
promise-lang-fi = suomeksi
promise-experiences-hint = Kolmesta seitsemään kokemusta, kukin yksi lyhyt lause ja miten sitä mitataan. Tunnus nimeää kokemuksen prosesseille ja mittareille ja pysyy samana versiosta toiseen; tyhjäksi jätettynä se tehdään englanninkielisestä lauseesta.
promise-key = Tunnus
promise-sentence = Kokemus
promise-measured = Miten sitä mitataan
promise-save = Tallenna lupaus luonnokseen

notice-promise-saved = Lupaus tallennettiin luonnokseen. Se tulee voimaan, kun versio hyväksytään.
notice-experiences-saved = Prosessin tavoittelemat asiakaskokemukset tallennettiin.
notice-kpi-experience-saved = Mittarin mittaama kokemus tallennettiin.

cx-serves = Asiakaskokemukset, joita se palvelee
cx-serves-pick = Arvolupauksen kokemukset, joita tämä prosessi palvelee
cx-save-experiences = Tallenna kokemukset
cx-serves-none = Tämä prosessi ei vielä palvele yhtään tavoiteltua kokemusta.
cx-no-promise = Arvolupausta ei ole vielä voimassa.
cx-measures = Asiakaskokemusmittarit
cx-status-none = ei asiakaskokemusmittaria
cx-status-lagging_only = vain jälkijättöisiä
cx-status-leading = ennakoiva
cx-counts = { $leading } ennakoivaa, { $lagging } jälkijättöistä
cx-measure = Asiakaskokemusmittari
cx-filter-none = Käytössä olevat prosessit, joilla ei ole asiakaskokemusmittaria.
cx-filter-lagging_only = Käytössä olevat prosessit, joiden asiakaskokemusmittarit ovat kaikki jälkijättöisiä.
cx-filter-leading = Käytössä olevat prosessit, joilla on vähintään yksi ennakoiva asiakaskokemusmittari.
cx-filter-clear = Näytä kaikki prosessit

kpi-experience = Mitattava asiakaskokemus
kpi-experience-none = ei mitään (ei asiakaskokemusmittari)
kpi-experience-save = Tallenna
kpi-experience-hint = Liitä mittari arvolupauksen tavoiteltuun kokemukseen, niin siitä tulee asiakaskokemusmittari.

map-experiences = Asiakaskokemukset, joita kukin prosessi palvelee
map-experiences-hint = Voimassa olevasta arvolupauksesta.
map-flow-process = Prosessi

dash-card-cx = Asiakaskokemus
dash-cx-none = { $count ->
    [one] prosessi ilman asiakaskokemusmittaria
   *[other] prosessia ilman asiakaskokemusmittaria
}
dash-cx-lagging-only = { $count ->
    [one] prosessi, jolla vain jälkijättöisiä asiakaskokemusmittareita
   *[other] prosessia, joilla vain jälkijättöisiä asiakaskokemusmittareita
}

error-duplicate_experience_key = Lupauksen kahdella tavoitellulla kokemuksella on sama tunnus.
error-invalid_experience_key = Kokemuksen tunnus on pieniä kirjaimia, numeroita ja alaviivoja, ja se alkaa kirjaimella.
error-invalid_promise = Arvolupaus ei ole valmis; katso merkityt kentät.
error-no_value_promise = Arvolupausta ei ole vielä voimassa; hyväksy ensin lupaus.
error-promise_experience_count = Arvolupaus nimeää kolmesta seitsemään tavoiteltua asiakaskokemusta.
error-promise_missing = Luonnoksessa ei ole vielä arvolupausta; kirjoita lupaus ennen kuin lähetät sen hyväksyttäväksi.
error-promise_only_for_value_promise = Vain arvolupaus-tyyppisessä asiakirjassa on lupaus.
error-promise_text_required = Kirjoita tämä sekä englanniksi että suomeksi.
error-promise_text_too_long = Tämä lupauksen teksti on liian pitkä.
error-unknown_experience = Voimassa olevassa arvolupauksessa ei ole tällaista tavoiteltua kokemusta.
error-value_promise_exists = Arvolupaus on jo olemassa; tee siitä uusi versio toisen asiakirjan sijaan.
error-invalid_cx_status = Asiakaskokemuksen tila on none, lagging_only tai leading.
