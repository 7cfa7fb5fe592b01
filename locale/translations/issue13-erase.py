"""Translations of the erasure notes (receipt and management page)."""

_HEAD = {
    "ar": "بعد المحو لا يبقى شيء من قصتك في قاعدة بيانات الأرشيف ولا في فهرس البحث ولا في ملفاته ولا في سجلاته. "
          "أما النسخ التي لا يستطيع الوصول إليها فورًا (النسخ الاحتياطية لقاعدة البيانات والسجلات المؤرشفة، "
          "ولقطات البحث، والنسخ التي تحتفظ بها شبكات توصيل المحتوى) فتُحذف خلال ",
    "zh_Hans": "删除后，您的故事不会在档案馆的数据库、搜索索引、文件或日志中留下任何内容。"
               "档案馆无法立即触及的副本（数据库备份和归档日志、搜索快照、内容分发网络保存的副本）将在",
    "fr": "Après un effacement, rien de votre histoire ne reste dans la base de données, l'index de recherche, "
          "les fichiers ou les journaux de l'archive. Les copies qu'elle ne peut atteindre tout de suite "
          "(sauvegardes de la base et journaux archivés, instantanés de recherche, copies gardées par les "
          "réseaux de diffusion de contenu) sont supprimées dans un délai de ",
    "ru": "После удаления от вашей истории ничего не остаётся в базе данных архива, в поисковом индексе, "
          "в файлах и журналах. Копии, до которых архив не может добраться сразу (резервные копии базы и "
          "архивные журналы, снимки поискового индекса, копии в сетях доставки контента), удаляются в течение ",
    "es": "Tras un borrado no queda nada de su historia en la base de datos, el índice de búsqueda, los archivos "
          "ni los registros del archivo. Las copias que no puede alcanzar de inmediato (copias de seguridad de "
          "la base de datos y registros archivados, instantáneas de búsqueda, copias en redes de distribución "
          "de contenidos) se eliminan en un plazo de ",
}

T = {
    "After an erasure nothing of your story stays in the archive's database, search index, files or logs. "
    "Copies it cannot reach at once (database backups and archived logs, search snapshots, copies held by "
    "content delivery networks) are deleted within %(days)s day.": {
        "ar": [_HEAD["ar"] + f"{w}." for w in ("%(days)s يوم", "يوم واحد", "يومين", "%(days)s أيام",
                                                "%(days)s يومًا", "%(days)s يوم")],
        "zh_Hans": [_HEAD["zh_Hans"] + "%(days)s 天内删除。"],
        "fr": [_HEAD["fr"] + "%(days)s jour.", _HEAD["fr"] + "%(days)s jours."],
        "ru": [_HEAD["ru"] + "%(days)s дня.", _HEAD["ru"] + "%(days)s дней.", _HEAD["ru"] + "%(days)s дней."],
        "es": [_HEAD["es"] + "%(days)s día.", _HEAD["es"] + "%(days)s días."],
    },
}
