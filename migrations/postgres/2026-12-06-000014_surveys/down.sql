DROP TABLE survey_followups;
DROP TABLE survey_answers;
DROP TABLE survey_invitations;
DROP TABLE surveys;
