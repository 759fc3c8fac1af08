"""Search across languages, scripts and diacritics (agreements.queries.search).

- `search_text` on agreements and clause versions: the folded keys of their texts (agreements.domain.folding),
  written by the projections, filled here for the rows already there. Every database matches these.
- On PostgreSQL:
  - the `unaccent` extension, and `pacta_az`, the registry's Azerbaijani text search configuration
    (PostgreSQL has none): a copy of `simple` whose words pass through `unaccent` first; the rest of the
    folding (ə, scripts, spellings) is in `search_text`, which every document also holds;
  - the `search_document` columns rebuilt: a clause's heading and text stemmed in the clause's own language
    (`english`, `turkish`, `russian`, `pacta_az`), an agreement's title and summary in English and its other
    titles each in its language, plus `search_text` under `simple`; their GIN indexes as before;
  - `pacta_search_word` (the trigram-indexed words of "did you mean") now holds the folded keys, so a
    misspelling is corrected whatever script or spelling it was typed in.
"""

from django.db import migrations, models

from agreements.domain.folding import fold

CONFIG_OF_LANGUAGE = (
    "CASE split_part(lower(coalesce(language, 'en')), '-', 1) WHEN 'tr' THEN 'turkish'::regconfig "
    "WHEN 'ru' THEN 'russian'::regconfig WHEN 'az' THEN 'pacta_az'::regconfig ELSE 'english'::regconfig END")
KEYS = "regexp_split_to_table({}, ' ')"

FORWARD = f"""
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'pacta_az') THEN
        CREATE TEXT SEARCH CONFIGURATION pacta_az (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION pacta_az
            ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, simple;
    END IF;
END $$;

ALTER TABLE pacta_clause_version DROP COLUMN IF EXISTS search_document;
ALTER TABLE pacta_clause_version ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector({CONFIG_OF_LANGUAGE}, coalesce(heading, '')), 'A')
    || setweight(to_tsvector({CONFIG_OF_LANGUAGE}, coalesce(text, '')), 'B')
    || setweight(to_tsvector('simple'::regconfig, coalesce(search_text, '')), 'D')
) STORED;
CREATE INDEX clause_version_document_idx ON pacta_clause_version USING gin (search_document)
    WHERE known_to IS NULL AND NOT repealed;

ALTER TABLE pacta_agreement DROP COLUMN IF EXISTS search_document;
ALTER TABLE pacta_agreement ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(jsonb_to_tsvector('english'::regconfig, coalesce(titles, '{{}}'::jsonb), '["string"]'), 'A')
    || setweight(to_tsvector('turkish'::regconfig, coalesce(titles->>'tr', '')), 'A')
    || setweight(to_tsvector('russian'::regconfig, coalesce(titles->>'ru', '')), 'A')
    || setweight(to_tsvector('pacta_az'::regconfig, coalesce(titles->>'az', '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
    || setweight(to_tsvector('simple'::regconfig, coalesce(search_text, '')), 'D')
) STORED;
CREATE INDEX agreement_document_idx ON pacta_agreement USING gin (search_document);

CREATE OR REPLACE FUNCTION pacta_clause_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pacta_search_word (word)
        SELECT DISTINCT w FROM new_rows, {KEYS.format("new_rows.search_text")} AS w
        WHERE length(w) BETWEEN 3 AND 40
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION pacta_agreement_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pacta_search_word (word)
        SELECT DISTINCT w FROM {KEYS.format("NEW.search_text")} AS w
        WHERE length(w) BETWEEN 3 AND 40
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS pacta_agreement_words_changed ON pacta_agreement;
CREATE TRIGGER pacta_agreement_words_changed AFTER UPDATE ON pacta_agreement FOR EACH ROW
    WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text)
    EXECUTE FUNCTION pacta_agreement_words();

TRUNCATE pacta_search_word;
INSERT INTO pacta_search_word (word)
    SELECT DISTINCT w FROM pacta_clause_version, {KEYS.format("search_text")} AS w
    WHERE length(w) BETWEEN 3 AND 40
    UNION
    SELECT DISTINCT w FROM pacta_agreement, {KEYS.format("search_text")} AS w
    WHERE length(w) BETWEEN 3 AND 40
ON CONFLICT DO NOTHING;
"""

# Back to 0006's documents and words (the configuration and the extension stay: other databases may use them).
BACKWARD = """
DROP TRIGGER IF EXISTS pacta_agreement_words_changed ON pacta_agreement;
ALTER TABLE pacta_clause_version DROP COLUMN IF EXISTS search_document;
ALTER TABLE pacta_clause_version ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(heading, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(text, '')), 'B')
) STORED;
CREATE INDEX clause_version_document_idx ON pacta_clause_version USING gin (search_document)
    WHERE known_to IS NULL AND NOT repealed;
ALTER TABLE pacta_agreement DROP COLUMN IF EXISTS search_document;
ALTER TABLE pacta_agreement ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(jsonb_to_tsvector('english'::regconfig, coalesce(titles, '{}'::jsonb), '["string"]'), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
) STORED;
CREATE INDEX agreement_document_idx ON pacta_agreement USING gin (search_document);
CREATE OR REPLACE FUNCTION pacta_clause_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pacta_search_word (word)
        SELECT DISTINCT w FROM new_rows,
            regexp_split_to_table(lower(coalesce(heading, '') || ' ' || coalesce(text, '')), '[^[:alnum:]]+') AS w
        WHERE length(w) BETWEEN 3 AND 40
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION pacta_agreement_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pacta_search_word (word)
        SELECT DISTINCT w FROM regexp_split_to_table(lower(coalesce(NEW.title, '') || ' ' || coalesce(NEW.titles::text, '')
            || ' ' || coalesce(NEW.summary, '')), '[^[:alnum:]]+') AS w
        WHERE length(w) BETWEEN 3 AND 40
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER pacta_agreement_words_changed AFTER UPDATE ON pacta_agreement FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.titles IS DISTINCT FROM NEW.titles
          OR OLD.summary IS DISTINCT FROM NEW.summary)
    EXECUTE FUNCTION pacta_agreement_words();
"""


def fill_search_text(apps, schema_editor):
    """The folded keys of the rows already projected (the projections write them from now on)."""
    Agreement = apps.get_model("agreements", "AgreementRecord")
    Clause = apps.get_model("agreements", "ClauseVersion")
    for row in Agreement.objects.only("title", "titles", "summary", "place").iterator(chunk_size=2000):
        others = " ".join(str(v) for v in (row.titles or {}).values())
        Agreement.objects.filter(pk=row.pk).update(
            search_text=fold(f"{row.title or ''} {others} {row.summary or ''} {row.place or ''}"))
    for row in Clause.objects.only("heading", "text").iterator(chunk_size=2000):
        Clause.objects.filter(pk=row.pk).update(search_text=fold(f"{row.heading or ''} {row.text or ''}"))


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0009_participation'),
    ]

    operations = [
        migrations.AddField(
            model_name='agreementrecord',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='clauseversion',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(forward, backward, elidable=False),
    ]
