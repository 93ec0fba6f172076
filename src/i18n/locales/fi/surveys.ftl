# Ulkoisten asiakkaiden kyselyt (src/feedback).
nav-surveys = Kyselyt
survey-list-title = Asiakaskyselyt
survey-list-intro = Kysy ulkoisilta asiakkailta kohtaamisen jälkeen, miten onnistuimme. Jokainen asiakas saa oman linkin, johon voi vastata kerran.
survey-list-empty = Kyselyjä ei ole vielä.
survey-new = Uusi kysely
survey-create = Luo kysely
survey-col-title = Kysely
survey-col-process = Prosessi
survey-col-touchpoint = Kohtaaminen
survey-col-invited = Kutsuttu
survey-col-answers = Vastauksia
survey-col-name = Nimi
survey-col-email = Sähköposti
survey-col-company = Yritys
survey-col-reference = Viite
survey-col-language = Kieli
survey-col-link = Henkilökohtainen linkki
survey-col-invited-on = Kutsuttu
survey-col-expires = Linkki auki
survey-col-answered = Vastattu
survey-touchpoint-order_delivered = Tilaus toimitettu
survey-touchpoint-project_finished = Projekti valmis
survey-touchpoint-service_case_closed = Huoltotapaus suljettu
survey-title-en = Otsikko englanniksi
survey-title-fi = Otsikko suomeksi
survey-choose-process = Valitse prosessi
survey-expiry-days = Montako päivää linkki on auki
survey-questions = Kysymykset
survey-questions-help = Valitse kysyttävät kysymykset ja tarkista niiden sanamuoto molemmilla kielillä. Alle voi lisätä enintään kolme valintakysymystä; tyhjäksi jätetty rivi ohitetaan.
survey-label-en = Englanniksi
survey-label-fi = Suomeksi
survey-question-type-nps = Suositteluhalukkuus (NPS, 0–10)
survey-question-type-csat = Tyytyväisyys (CSAT, 1–5)
survey-question-type-effort = Vaivattomuus (1–5, 5 = erittäin helppoa)
survey-question-type-choice = Valinta
survey-question-type-text = Avoin vastaus
survey-question-type-idea = Idea meille
survey-default-nps = Kuinka todennäköisesti suosittelisit meitä kollegallesi?
survey-default-csat = Kuinka tyytyväinen olet toimitukseemme?
survey-default-effort = Kuinka helppoa kanssamme oli asioida?
survey-default-text = Missä meidän pitäisi parantaa?
survey-default-idea = Onko sinulla meille idea? Luemme jokaisen.
survey-expires-after = linkit ovat auki { $days } päivää
survey-results = Tulokset
survey-from = Alkaen
survey-to = Ennen
survey-show = Näytä
survey-n = { $n ->
    [one] 1 vastaus
   *[other] { $n } vastausta
}
survey-nps-split = { $promoters } suosittelijaa, { $passives } passiivista, { $detractors } arvostelijaa
survey-nps-interval = Kun vastauksia on { $n }, todellinen NPS on todennäköisesti (95 %) missä tahansa välillä { $low } ja { $high }.
survey-csat-interval = Kun vastauksia on { $n }, todellinen keskiarvo on todennäköisesti (95 %) välillä { $low } ja { $high }.
survey-response-rate = Vastausprosentti
survey-response-words = Jakson aikana kutsutuista { $invited } vastasi { $answered }
survey-few-answers = Vastauksia on alle 30: lue luvut suuntaa antavina, ei mittauksena. Muutaman pisteen muutos ei vielä kerro mitään.
survey-chart-answers = Vastaukset kuukausittain
survey-chart-csat = Tyytyväisyyden keskiarvo kuukausittain
survey-download-csv = Vastaukset CSV-tiedostona
survey-download-xlsx = Vastaukset XLSX-tiedostona
survey-by-company = Yrityksittäin
survey-company-unknown = (ei kerrottu)
survey-answers = Vastaukset
survey-idea = Idea:
survey-no-answers = Tällä jaksolla ei ole vastauksia.
survey-invitations = Kutsut
survey-invite-one = Kutsu yksi asiakas
survey-invite = Tee linkki
survey-invite-csv = Kutsu CSV-tiedostosta
survey-csv-help = Yksi asiakas riville: nimi, sähköposti, yritys, viite, kieli (en tai fi). Ensimmäinen rivi voi nimetä sarakkeet. Enintään 500 riviä; jos jollakin rivillä on virhe, mitään ei tallenneta.
survey-csv-paste = Liitä rivit
survey-csv-file = tai valitse tiedosto
survey-invite-all = Tee linkit
survey-csv-line = rivi
survey-no-invitations = Ketään ei ole vielä kutsuttu.
survey-links-title = Uudet henkilökohtaiset linkit
survey-links-once = Kopioi linkit nyt ja lähetä ne asiakkaille: ne näytetään vain tämän kerran.
survey-erase = Poista yhteystiedot
survey-erased = Poistettu pyynnöstä
notice-survey-created = Kysely luotiin. Kutsu asiakkaat alla.
notice-survey-contact-erased = Yhteystiedot poistettiin; vastauksen pisteet säilyvät.
survey-public-heading = Asiakaskysely
survey-public-intro = Kiitos, että käytät hetken tähän. Vastauksesi menevät niille, jotka työn tekivät.
survey-public-send = Lähetä
survey-required = pakollinen
survey-public-thanks = Kiitos!
survey-public-thanks-text = Vastauksesi tuli perille. Luemme jokaisen vastauksen ja toimimme sen mukaan, mitä kerroit.
survey-public-unavailable = Tätä kyselylinkkiä ei voi käyttää: siihen on ehkä jo vastattu, se on ehkä vanhentunut tai se on ehkä vajaa. Jos haluat kertoa meille jotain, ota meihin yhteyttä suoraan.
survey-scale-nps-low = 0 = en lainkaan todennäköisesti
survey-scale-nps-high = 10 = erittäin todennäköisesti
survey-scale-csat-low = 1 = erittäin tyytymätön
survey-scale-csat-high = 5 = erittäin tyytyväinen
survey-scale-effort-low = 1 = erittäin vaikeaa
survey-scale-effort-high = 5 = erittäin helppoa
audit-action-survey-created = Kysely luotu
audit-sentence-survey-created = { $actor } loi asiakaskyselyn { $entity }
audit-action-survey-invited = Asiakkaita kutsuttu kyselyyn
audit-sentence-survey-invited = { $actor } kutsui asiakkaita kyselyyn { $entity }
audit-action-survey-answered = Kyselyyn vastattu
audit-sentence-survey-answered = Asiakas vastasi kyselyyn { $entity }
audit-action-survey-contact_erased = Vastaajan yhteystiedot poistettu
audit-sentence-survey-contact_erased = { $actor } poisti vastaajan pyynnöstä tämän yhteystiedot kyselystä { $entity }
error-contact_field_too_long = Yhteystiedon nimi, sähköposti, yritys tai viite on liian pitkä.
error-contact_name_required = Jokaisella yhteystiedolla on oltava nimi.
error-csv_unreadable = Yhteystietojen CSV-tiedostoa ei voi lukea.
error-duplicate_question_key = Kyselyn kahdella kysymyksellä on sama tunnus.
error-duplicate_scale_question = Kysely kysyy NPS:n, tyytyväisyyden ja vaivattomuuden kukin vain kerran.
error-invalid_contact_language = Yhteystiedon kieli on en tai fi.
error-invalid_contacts = Joissakin yhteystiedoissa on virheitä; mitään ei tallennettu.
error-invalid_expiry_days = Linkki voi olla auki 1–365 päivää.
error-invalid_question_key = Kysymyksen tai vaihtoehdon tunnus koostuu merkeistä a–z, 0–9 ja _ ja alkaa kirjaimella.
error-invalid_survey = Kyselyssä on virheitä; katso kentät.
error-invalid_survey_answer = Joitakin vastauksia pitää vielä katsoa; ne on merkitty alle.
error-invalid_touchpoint = Kohtaaminen on toimitettu tilaus, valmistunut projekti tai suljettu huoltotapaus.
error-invitation_not_found = Kutsua ei löydy.
error-survey_answer_out_of_scale = Valitse asteikolta luku.
error-survey_answer_required = Vastaa tähän kysymykseen.
error-survey_answer_too_long = Vastaus voi olla enintään 2000 merkkiä.
error-survey_answer_unknown_option = Valitse jokin vaihtoehdoista.
error-survey_link_unavailable = Tätä kyselylinkkiä ei voi käyttää.
error-survey_not_found = Kyselyä ei löydy.
error-survey_answer_not_found = Kyselyn vastausta ei löydy.
error-survey_option_count = Valintakysymyksellä on 2–20 vaihtoehtoa; muilla kysymyksillä ei ole vaihtoehtoja.
error-survey_question_count = Kyselyssä on 1–20 kysymystä.
error-survey_rate_limited = Osoitteestasi on tullut liian monta pyyntöä. Odota hetki ja yritä uudelleen.
error-survey_text_required = Kirjoita se sekä englanniksi että suomeksi.
error-survey_text_too_long = Teksti on liian pitkä.
error-too_many_contacts = Kutsu kerralla 1–500 asiakasta.
error-unknown_question_type = Kysymys on NPS, tyytyväisyys, vaivattomuus, valinta, avoin vastaus tai idea.
task-survey_followup = Reagoi asiakkaan vastaukseen
dash-task-survey_followup = { $count ->
    [one] asiakkaan vastaus odottaa yhteydenottoa
   *[other] asiakkaiden vastausta odottaa yhteydenottoa
}
survey-followups = Yhteydenotot
survey-followups-help = Arvostelija (NPS 0–6) tai heikko tyytyväisyys (CSAT 1–2) pyytää prosessin omistajaa ottamaan yhteyttä asiakkaaseen sovittujen työpäivien kuluessa.
survey-no-followups = Ei yhteydenottoja odottamassa.
survey-followup-reason-detractor = Arvostelija
survey-followup-reason-low_csat = Heikko tyytyväisyys
survey-followup-due = määräpäivä { $due }
survey-followup-late = myöhässä
survey-followup-done-by = { $who } kirjasi { $when }
survey-followup-told = asiakkaalle kerrottiin
survey-followup-not-told = asiakkaalle ei kerrottu
survey-followup-action = Mitä tehtiin
survey-followup-told-box = Asiakkaalle kerrottiin, mitä teimme
survey-followup-record = Kirjaa yhteydenotto
notice-survey-followup-done = Yhteydenotto kirjattiin.
audit-action-survey-followup_done = Kyselyn vastaukseen reagoitu
audit-sentence-survey-followup_done = { $actor } kirjasi yhteydenoton kyselyn { $entity } vastaukseen
error-followup_done_already = Tämä yhteydenotto on jo kirjattu.
error-followup_not_found = Yhteydenottoa ei löydy.
audit-system-survey = Laatu (asiakas vastasi kyselylinkkiin)
audit-area-survey = Asiakaskyselyt
answer-case-a-customer = asiakas
answer-case-complaint-title = Asiakaspalaute: { $from }, { $scores }
answer-case-complaint-from = Avattu vastauksesta kyselyyn "{ $survey }" (vastaaja: { $from }; { $scores }).
answer-case-idea-title = Asiakkaan idea: { $idea }
answer-case-idea-from = Idea kyselystä "{ $survey }" (vastaaja: { $from }), viety eteenpäin.
survey-open-complaint = Avaa asiakasreklamaatio
survey-take-idea-forward = Vie idea eteenpäin
survey-cases-from-answer = Avattu tästä vastauksesta:
survey-mail-subject = { $survey }
survey-mail-body =
    Hei { $name },

    haluaisimme kuulla, miten onnistuimme: { $survey }

    Vastaaminen vie minuutin. Tämä linkki on vain sinun, ja se aukeaa { $until } asti:
    { $link }

    Kiitos ajastasi.
survey-send-mail = Lähetä linkki sähköpostilla jokaiselle, jolla on osoite
survey-no-smtp = Sähköpostia ei ole otettu käyttöön tällä sivustolla (ei SMTP-asetuksia): kopioi linkit.
survey-col-mail = Sähköposti
survey-mail-state-queued = Jonossa
survey-mail-state-sent = Lähetetty
survey-mail-state-failed = Epäonnistui
survey-mail-state-dropped = Ei lähetetty (poistettu)
audit-action-survey-invitations_mailed = Kyselykutsut lähetetty sähköpostilla
audit-sentence-survey-invitations_mailed = { $actor } lähetti jonossa olleet kyselykutsut
survey-choice-row = Valintakysymys { $n }
survey-choice-options = Vaihtoehdot, yksi riviä kohden: englanniksi | suomeksi
survey-choice-options-example = On time | Ajallaan
audit-field-action_taken = Mitä tehtiin
audit-field-customer_told = Asiakkaalle kerrottu
audit-field-survey_answer = Kyselyvastaus
audit-field-mailed = Lähetetty sähköpostilla
audit-field-invitations = Kutsut
audit-field-invitation = Kutsu
audit-field-answer = Vastaus
audit-field-followup = Seuranta
