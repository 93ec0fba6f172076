DROP TRIGGER internal_ratings_no_delete;
DROP TRIGGER internal_ratings_no_update;
DROP TABLE internal_ratings;
DROP TABLE internal_rating_requests;
