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
}
