DROP TABLE survey_invitation_mail;
