-- Clicks through a share link are the only ones with a library post: index those alone,
-- so storing any other click (most of them, on the redirect's hot path) updates one
-- index fewer. Queries reach it through `content_id = …`, which implies NOT NULL.
DROP INDEX clicks_content;
CREATE INDEX clicks_content ON clicks (content_id, member_id) WHERE content_id IS NOT NULL;
