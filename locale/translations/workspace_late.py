"""Strings added after the first translation pass (redaction timeline, pipeline workers)."""

T = {
    "This follows a redaction of the recording: reverse that one instead.": {
        "ar": "هذا ناتج عن تنقيح التسجيل: تراجع عن ذلك التنقيح بدلاً من هذا.",
        "zh_Hans": "此项随录音的删改而来：请撤销录音上的那项删改。",
        "fr": "Ceci découle d’une expurgation de l’enregistrement : annulez plutôt celle-ci.",
        "ru": "Это следует из редактирования записи: отмените лучше то редактирование.",
        "es": "Esto deriva de una edición de la grabación: revierta esa en su lugar.",
    },
    "follows the recording": {
        "ar": "يتبع التسجيل",
        "zh_Hans": "随录音而定",
        "fr": "suit l’enregistrement",
        "ru": "следует за записью",
        "es": "sigue a la grabación",
    },
    "Another worker is processing this media.": {
        "ar": "يعالج عامل آخر هذه الوسائط حالياً.",
        "zh_Hans": "另一个工作进程正在处理此媒体。",
        "fr": "Un autre processus traite déjà ce média.",
        "ru": "Этот медиафайл уже обрабатывает другой процесс.",
        "es": "Otro proceso ya está procesando este archivo.",
    },
    "“%(name)s” could not be processed: an unexpected error occurred (%(err)s).": {
        "ar": "تعذّرت معالجة «%(name)s»: حدث خطأ غير متوقع (%(err)s).",
        "zh_Hans": "无法处理“%(name)s”：发生意外错误（%(err)s）。",
        "fr": "« %(name)s » n’a pas pu être traité : une erreur inattendue s’est produite (%(err)s).",
        "ru": "Не удалось обработать «%(name)s»: произошла непредвиденная ошибка (%(err)s).",
        "es": "No se pudo procesar «%(name)s»: se produjo un error inesperado (%(err)s).",
    },
    "%(field)s contains characters that are not valid text.": {
        "ar": "يحتوي %(field)s على محارف ليست نصًا صالحًا.",
        "zh_Hans": "%(field)s包含无效的文本字符。",
        "fr": "%(field)s contient des caractères qui ne sont pas du texte valide.",
        "ru": "%(field)s содержит символы, которые не являются допустимым текстом.",
        "es": "%(field)s contiene caracteres que no son texto válido.",
    },
    "%(field)s is out of range.": {
        "ar": "%(field)s خارج النطاق المسموح.",
        "zh_Hans": "%(field)s超出范围。",
        "fr": "%(field)s est hors limites.",
        "ru": "%(field)s вне допустимого диапазона.",
        "es": "%(field)s está fuera de rango.",
    },
    "The name to display": {
        "ar": "الاسم المعروض",
        "zh_Hans": "显示的姓名",
        "fr": "Le nom à afficher",
        "ru": "Отображаемое имя",
        "es": "El nombre que se mostrará",
    },
    "The file “%(name)s” is no longer here (files of an unsent story are kept for one day). Please add it again, or send your story without it.": {
        "ar": "الملف «%(name)s» لم يعد موجودًا (تُحفظ ملفات القصة غير المرسلة يومًا واحدًا). يُرجى إضافته من جديد، أو إرسال قصتك من دونه.",
        "zh_Hans": "文件“%(name)s”已不在此处（未发送故事的文件只保留一天）。请重新添加，或不带此文件发送您的故事。",
        "fr": "Le fichier « %(name)s » n’est plus là (les fichiers d’un récit non envoyé sont gardés un jour). Ajoutez-le à nouveau, ou envoyez votre récit sans lui.",
        "ru": "Файла «%(name)s» больше нет (файлы неотправленной истории хранятся один день). Добавьте его снова или отправьте историю без него.",
        "es": "El archivo «%(name)s» ya no está aquí (los archivos de una historia no enviada se guardan un día). Vuelva a añadirlo o envíe su historia sin él.",
    },
}
