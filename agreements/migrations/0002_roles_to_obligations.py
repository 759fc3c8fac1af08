"""The agreements app from its roles to obligation coding, in one pass (squashed from 0002-0009).

What it adds to the read models of 0001, in order: the archivist, reviewer and administrator groups with their
permissions (`create_roles`); findings and validation runs; idempotency keys; the PostgreSQL search (stored
`tsvector` document columns with GIN indexes, the `pacta_search_word` table with its trigram index and the
triggers that keep it: see `SEARCH_FORWARD`; other databases search with plain matching); the chronology index;
the obligation codings. The clause search index of the old 0005 is left out: 0006 replaced it in the same run,
so a new database never had it.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the groups get them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    from agreements.roles import ensure_roles

    ensure_roles(apps)


CONFIG = "'english'::regconfig"
WORDS = r"regexp_split_to_table(lower({}), '[^[:alnum:]]+')"

SEARCH_FORWARD = f"""
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

SEARCH_BACKWARD = """
DROP TRIGGER IF EXISTS pacta_agreement_words_changed ON pacta_agreement;
DROP TRIGGER IF EXISTS pacta_agreement_words_added ON pacta_agreement;
DROP TRIGGER IF EXISTS pacta_clause_words ON pacta_clause_version;
DROP FUNCTION IF EXISTS pacta_agreement_words();
DROP FUNCTION IF EXISTS pacta_clause_words();
DROP TABLE IF EXISTS pacta_search_word;
ALTER TABLE pacta_agreement DROP COLUMN IF EXISTS search_document;
ALTER TABLE pacta_clause_version DROP COLUMN IF EXISTS search_document;
"""


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_FORWARD)


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_BACKWARD)


class Migration(migrations.Migration):

    replaces = [('agreements', '0002_roles'), ('agreements', '0003_findings'), ('agreements', '0005_clause_search_index'), ('agreements', '0004_validation_runs'), ('agreements', '0006_redesign_search'), ('agreements', '0006_harden_idempotency_keys'), ('agreements', '0007_merge_idempotency_and_search'), ('agreements', '0006_scale_agreement_chronology_index'), ('agreements', '0008_merge_scale_chronology'), ('agreements', '0006_research_obligations'), ('agreements', '0009_merge_research_obligations')]

    dependencies = [
        ('agreements', '0001_initial'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('sources', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(
            code=create_roles,
            reverse_code=migrations.RunPython.noop,
        ),
        migrations.CreateModel(
            name='Finding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(help_text='code + subject: one row per problem', max_length=500, unique=True)),
                ('code', models.CharField(db_index=True, max_length=100)),
                ('severity', models.CharField(choices=[('error', 'Error'), ('warning', 'Warning'), ('info', 'Info')], max_length=10)),
                ('subject_type', models.CharField(choices=[('agreement', 'Agreement'), ('clause', 'Clause'), ('reference', 'Cross-reference'), ('relation', 'Relation'), ('lifecycle', 'Lifecycle fact'), ('citation', 'Citation'), ('source', 'Source')], max_length=20)),
                ('subject', models.CharField(blank=True, default='', help_text='eid, citation id, relation...', max_length=500)),
                ('message', models.TextField()),
                ('first_seen', models.DateTimeField()),
                ('last_seen', models.DateTimeField()),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('agreement', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='findings', to='agreements.agreementrecord')),
                ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='findings', to='sources.source')),
            ],
            options={
                'db_table': 'pacta_finding',
                'ordering': ['-last_seen'],
                'indexes': [models.Index(fields=['agreement', 'resolved_at'], name='finding_open_idx')],
            },
        ),
        migrations.AddField(
            model_name='finding',
            name='scope',
            field=models.CharField(blank=True, db_index=True, default='', help_text="What one run of a check covers (e.g. one clause's references): a run resolves the open findings of its scope that it no longer finds.", max_length=300),
        ),
        migrations.CreateModel(
            name='ValidationRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('job_id', models.UUIDField(unique=True)),
                ('task', models.CharField(max_length=200)),
                ('started_at', models.DateTimeField()),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('executions', models.PositiveIntegerField(default=0)),
                ('duplicates', models.PositiveIntegerField(default=0)),
                ('summary', models.JSONField(blank=True, default=dict)),
            ],
            options={
                'db_table': 'pacta_validation_run',
                'ordering': ['-started_at'],
                'indexes': [models.Index(fields=['task', 'finished_at'], name='validation_run_task_idx')],
            },
        ),
        migrations.RunPython(
            code=create_search,
            reverse_code=drop_search,
        ),
        migrations.CreateModel(
            name='IdempotencyKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.CharField(help_text="The endpoint: an agreement's commands, or drafting.", max_length=300)),
                ('key', models.CharField(max_length=200)),
                ('fingerprint', models.CharField(help_text='SHA-256 of the method, path and JSON body.', max_length=64)),
                ('status_code', models.PositiveSmallIntegerField(null=True)),
                ('body', models.JSONField(null=True)),
                ('headers', models.JSONField(default=dict)),
                ('created_at', models.DateTimeField(db_index=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'pacta_idempotency_key',
                'constraints': [models.UniqueConstraint(fields=('user', 'scope', 'key'), name='idempotency_key_unique')],
            },
        ),
        migrations.AddIndex(
            model_name='agreementrecord',
            index=models.Index(fields=['publication', 'earliest_date', 'slug'], name='agreement_chrono_idx'),
        ),
        migrations.CreateModel(
            name='ObligationRow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('obligation_id', models.UUIDField()),
                ('clause_id', models.UUIDField()),
                ('eid', models.CharField(max_length=200)),
                ('party_code', models.CharField(max_length=32)),
                ('obligation', models.CharField(max_length=40)),
                ('modality', models.CharField(max_length=20)),
                ('conditions', models.JSONField(default=list)),
                ('towards', models.JSONField(default=list)),
                ('adversary', models.CharField(blank=True, default='', max_length=1000)),
                ('effective', models.CharField(blank=True, default='', max_length=100)),
                ('until', models.CharField(blank=True, default='', max_length=100)),
                ('valid_from', models.DateField(null=True)),
                ('valid_to', models.DateField(null=True)),
                ('note', models.TextField(blank=True, default='')),
                ('key', models.CharField(max_length=600)),
                ('known_from', models.DateTimeField()),
                ('known_to', models.DateTimeField(null=True)),
                ('event_id', models.UUIDField()),
                ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='obligation_rows', to='agreements.agreementrecord')),
            ],
            options={
                'db_table': 'pacta_obligation',
                'indexes': [models.Index(fields=['key'], name='obligation_key_idx'), models.Index(fields=['party_code', 'obligation'], name='obligation_party_idx'), models.Index(fields=['obligation_id'], name='obligation_id_idx')],
            },
        ),
    ]
