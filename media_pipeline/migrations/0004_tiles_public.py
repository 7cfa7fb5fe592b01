from django.db import migrations, models


def tiles_already_public(apps, schema_editor):
    """Until now every published image had its tiles public: record what storage holds."""
    MediaAsset = apps.get_model("media_pipeline", "MediaAsset")
    for asset in MediaAsset.objects.filter(is_published=True).only("pk", "derivatives"):
        if "iiif" in (asset.derivatives or {}):
            MediaAsset.objects.filter(pk=asset.pk).update(tiles_public=True)


class Migration(migrations.Migration):

    dependencies = [
        ("media_pipeline", "0003_processing_lease"),
    ]

    operations = [
        migrations.AddField(
            model_name="mediaasset",
            name="tiles_public",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(tiles_already_public, migrations.RunPython.noop),
    ]
