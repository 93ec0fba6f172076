## Luettu ja ymmärretty -kuittaukset (ISO 9001 7.3, 7.5.3)
task-document_acknowledge = Lue ja kuittaa
ack-pending-banner = Versio { $rev } on voimassa ja odottaa kuittaustasi: lue se ja vahvista alla.
ack-form-heading = Luettu ja ymmärretty: versio { $rev }
ack-form-intro = Olet tämän dokumentin lukija. Kun olet lukenut yllä olevan version { $rev } ja ymmärtänyt, mitä se sinulta edellyttää, vahvista se tässä.
ack-form-hint = Kuittauksesi on sähköinen allekirjoitus, joka sidotaan juuri tähän sisältöön, commit
ack-submit = Olen lukenut ja ymmärtänyt sen
ack-mine-acknowledged = Kuittasit version { $rev }.
ack-mine-carried = Kuittasit version { $rev }. Versio { $current } ei vaatinut uudelleenkoulutusta, joten kuittauksesi on edelleen voimassa.
ack-mine-link = Kaikki lukemasi dokumentit
ack-mine-title = Lukemani dokumentit
ack-mine-pending = { $n ->
    [0] Mikään ei odota kuittaustasi.
    [one] Yksi dokumentti odottaa kuittaustasi.
   *[other] { $n } dokumenttia odottaa kuittaustasi.
}
ack-mine-none = Et ole minkään voimassa olevan dokumentin lukija.
ack-readers-heading = Lukijat
ack-readers-who-process = Lukijoita ovat prosessin { $process } jäsenet
ack-readers-who-no-process = Dokumentilla ei ole prosessia; sen lukijoita ovat sen nimeämien roolien haltijat.
ack-readers-who-roles = sekä näiden roolien haltijat:
ack-reader-roles = Lukijaroolit
ack-reader-roles-edit = Muuta lukijarooleja
ack-reader-roles-hint = Valittujen roolien haltijat lukevat dokumentin ja kuittaavat jokaisen voimaan tulevan version prosessin jäsenten lisäksi. Auditoijat ja pääkäyttäjät eivät koskaan ole lukijoita.
ack-reader-roles-save = Tallenna lukijaroolit
ack-counts = Versio { $rev }: kuitanneet { $acknowledged }, kuittaus siirtynyt { $carried }, kuittaamatta { $pending }.
ack-reader = Lukija
ack-state = Kuittaus
ack-when = Kuitattu
ack-carried-note = (kuitattu versiossa { $rev }; uudelleenkoulutusta ei sen jälkeen tarvittu)
ack-no-readers = Dokumentilla ei ole lukijoita: se ei nimeä rooleja, eikä sen prosessilla ole jäseniä.
ack-earlier = { $count ->
    [one] Yksi aiempien versioiden kuittaus
   *[other] { $count } aiempien versioiden kuittausta
}
ack-no-retraining = Uudelleenkoulutusta ei tarvita (esimerkiksi kirjoitusvirheen korjaus)
ack-no-retraining-hint = Version { $rev } kuittaukset siirtyvät silloin tähän versioon, eikä lukijoilta kysytä uudelleen.
ack-no-retraining-badge = ei uudelleenkoulutusta
notice-document-acknowledged = Kuittauksesi kirjattiin.
notice-document-reader-roles-saved = Lukijaroolit tallennettiin.
error-already_acknowledged = Olet jo kuitannut tämän version.
error-document_changed = Dokumentti on muuttunut lukemisesi jälkeen. Lue voimassa oleva versio ja kuittaa se uudelleen.
error-no_retraining_not_final_approval = Vain version hyväksyvä allekirjoitus voi todeta, ettei uudelleenkoulutusta tarvita.
error-no_retraining_without_effective_revision = ”Uudelleenkoulutusta ei tarvita” koskee versiota, joka korvaa voimassa olevan. Tällä dokumentilla ei ole voimassa olevaa versiota, joten lukijat kuittaavat tämän version.
error-not_a_reader = Dokumentin kuittaavat vain sen lukijat: sen prosessin jäsenet ja sen nimeämien roolien haltijat.
error-password_required = Anna salasanasi kuitataksesi dokumentin.
error-reader_role_not_allowed = Auditoijat ja pääkäyttäjät eivät työskentele dokumenttien mukaan; nimeä lukijoiksi laatupäälliköt, prosessin omistajat tai henkilöstö.
