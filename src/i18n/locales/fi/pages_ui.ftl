# Virhesivut ja muut yhteiset sivutekstit.
error-heading-not-found = Sivua ei löydy
error-heading-forbidden = Ei roolillesi
error-next-not-found = Osoite voi olla kirjoitettu väärin, tai sen kohde on nimetty uudelleen. Aloita uudelleen etusivulta tai valikosta.
error-next-forbidden = Roolisi eivät salli tätä. Kysy laatupäälliköltä, jos tarvitset sitä.
error-next-reload = Palaa takaisin, lataa sivu uudelleen ja lähetä lomake uudestaan.
error-next-wait = Odota hetki ja yritä uudelleen.
error-next-fault = Tämä pyyntö ei tallentanut mitään. Yritä uudelleen; jos virhe toistuu, kerro ylläpitäjälle, mihin aikaan se tapahtui.
error-next-back = Palaa takaisin ja tarkista antamasi tiedot.
processes-people = Prosessin henkilöt
docs-sign-what = Allekirjoitettava: versio { $rev }
docs-sign-what-redline = Allekirjoitettava: muutokset versiosta { $from } versioon { $to }
docs-reject-instead = Hylkää versio sen sijaan
