"""Translations of issue 13 (opt-in consent, the contributor's state sentence, erasure from the
management page, the paper-consent form's explicit choices)."""


def t(ar, zh, fr, ru, es):
    return {"ar": ar, "zh_Hans": zh, "fr": fr, "ru": ru, "es": es}


T = {
    # --- API -------------------------------------------------------------------------------
    "JSON: scopes (required: a list of places, [] keeps the story private to the archive's team; never defaulted), name_display, display_name, embargo_until, expires_at": t(
        "JSON: scopes (مطلوب: قائمة بالأماكن، و[] تُبقي القصة خاصة بفريق الأرشيف؛ لا قيمة افتراضية أبدًا)، name_display، display_name، embargo_until، expires_at",
        "JSON：scopes（必填：地点列表，[] 表示故事仅供档案馆团队阅读；从不默认），name_display、display_name、embargo_until、expires_at",
        "JSON : scopes (obligatoire : une liste de lieux, [] garde le récit privé, pour l'équipe des archives ; jamais de valeur par défaut), name_display, display_name, embargo_until, expires_at",
        "JSON: scopes (обязательно: список мест, [] оставляет историю закрытой, только для команды архива; никогда не подставляется по умолчанию), name_display, display_name, embargo_until, expires_at",
        "JSON: scopes (obligatorio: una lista de lugares, [] mantiene la historia privada para el equipo del archivo; nunca tiene valor por defecto), name_display, display_name, embargo_until, expires_at"),
    'Say where the story may appear: give “scopes”, a list such as ["web", "search"], or an empty list [] to keep it private to the archive\'s team.': t(
        'حدِّد أين يمكن أن تظهر القصة: أرسل “scopes”، وهي قائمة مثل ["web", "search"]، أو قائمة فارغة [] لإبقائها خاصة بفريق الأرشيف.',
        '请说明故事可以出现在哪里：提供 “scopes”，例如 ["web", "search"] 这样的列表，或提供空列表 [] 使其仅供档案馆团队阅读。',
        'Indiquez où le récit peut apparaître : donnez « scopes », une liste comme ["web", "search"], ou une liste vide [] pour le garder privé, pour l\'équipe des archives.',
        'Укажите, где может появляться история: передайте «scopes» — список вроде ["web", "search"] или пустой список [], чтобы история осталась закрытой, только для команды архива.',
        'Indique dónde puede aparecer la historia: envíe “scopes”, una lista como ["web", "search"], o una lista vacía [] para mantenerla privada para el equipo del archivo.'),
    # --- paper consent -------------------------------------------------------------------
    "The signed form allows none of these places (keep it for the archive's team only)": t(
        "لا يسمح النموذج الموقَّع بأيٍّ من هذه الأماكن (تبقى لفريق الأرشيف فقط)",
        "签署的表格不允许以上任何地方（仅供档案馆团队使用）",
        "Le formulaire signé n'autorise aucun de ces lieux (réservé à l'équipe des archives)",
        "Подписанная форма не разрешает ни одно из этих мест (только для команды архива)",
        "El formulario firmado no permite ninguno de estos lugares (solo para el equipo del archivo)"),
    "Choose what the signed form says": t(
        "اختر ما ينص عليه النموذج الموقَّع", "请选择签署表格上的内容", "Choisissez ce que dit le formulaire signé",
        "Выберите то, что указано в подписанной форме", "Elija lo que dice el formulario firmado"),
    "Choose how the signed form says the name is shown.": t(
        "اختر طريقة عرض الاسم كما ينص عليها النموذج الموقَّع.", "请选择签署表格规定的姓名显示方式。",
        "Choisissez comment le formulaire signé dit d'afficher le nom.",
        "Выберите, как по подписанной форме показывается имя.",
        "Elija cómo dice el formulario firmado que se muestra el nombre."),
    "Tick where the signed form allows the item to appear, or tick that it allows none of these places.": t(
        "ضع علامة على الأماكن التي يسمح النموذج الموقَّع بظهور العنصر فيها، أو ضع علامة على أنه لا يسمح بأيٍّ منها.",
        "请勾选签署表格允许该条目出现的地方，或勾选表格不允许以上任何地方。",
        "Cochez les lieux où le formulaire signé autorise l'élément à apparaître, ou cochez qu'il n'en autorise aucun.",
        "Отметьте, где подписанная форма разрешает показывать материал, или отметьте, что она не разрешает ни одно из этих мест.",
        "Marque dónde permite el formulario firmado que aparezca el elemento, o marque que no permite ninguno de estos lugares."),
    "You ticked places and also “none of these places”; tick only what the signed form says.": t(
        "وضعت علامة على أماكن وعلى “لا شيء من هذه الأماكن” معًا؛ ضع علامة فقط على ما ينص عليه النموذج الموقَّع.",
        "您既勾选了地点，又勾选了“以上任何地方都不允许”；请只勾选签署表格上写明的内容。",
        "Vous avez coché des lieux et aussi « aucun de ces lieux » ; cochez seulement ce que dit le formulaire signé.",
        "Вы отметили места и одновременно «ни одно из этих мест»; отметьте только то, что указано в подписанной форме.",
        "Ha marcado lugares y también “ninguno de estos lugares”; marque solo lo que dice el formulario firmado."),
    "failed, will be retried": t("فشل، وستُعاد المحاولة", "失败，将重试", "échec, sera réessayé",
                                 "не удалось, будет повторено", "falló, se reintentará"),
    # --- contribution form ---------------------------------------------------------------
    "Nothing is ticked until you tick it. Tick only what you are comfortable with; if you tick nothing, only our team will read your story. You can change this later, or withdraw everything.": t(
        "لا يُحدَّد أي خيار ما لم تحدده أنت. اختر فقط ما يريحك؛ وإذا لم تحدد شيئًا، فلن يقرأ قصتك إلا فريقنا. يمكنك تغيير ذلك لاحقًا أو سحب كل شيء.",
        "在您勾选之前，任何选项都不会被勾选。只勾选您感到放心的选项；如果您什么都不勾选，只有我们的团队会阅读您的故事。您以后可以更改，或全部撤回。",
        "Rien n'est coché tant que vous ne le cochez pas. Cochez seulement ce qui vous convient ; si vous ne cochez rien, seule notre équipe lira votre récit. Vous pourrez changer cela plus tard, ou tout retirer.",
        "Ничего не отмечено, пока вы сами не отметите. Отмечайте только то, с чем вам спокойно; если ничего не отметить, вашу историю прочитает только наша команда. Вы сможете изменить это позже или всё отозвать.",
        "No hay nada marcado hasta que usted lo marque. Marque solo aquello con lo que se sienta cómodo; si no marca nada, solo nuestro equipo leerá su historia. Puede cambiarlo más tarde o retirarlo todo."),
    # --- state sentence ----------------------------------------------------------------
    "Erased. Its words, names and files have been deleted; only an anonymous record that a story was sent remains. This cannot be undone.": t(
        "مُحيت. حُذفت كلماتها وأسماؤها وملفاتها؛ ولم يبقَ إلا سجل مجهول الهوية يفيد بأن قصة قد أُرسلت. لا يمكن التراجع عن ذلك.",
        "已抹除。其文字、姓名和文件均已删除；只留下一条匿名记录，说明曾有一个故事被提交。此操作无法撤销。",
        "Effacé. Ses mots, ses noms et ses fichiers ont été supprimés ; il ne reste qu'une trace anonyme indiquant qu'un récit a été envoyé. C'est irréversible.",
        "Удалено. Её слова, имена и файлы удалены; осталась только анонимная запись о том, что история была отправлена. Это нельзя отменить.",
        "Borrada. Sus palabras, nombres y archivos se han eliminado; solo queda un registro anónimo de que se envió una historia. No se puede deshacer."),
    "Withdrawn. It does not appear anywhere in public. To restore it, contact the archive.": t(
        "مسحوبة. لا تظهر في أي مكان عام. لاستعادتها، تواصل مع الأرشيف.",
        "已撤回。它不会出现在任何公开的地方。如需恢复，请联系档案馆。",
        "Retiré. Il n'apparaît plus nulle part en public. Pour le rétablir, contactez les archives.",
        "Отозвано. История нигде не показывается публично. Чтобы восстановить её, свяжитесь с архивом.",
        "Retirada. No aparece en ningún lugar público. Para restablecerla, contacte con el archivo."),
    "Waiting for our team to read it. Nothing is public until then, and then only where you agreed.": t(
        "بانتظار أن يقرأها فريقنا. لا يُنشر شيء قبل ذلك، وبعدها فقط حيث وافقت.",
        "等待我们的团队阅读。在此之前不会公开任何内容，之后也只在您同意的地方公开。",
        "En attente de lecture par notre équipe. Rien n'est public d'ici là, puis seulement là où vous l'avez accepté.",
        "Ожидает прочтения нашей командой. До этого ничего не публикуется, а затем — только там, где вы согласились.",
        "Esperando a que nuestro equipo la lea. Nada es público hasta entonces, y después solo donde usted aceptó."),
    "Our team has asked for a change before it can be published. Nothing is public meanwhile.": t(
        "طلب فريقنا تعديلًا قبل أن يمكن نشرها. لا يُنشر شيء في الأثناء.",
        "我们的团队在发布前要求做一处修改。在此期间不会公开任何内容。",
        "Notre équipe a demandé une modification avant de pouvoir le publier. Rien n'est public en attendant.",
        "Наша команда попросила внести изменение перед публикацией. Пока ничего не публикуется.",
        "Nuestro equipo ha pedido un cambio antes de poder publicarla. Mientras tanto, nada es público."),
    "Our team could not publish it. It does not appear anywhere in public.": t(
        "لم يتمكن فريقنا من نشرها. لا تظهر في أي مكان عام.",
        "我们的团队无法发布它。它不会出现在任何公开的地方。",
        "Notre équipe n'a pas pu le publier. Il n'apparaît nulle part en public.",
        "Наша команда не смогла её опубликовать. Она нигде не показывается публично.",
        "Nuestro equipo no pudo publicarla. No aparece en ningún lugar público."),
    "Reviewed. As you chose, it appears nowhere in public.": t(
        "رُوجعت. كما اخترت، لا تظهر في أي مكان عام.", "已审阅。按照您的选择，它不会出现在任何公开的地方。",
        "Relu. Comme vous l'avez choisi, il n'apparaît nulle part en public.",
        "Проверено. Как вы выбрали, история нигде не показывается публично.",
        "Revisada. Como usted eligió, no aparece en ningún lugar público."),
    "Reviewed. As you chose, it is hidden everywhere until %(day)s, then shown where you agreed.": t(
        "رُوجعت. كما اخترت، هي مخفية في كل مكان حتى %(day)s، ثم تظهر حيث وافقت.",
        "已审阅。按照您的选择，它在 %(day)s 之前在所有地方隐藏，之后在您同意的地方显示。",
        "Relu. Comme vous l'avez choisi, il est masqué partout jusqu'au %(day)s, puis montré là où vous l'avez accepté.",
        "Проверено. Как вы выбрали, история скрыта везде до %(day)s, а затем будет показана там, где вы согласились.",
        "Revisada. Como usted eligió, está oculta en todas partes hasta el %(day)s y después se mostrará donde usted aceptó."),
    "Reviewed. Your consent ended on %(day)s, so it no longer appears in public.": t(
        "رُوجعت. انتهت موافقتك في %(day)s، لذا لم تعد تظهر علنًا.",
        "已审阅。您的同意已于 %(day)s 结束，因此它不再公开显示。",
        "Relu. Votre consentement a pris fin le %(day)s : il n'apparaît plus en public.",
        "Проверено. Ваше согласие закончилось %(day)s, поэтому история больше не показывается публично.",
        "Revisada. Su consentimiento terminó el %(day)s, por lo que ya no aparece en público."),
    "Reviewed and published, only where you agreed (listed below).": t(
        "رُوجعت ونُشرت، فقط حيث وافقت (مذكور أدناه).", "已审阅并发布，仅在您同意的地方（见下文）。",
        "Relu et publié, seulement là où vous l'avez accepté (voir ci-dessous).",
        "Проверено и опубликовано только там, где вы согласились (см. ниже).",
        "Revisada y publicada, solo donde usted aceptó (ver abajo)."),
    "Where it stands": t("أين وصلت", "当前状态", "Où il en est", "Текущее состояние", "En qué punto está"),
    "Withdrawn: nowhere in public.": t("مسحوبة: لا تظهر في أي مكان عام.", "已撤回：不在任何公开的地方。",
                                        "Retiré : nulle part en public.", "Отозвано: нигде публично.",
                                        "Retirada: en ningún lugar público."),
    "It is shown in these exhibitions:": t("تُعرض في هذه المعارض:", "它在以下展览中展出：",
                                            "Il est montré dans ces expositions :", "Она показана на этих выставках:",
                                            "Se muestra en estas exposiciones:"),
    # --- erasure from the management page ----------------------------------------------------
    "Your story is erased. Its words, names and files have been deleted.": t(
        "مُحيت قصتك. حُذفت كلماتها وأسماؤها وملفاتها.", "您的故事已被抹除。其文字、姓名和文件均已删除。",
        "Votre récit est effacé. Ses mots, ses noms et ses fichiers ont été supprimés.",
        "Ваша история удалена. Её слова, имена и файлы удалены.",
        "Su historia está borrada. Sus palabras, nombres y archivos se han eliminado."),
    "Everything you sent will be deleted from the archive for good:": t(
        "سيُحذف كل ما أرسلته من الأرشيف نهائيًا:", "您提交的所有内容都将从档案馆永久删除：",
        "Tout ce que vous avez envoyé sera supprimé des archives pour de bon :",
        "Всё, что вы отправили, будет навсегда удалено из архива:",
        "Todo lo que envió se eliminará del archivo para siempre:"),
    "the title and the words of your story;": t("عنوان قصتك وكلماتها؛", "您故事的标题和文字；",
                                                 "le titre et les mots de votre récit ;",
                                                 "название и текст вашей истории;",
                                                 "el título y las palabras de su historia;"),
    "your photos, recordings and transcripts, and every copy made from them for the website and other archives' viewers;": t(
        "صورك وتسجيلاتك ونصوصك المفرَّغة، وكل نسخة صُنعت منها للموقع ولعارضات الأرشيفات الأخرى؛",
        "您的照片、录音和文字记录，以及为本网站和其他档案馆查看器制作的所有副本；",
        "vos photos, enregistrements et transcriptions, et chaque copie faite pour le site et pour les visionneuses d'autres archives ;",
        "ваши фотографии, записи и расшифровки, а также все копии, сделанные из них для сайта и для просмотрщиков других архивов;",
        "sus fotos, grabaciones y transcripciones, y cada copia hecha de ellas para el sitio web y los visores de otros archivos;"),
    "your name, your e-mail address and the name you chose to show;": t(
        "اسمك وعنوان بريدك الإلكتروني والاسم الذي اخترت عرضه؛", "您的姓名、电子邮件地址以及您选择显示的名字；",
        "votre nom, votre adresse e-mail et le nom que vous avez choisi d'afficher ;",
        "ваше имя, адрес электронной почты и имя, которое вы выбрали для показа;",
        "su nombre, su dirección de correo electrónico y el nombre que eligió mostrar;"),
    "its place on this website, in search, in exhibitions, in other archives' viewers (we send them a removal notice) and on the memorial wall.": t(
        "مكانها على هذا الموقع وفي البحث وفي المعارض وفي عارضات الأرشيفات الأخرى (نرسل إليها إشعار إزالة) وعلى الجدار التذكاري.",
        "它在本网站、搜索、展览、其他档案馆查看器（我们会向其发送删除通知）以及纪念墙上的位置。",
        "sa place sur ce site, dans la recherche, dans les expositions, dans les visionneuses d'autres archives (nous leur envoyons un avis de retrait) et sur le mur du souvenir.",
        "её место на этом сайте, в поиске, на выставках, в просмотрщиках других архивов (мы отправляем им уведомление об удалении) и на стене памяти.",
        "su lugar en este sitio web, en la búsqueda, en las exposiciones, en los visores de otros archivos (les enviamos un aviso de retirada) y en el muro conmemorativo."),
    "What stays is only an anonymous record that a story was sent and when it was erased, with no words, names or files, so that we can show that your request was carried out.": t(
        "لا يبقى إلا سجل مجهول الهوية يفيد بأن قصة قد أُرسلت ومتى مُحيت، من دون كلمات أو أسماء أو ملفات، لكي نتمكن من إثبات أن طلبك قد نُفِّذ.",
        "保留的只有一条匿名记录，说明曾有一个故事被提交以及何时被抹除，不含任何文字、姓名或文件，以便我们能够证明您的请求已被执行。",
        "Il ne reste qu'une trace anonyme indiquant qu'un récit a été envoyé et quand il a été effacé, sans mots, noms ni fichiers, pour que nous puissions montrer que votre demande a été exécutée.",
        "Остаётся только анонимная запись о том, что история была отправлена и когда удалена, без слов, имён и файлов, чтобы мы могли подтвердить, что ваша просьба выполнена.",
        "Solo queda un registro anónimo de que se envió una historia y de cuándo se borró, sin palabras, nombres ni archivos, para que podamos demostrar que su solicitud se cumplió."),
    "This cannot be undone, by you or by us. If you may want your story back one day, withdraw it instead.": t(
        "لا يمكن التراجع عن ذلك، لا منك ولا منا. إذا كنت قد ترغب في استعادة قصتك يومًا ما، فاسحبها بدلًا من ذلك.",
        "此操作无法撤销，您和我们都无法撤销。如果您将来可能想找回您的故事，请改为撤回它。",
        "C'est irréversible, pour vous comme pour nous. Si vous pourriez vouloir retrouver votre récit un jour, retirez-le plutôt.",
        "Это нельзя отменить ни вам, ни нам. Если когда-нибудь вы можете захотеть вернуть свою историю, лучше отзовите её.",
        "No se puede deshacer, ni por usted ni por nosotros. Si algún día podría querer recuperar su historia, retírela en su lugar."),
    "Yes, erase everything for good": t("نعم، امحُ كل شيء نهائيًا", "是的，永久抹除所有内容",
                                         "Oui, tout effacer pour de bon", "Да, удалить всё навсегда",
                                         "Sí, borrarlo todo para siempre"),
    "What you chose before is ticked. Untick what you no longer want; if nothing is ticked, only our team will read your story.": t(
        "الخيارات التي اخترتها من قبل محدَّدة. ألغِ تحديد ما لم تعد تريده؛ وإذا لم يُحدَّد شيء، فلن يقرأ قصتك إلا فريقنا.",
        "您之前的选择已被勾选。取消勾选您不再想要的选项；如果什么都不勾选，只有我们的团队会阅读您的故事。",
        "Ce que vous aviez choisi est coché. Décochez ce que vous ne voulez plus ; si rien n'est coché, seule notre équipe lira votre récit.",
        "Отмечено то, что вы выбрали раньше. Снимите отметку с того, чего больше не хотите; если ничего не отмечено, вашу историю прочитает только наша команда.",
        "Lo que eligió antes está marcado. Desmarque lo que ya no quiera; si no hay nada marcado, solo nuestro equipo leerá su historia."),
    "Delete your story, your files and your name from the archive for good. You will see exactly what is deleted and be asked to confirm before anything happens.": t(
        "احذف قصتك وملفاتك واسمك من الأرشيف نهائيًا. سترى بالضبط ما سيُحذف وسيُطلب منك التأكيد قبل أن يحدث أي شيء.",
        "从档案馆永久删除您的故事、文件和姓名。在任何操作发生之前，您会看到具体删除哪些内容，并被要求确认。",
        "Supprimer pour de bon votre récit, vos fichiers et votre nom des archives. Vous verrez exactement ce qui est supprimé et devrez confirmer avant que quoi que ce soit ne se produise.",
        "Навсегда удалить из архива вашу историю, файлы и имя. Вы увидите, что именно будет удалено, и вас попросят подтвердить, прежде чем что-либо произойдёт.",
        "Eliminar para siempre del archivo su historia, sus archivos y su nombre. Verá exactamente qué se elimina y se le pedirá que confirme antes de que ocurra nada."),
    "Erase my story…": t("امحُ قصتي…", "抹除我的故事…", "Effacer mon récit…", "Удалить мою историю…", "Borrar mi historia…"),
}
