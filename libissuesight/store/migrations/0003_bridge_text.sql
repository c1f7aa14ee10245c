-- 0003_bridge_text: the bridge as the exact bytes its worker wrote.
-- jsonb normalises a document (key order, spaces, number forms), while the
-- readers (the gateway's cache and API) serve bytes identical to what the
-- worker produced. The text is kept beside the jsonb, which stays for
-- queries; a row completed before this migration has bridge_text NULL and
-- is read from bridge::text.
ALTER TABLE tutorial_contents ADD COLUMN bridge_text text;
ALTER TABLE tutorial_contents ADD CONSTRAINT tutorial_contents_bridge_text_check
    CHECK (bridge_text IS NULL OR bridge IS NOT NULL);
