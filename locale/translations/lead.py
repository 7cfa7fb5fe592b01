"""Curator consent panel: why a surface is closed."""

T = {
    "the item is not published": {
        "ar": "العنصر غير منشور", "zh_Hans": "该条目尚未发布", "fr": "l'élément n'est pas publié",
        "ru": "материал не опубликован", "es": "el elemento no está publicado"},
    "no consent is recorded": {
        "ar": "لا توجد موافقة مسجلة", "zh_Hans": "没有记录任何同意", "fr": "aucun consentement n'est enregistré",
        "ru": "согласие не записано", "es": "no hay ningún consentimiento registrado"},
    "consent withdrawn": {
        "ar": "سُحبت الموافقة", "zh_Hans": "同意已撤回", "fr": "consentement retiré",
        "ru": "согласие отозвано", "es": "consentimiento retirado"},
    "under embargo until %(day)s": {
        "ar": "محجوب حتى %(day)s", "zh_Hans": "保密至 %(day)s", "fr": "sous embargo jusqu'au %(day)s",
        "ru": "под запретом до %(day)s", "es": "bajo embargo hasta el %(day)s"},
    "consent expired on %(day)s": {
        "ar": "انتهت الموافقة في %(day)s", "zh_Hans": "同意已于 %(day)s 到期", "fr": "consentement expiré le %(day)s",
        "ru": "согласие истекло %(day)s", "es": "el consentimiento venció el %(day)s"},
    "the consent does not include it": {
        "ar": "الموافقة لا تشمله", "zh_Hans": "同意范围不包括此处", "fr": "le consentement ne le couvre pas",
        "ru": "согласие этого не включает", "es": "el consentimiento no lo incluye"},
}
