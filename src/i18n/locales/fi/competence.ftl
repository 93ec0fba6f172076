
## Errors
error-competence_has_no_levels = Tällä pätevyydellä ei ole tasoja; jätä taso pois.
error-invalid_ack_state = Kuittaus on tehty, siirretty tai odottaa.
error-invalid_cell_state = Tuntematon matriisin solun tila.
error-invalid_certification_state = Pätevyystodistus on voimassa, vanhenemassa tai vanhentunut.
error-invalid_competence_status = Pätevyys on käytössä tai poistettu käytöstä.
error-invalid_requirement_scope = Vaatimus koskee prosessia, roolia, henkilöä tai asiakirjaa.
error-invalid_scale = Tasoasteikko on none, iluo tai one_to_five.
error-invalid_training_status = Koulutus on suunniteltu, suoritettu tai peruttu.
error-level_not_on_scale = Taso ei ole pätevyyden asteikolla.
