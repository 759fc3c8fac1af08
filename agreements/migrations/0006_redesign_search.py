"""One search over titles, other titles, summaries and clause texts, on PostgreSQL (other databases: nothing).

- Each agreement row and each clause version carries its search document as a stored generated
  `tsvector` column (`search_document`: title and other titles weigh A, summary B; clause heading A,
  text B), with a GIN index. Queries read the column, so no `to_tsvector` is computed per row at query
  time; the clause index is partial (current, unrepealed versions), what the search reads.
- `pacta_search_word` holds every word of those texts (kept by triggers on insert and on a change of an
  agreement's title, other titles or summary), with a trigram index (`pg_trgm`): a misspelt word
  ("trainig") finds its nearest known word ("training") for "did you mean".
The columns, the table and the triggers are not in Django's model state: they are PostgreSQL's means
to the search in `agreements/queries/search.py`, which falls back to plain matching elsewhere. The old
expression index of 0005 is replaced by the column's index.
"""

from django.db import migrations

CONFIG = "'english'::regconfig"
WORDS = r"regexp_split_to_table(lower({}), '[^[:alnum:]]+')"

FORWARD = f"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;

DROP INDEX IF EXISTS clause_version_search_idx;
ALTER TABLE pacta_clause_version ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector({CONFIG}, coalesce(heading, '')), 'A')
    || setweight(to_tsvector({CONFIG}, coalesce(text, '')), 'B')
) STORED;
CREATE INDEX clause_version_document_idx ON pacta_clause_version USING gin (search_document)
    WHERE known_to IS NULL AND NOT repealed;

ALTER TABLE pacta_agreement ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector({CONFIG}, coalesce(title, '')), 'A')
    || setweight(jsonb_to_tsvector({CONFIG}, coalesce(titles, '{{}}'::jsonb), '["string"]'), 'A')
    || setweight(to_tsvector({CONFIG}, coalesce(summary, '')), 'B')
) STORED;
CREATE INDEX agreement_document_idx ON pacta_agreement USING gin (search_document);

CREATE TABLE pacta_search_word (word text PRIMARY KEY);
CREATE INDEX search_word_trigram_idx ON pacta_search_word USING gin (word gin_trgm_ops);

CREATE FUNCTION pacta_clause_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pacta_search_word (word)
        SELECT DISTINCT w FROM new_rows, {WORDS.format("coalesce(heading, '') || ' ' || coalesce(text, '')")} AS w
        WHERE length(w) BETWEEN 3 AND 40
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER pacta_clause_words AFTER INSERT ON pacta_clause_version
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pacta_clause_words();

CREATE FUNCTION pacta_agreement_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pacta_search_word (word)
        SELECT DISTINCT w
        FROM {WORDS.format("coalesce(NEW.title, '') || ' ' || coalesce(NEW.titles::text, '') || ' ' || coalesce(NEW.summary, '')")} AS w
        WHERE length(w) BETWEEN 3 AND 40
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER pacta_agreement_words_added AFTER INSERT ON pacta_agreement
    FOR EACH ROW EXECUTE FUNCTION pacta_agreement_words();
CREATE TRIGGER pacta_agreement_words_changed AFTER UPDATE ON pacta_agreement FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.titles IS DISTINCT FROM NEW.titles
          OR OLD.summary IS DISTINCT FROM NEW.summary)
    EXECUTE FUNCTION pacta_agreement_words();

INSERT INTO pacta_search_word (word)
    SELECT DISTINCT w FROM pacta_clause_version, {WORDS.format("coalesce(heading, '') || ' ' || coalesce(text, '')")} AS w
    WHERE length(w) BETWEEN 3 AND 40
    UNION
    SELECT DISTINCT w FROM pacta_agreement,
        {WORDS.format("coalesce(title, '') || ' ' || coalesce(titles::text, '') || ' ' || coalesce(summary, '')")} AS w
    WHERE length(w) BETWEEN 3 AND 40
ON CONFLICT DO NOTHING;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS pacta_agreement_words_changed ON pacta_agreement;
DROP TRIGGER IF EXISTS pacta_agreement_words_added ON pacta_agreement;
DROP TRIGGER IF EXISTS pacta_clause_words ON pacta_clause_version;
DROP FUNCTION IF EXISTS pacta_agreement_words();
DROP FUNCTION IF EXISTS pacta_clause_words();
DROP TABLE IF EXISTS pacta_search_word;
ALTER TABLE pacta_agreement DROP COLUMN IF EXISTS search_document;
ALTER TABLE pacta_clause_version DROP COLUMN IF EXISTS search_document;
CREATE INDEX IF NOT EXISTS clause_version_search_idx ON pacta_clause_version
    USING gin (to_tsvector('english'::regconfig, COALESCE(heading, '') || ' ' || COALESCE(text, '')));
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0004_validation_runs")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
