"""The citation projection joins the other projections; the parties leave for the reference-data app.

State only: pacta_citation and the parties' tables keep their names (see sources 0003_parties_join_reference_data,
which puts the parties into the sources app's state), so no row is copied. The content types move with the
models, by app label, so the permissions that hang on them (and the groups' and users' grants of those) and
the admin log entries follow: agreements.change_party is sources.change_party, with the same grants.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (model, from app label, to app label)
MOVES = [
    ("party", "agreements", "sources"),
    ("partyname", "agreements", "sources"),
    ("historicalparty", "agreements", "sources"),
    ("historicalpartyname", "agreements", "sources"),
    ("citation", "sources", "agreements"),
]


def move_content_type(apps, model, old_label, new_label):
    """Relabel the content type; where one already stands under the new label (created by a post_migrate
    meanwhile), merge into it: its permissions take over the grants, the log entries point at it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("admin", "LogEntry")
    old = ContentType.objects.filter(app_label=old_label, model=model).first()
    if old is None:
        return
    new = ContentType.objects.filter(app_label=new_label, model=model).first()
    if new is None:
        old.app_label = new_label
        old.save(update_fields=["app_label"])
        return
    group_grants = apps.get_model("auth", "Group").permissions.through.objects
    user_grants = apps.get_model(settings.AUTH_USER_MODEL).user_permissions.through.objects
    for permission in Permission.objects.filter(content_type=old):
        twin = Permission.objects.filter(content_type=new, codename=permission.codename).first()
        if twin is None:
            permission.content_type = new
            permission.save(update_fields=["content_type"])
            continue
        for grant in group_grants.filter(permission=permission):
            group_grants.get_or_create(group_id=grant.group_id, permission=twin)
        for grant in user_grants.filter(permission=permission):
            user_grants.get_or_create(user_id=grant.user_id, permission=twin)
        permission.delete()
    LogEntry.objects.filter(content_type=old).update(content_type=new)
    old.delete()


def clear_content_type_cache():
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # the running process may have cached the old labels


def forwards(apps, schema_editor):
    for model, old_label, new_label in MOVES:
        move_content_type(apps, model, old_label, new_label)
    clear_content_type_cache()


def backwards(apps, schema_editor):
    for model, old_label, new_label in MOVES:
        move_content_type(apps, model, new_label, old_label)
    clear_content_type_cache()


class Migration(migrations.Migration):
    # Renumbered into one line of history; a database that applied the old name counts this one as applied.
    replaces = [('agreements', '0010_citation_joins_projections'), ('agreements', '0011_merge_reference_data_and_registration'), ('agreements', '0012_merge_scale_lifecycle_action')]

    dependencies = [
        ('agreements', '0004_scale_lifecycle_action'),
        ('sources', '0003_parties_join_reference_data'),
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('auth', '0012_alter_user_first_name_max_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='HistoricalPartyName'),
                migrations.DeleteModel(name='PartyName'),
                migrations.DeleteModel(name='HistoricalParty'),
                migrations.DeleteModel(name='Party'),
                migrations.CreateModel(
                    name='Citation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('citation_id', models.UUIDField()),
                        ('locator', models.CharField(blank=True, default='', max_length=500)),
                        ('quote', models.TextField(blank=True, default='')),
                        ('supports', models.CharField(blank=True, default='', max_length=500)),
                        ('known_from', models.DateTimeField()),
                        ('known_to', models.DateTimeField(null=True)),
                        ('event_id', models.UUIDField()),
                        ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='citations', to='agreements.agreementrecord')),
                        ('source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='citations', to='sources.source')),
                    ],
                    options={
                        'db_table': 'pacta_citation',
                        'indexes': [models.Index(fields=['agreement', 'supports'], name='citation_subject_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
