# Tuloskortit: prosesseittain ja jaksoittain, miten kukin asiakaskokemusmittari onnistui.
score-title = Asiakaskokemuksen tuloskortit
score-span = Tarkastelujakso
score-show = Näytä
score-download-csv = Lataa CSV
score-download-xlsx = Lataa Excel
score-intro = Jokaisen aktiivisen prosessin asiakaskokemusmittarit ajalta { $from } – { $to }: kunkin jakson arvo tavoitteeseen verrattuna ja miten sama mittari onnistui jaksolla { $previous }.
score-team-level = Luvut ovat prosessien ja tiimien, eivät yksittäisten ihmisten. Käytä niitä keskusteluun siitä, mitä tiimi voi muuttaa; yhden ihmisen palkkaan sidottuina niitä aletaan pelata.
score-without = { $count ->
    [one] Yhdellä aktiivisella prosessilla ei ole asiakaskokemusmittaria.
   *[other] { $count } aktiivisella prosessilla ei ole asiakaskokemusmittaria.
}
score-without-link = Näytä ne
score-owner = Omistaja: { $name }
score-no-measures = Ei asiakaskokemusmittaria: prosessi ei vielä mittaa sitä, mitä sen asiakkaat kokevat.
score-col-process = Prosessi
score-col-owner = Omistaja
score-col-kpi = Mittari
score-col-experience = Tavoiteltu asiakaskokemus
score-col-indicator = Mittarin tyyppi
score-col-target = Tavoite
score-col-values = Arvot jaksoittain
score-col-periods = Jaksoja
score-col-measured = Mitattu
score-col-on-target = Tavoitteessa
score-col-verdict = Arvio
score-col-previous = Edellinen jakso
score-col-previous-measured = Mitattu, edellinen jakso
score-col-previous-on-target = Tavoitteessa, edellinen jakso
score-target-at-least = vähintään { $value }
score-target-at-most = enintään { $value }
score-periods-on-target = { $on } / { $of } jaksoa tavoitteessa
score-previous = { $on } / { $measured } mitatusta jaksosta tavoitteessa
score-previous-none = ei mitattu
score-not-measured = ei mitattu
score-meets = (tavoitteessa)
score-misses = (ei tavoitteessa)
score-verdict-met = tavoitteessa
score-verdict-partly = osin tavoitteessa
score-verdict-missed = ei tavoitteessa
score-verdict-no_data = ei mitattu
score-verdict-not_due = mittarin yksikään jakso ei pääty tälle ajalle
promise-scorecards = Tuloskortit
