DROP TABLE internal_ratings;
DROP TABLE internal_rating_requests;
DROP FUNCTION laatu_internal_rating_append_only();
