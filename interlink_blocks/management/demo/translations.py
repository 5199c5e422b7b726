"""Valmora's pages in Spanish, Italian and Latvian, as the demo's translators wrote them.

The demo translates its pages the way editors do, through wagtail-localize: each page's
translatable text is split into segments, and these dictionaries give each English segment
its translation (``TRANSLATIONS[language][english] = translated``). Numbers, names,
addresses and telephone numbers that read the same stay as they are (the source is used).
When an English text changes, its segment has no translation until a translator writes
one, and wagtail-localize shows the English meanwhile (docs/translation.md).
"""

# Pages translated into every language, by their path under the home page ("" is the home
# page itself). The rest of the demo stays in English, which shows how untranslated pages
# are linked and marked.
TRANSLATED_PAGES = [
    "",
    "calls",
    "calls/home-care-requests",
    "calls/senior-digital-helpers",
    "assets",
    "assets/stakeholder-mapping-canvas",
    "assets/digital-helpers-training",
    "stories",
    "stories/digital-helpers-year-one",
    "about",
    "accessibility",
    "privacy",
]

ES = {
    "142,000": "142.000",
    # Privacy notice
    "Privacy notice": "Aviso de privacidad",
    "How the City of Valmora uses the personal data you give when you take part in a co-production call.": "Cómo utiliza el Ayuntamiento de Valmora los datos personales que usted facilita al participar en una convocatoria de coproducción.",
    "What we collect and why": "Qué datos recogemos y para qué",
    "When you contribute, support a call or ask to join a team, we keep your e-mail address to confirm it is you and to tell you what happened to your contribution. Your address is never published.": "Cuando usted aporta una idea, apoya una convocatoria o pide unirse a un equipo, guardamos su dirección de correo electrónico para confirmar que es usted y para contarle qué ha pasado con su aportación. Su dirección nunca se publica.",
    "How long we keep it": "Cuánto tiempo la conservamos",
    "We delete your address one year after your last activity, or earlier if you ask. You can download or delete your data at any time from any call page.": "Borramos su dirección un año después de su última actividad, o antes si lo pide. Puede descargar o borrar sus datos en cualquier momento desde la página de cualquier convocatoria.",
    "Your rights": "Sus derechos",
    "Under the General Data Protection Regulation you may ask to see, correct or delete your data. Write to privacy@valmora.example.": "De acuerdo con el Reglamento General de Protección de Datos, puede solicitar el acceso a sus datos, su rectificación o su supresión. Escriba a privacy@valmora.example.",
    # Home page
    "Co-producing Valmora's public services": "Coproducir los servicios públicos de Valmora",
    "Valmora designs its public services with the people who use them. Take part in an open "
    "call, reuse what we have built, or read how earlier calls turned out.": (
        "Valmora diseña sus servicios públicos con las personas que los usan. Participe en una "
        "convocatoria abierta, reutilice lo que hemos creado o descubra cómo acabaron las "
        "convocatorias anteriores."
    ),
    "Open calls": "Convocatorias abiertas",
    "Where the home-care redesign stands": "En qué punto está el rediseño de la atención domiciliaria",
    "Recently shared assets": "Recursos compartidos recientemente",
    "New to co-production?": "¿Es su primera coproducción?",
    "Read how calls work and who can take part.": (
        "Descubra cómo funcionan las convocatorias y quién puede participar."
    ),
    "How it works": "Cómo funciona",
    # Indexes
    "Co-production calls": "Convocatorias de coproducción",
    "Calls to help design, build or run a public service in Valmora.": (
        "Convocatorias para ayudar a diseñar, construir o gestionar un servicio público en Valmora."
    ),
    "Reusable assets": "Recursos reutilizables",
    "Guides, templates, software and data from our calls, licensed so that other "
    "administrations can reuse them.": (
        "Guías, plantillas, software y datos de nuestras convocatorias, con licencias que "
        "permiten a otras administraciones reutilizarlos."
    ),
    "Success stories": "Casos de éxito",
    "What completed calls changed, and what they left for others to reuse.": (
        "Qué cambiaron las convocatorias finalizadas y qué dejaron para que otros lo reutilicen."
    ),
    # Call: home-care requests
    "Redesign how residents request home care": (
        "Rediseñar cómo los vecinos solicitan la atención domiciliaria"
    ),
    "Asking for home care in Valmora takes four forms, two offices and an average of 23 days. "
    "Help us design a request service that older residents and their families can complete "
    "in one visit or online.": (
        "Solicitar atención domiciliaria en Valmora exige cuatro formularios, dos oficinas y una "
        "media de 23 días. Ayúdenos a diseñar un servicio de solicitud que las personas mayores "
        "y sus familias puedan completar en una sola visita o por internet."
    ),
    "Whole city": "Toda la ciudad",
    "Elena Marchetti, Social Services Department": (
        "Elena Marchetti, Departamento de Servicios Sociales"
    ),
    "Join one of three design workshops at the San Vito community centre (Tuesdays, "
    "17:30–19:30), or tell us about your experience in the online form. Family carers can take "
    "part by phone: call the number below on weekday mornings.": (
        "Apúntese a uno de los tres talleres de diseño en el centro cívico de San Vito (los "
        "martes, de 17:30 a 19:30) o cuéntenos su experiencia en el formulario en línea. Los "
        "familiares cuidadores pueden participar por teléfono: llamen al número que figura más "
        "abajo, de lunes a viernes por la mañana."
    ),
    "Why we are changing the service": "Por qué cambiamos el servicio",
    "In 2025 the Social Services Department received 1,840 first requests for home care. One "
    "in three was sent back because a document was missing, and families told us they did not "
    "know which office to ask. During the Engage phase we interviewed 46 residents, 12 family "
    "carers and the home-care teams of the three district health centres.": (
        "En 2025 el Departamento de Servicios Sociales recibió 1840 primeras solicitudes de "
        "atención domiciliaria. Una de cada tres se devolvió porque faltaba un documento, y las "
        "familias nos contaron que no sabían a qué oficina dirigirse. Durante la fase de "
        "implicación entrevistamos a 46 vecinos, 12 familiares cuidadores y los equipos de "
        "atención domiciliaria de los tres centros de salud de distrito."
    ),
    "What we heard so far": "Lo que hemos escuchado hasta ahora",
    "days on average from first contact to a visit": (
        "días de media desde el primer contacto hasta la visita"
    ),
    "forms to fill in": "formularios que rellenar",
    "people interviewed": "personas entrevistadas",
    "What we will design together": "Lo que diseñaremos juntos",
    "a single request, on paper or online, with help at the library desks;": (
        "una única solicitud, en papel o en línea, con ayuda en los mostradores de las bibliotecas;"
    ),
    "a clear promise of when a nurse or social worker will call back;": (
        "un compromiso claro sobre cuándo llamará una enfermera o un trabajador social;"
    ),
    "a way for family carers to follow the request without calling the office.": (
        "una forma de que los familiares cuidadores sigan la solicitud sin llamar a la oficina."
    ),
    "Questions about taking part": "Preguntas sobre la participación",
    "Do I need to be a home-care user to take part?": (
        "¿Tengo que recibir atención domiciliaria para participar?"
    ),
    "No. We want to hear from users, from family members and neighbours who help, and from "
    "staff who receive the requests.": (
        "No. Queremos escuchar a quienes usan el servicio, a los familiares y vecinos que ayudan "
        "y al personal que recibe las solicitudes."
    ),
    "Will my personal story be published?": "¿Se publicará mi historia personal?",
    "No. Workshop notes are anonymised and kept for twelve months, as explained in the privacy "
    "notice handed out at each session.": (
        "No. Las notas de los talleres se anonimizan y se conservan doce meses, como explica el "
        "aviso de privacidad que se entrega en cada sesión."
    ),
    # Call: senior digital helpers
    "Senior digital helpers: residents teaching residents": (
        "Mayores que ayudan en lo digital: vecinos que enseñan a vecinos"
    ),
    "Retired residents trained as digital helpers now run weekly drop-in sessions where older "
    "people learn to book appointments, pay bills and video-call family.": (
        "Vecinos jubilados formados como ayudantes digitales organizan ahora sesiones semanales "
        "abiertas en las que las personas mayores aprenden a pedir cita, pagar recibos y hacer "
        "videollamadas con la familia."
    ),
    "Community centres in all districts": "Centros cívicos de todos los distritos",
    "Citizen Participation Office": "Oficina de Participación Ciudadana",
    "The call is completed. New helpers can join the next training course.": (
        "La convocatoria ha finalizado. Quien quiera ser ayudante puede apuntarse al próximo curso."
    ),
    "After one year": "Un año después",
    "trained helpers": "ayudantes formados",
    "drop-in visits": "visitas sin cita",
    "sessions a week": "sesiones a la semana",
    # Assets
    "Stakeholder mapping canvas": "Lienzo de mapa de actores",
    "A one-page canvas to list everyone a service affects, how much they are affected and how "
    "to involve them, used at the start of every Valmora co-production call.": (
        "Un lienzo de una página para anotar a todas las personas a las que afecta un servicio, "
        "en qué medida y cómo implicarlas; lo usamos al inicio de cada convocatoria de "
        "coproducción de Valmora."
    ),
    "How to use it": "Cómo usarlo",
    "Print it in A1, fill it in with sticky notes during the first meeting, and photograph it "
    "for the call's page. One hour is usually enough.": (
        "Imprímalo en A1, rellénelo con notas adhesivas durante la primera reunión y "
        "fotografíelo para la página de la convocatoria. Suele bastar con una hora."
    ),
    "Digital helpers training course": "Curso de formación para ayudantes digitales",
    "A six-session course that prepares retired residents to help their peers with online "
    "services, including a session on recognising scams.": (
        "Un curso de seis sesiones que prepara a vecinos jubilados para ayudar a otras personas "
        "de su edad con los servicios en línea, con una sesión dedicada a reconocer estafas."
    ),
    # Story
    "Neighbours helping neighbours go online": "Vecinos que ayudan a sus vecinos a conectarse",
    "Twenty-seven retired residents trained as digital helpers now run nine drop-in sessions a "
    "week in community centres.": (
        "Veintisiete vecinos jubilados formados como ayudantes digitales organizan ahora nueve "
        "sesiones semanales sin cita en los centros cívicos."
    ),
    "Older residents told us they preferred learning from someone their own age. The training "
    "course was written with the first helpers and revised after each group. Booking a medical "
    "appointment online is the most common request.": (
        "Las personas mayores nos dijeron que preferían aprender de alguien de su edad. El curso "
        "se redactó con los primeros ayudantes y se revisó después de cada grupo. Pedir cita "
        "médica por internet es la petición más habitual."
    ),
    "helpers": "ayudantes",
    # About
    "About co-production in Valmora": "La coproducción en Valmora",
    "Since 2024 every new or redesigned public service in Valmora starts with a co-production "
    "call.": (
        "Desde 2024, todo servicio público nuevo o rediseñado en Valmora empieza con una "
        "convocatoria de coproducción."
    ),
    "How a call works": "Cómo funciona una convocatoria",
    "Each call follows the four phases of the INTERLINK co-production schema: <b>Engage</b> the "
    "people concerned, <b>Design</b> the service together, <b>Build</b> and deliver it with "
    "partners, and <b>Sustain</b> it once it runs. Every call page shows which phase it is in "
    "and what comes next.": (
        "Cada convocatoria sigue las cuatro fases del esquema de coproducción INTERLINK: "
        "<b>implicar</b> a las personas afectadas, <b>diseñar</b> el servicio en común, "
        "<b>construirlo</b> y ponerlo en marcha con los socios, y <b>mantenerlo</b> una vez en "
        "funcionamiento. La página de cada convocatoria indica en qué fase está y qué viene "
        "después."
    ),
    "Co-production in Valmora": "La coproducción en Valmora",
    "residents": "habitantes",
    "districts": "distritos",
    "calls since 2024": "convocatorias desde 2024",
    "Frequently asked questions": "Preguntas frecuentes",
    "Who can take part in a call?": "¿Quién puede participar en una convocatoria?",
    "Each call says who it is for: residents, businesses, city staff or non-profit "
    "organisations. Most calls welcome everyone who lives or works in Valmora.": (
        "Cada convocatoria indica a quién se dirige: vecinos, empresas, personal municipal u "
        "organizaciones sin ánimo de lucro. La mayoría está abierta a todas las personas que "
        "viven o trabajan en Valmora."
    ),
    "Can other cities reuse what we build?": "¿Pueden otras ciudades reutilizar lo que creamos?",
    "Yes. Guides, templates, software and data are published as reusable assets with an open "
    "licence wherever the law allows.": (
        "Sí. Las guías, plantillas, programas y datos se publican como recursos reutilizables "
        "con una licencia abierta siempre que la ley lo permite."
    ),
    "City of Valmora": "Ayuntamiento de Valmora",
    "Piazza del Municipio 1, Valmora<br/>Monday to Friday, 9:00–13:00": (
        "Piazza del Municipio 1, Valmora<br/>De lunes a viernes, de 9:00 a 13:00"
    ),
    # Accessibility statement
    "Accessibility statement": "Declaración de accesibilidad",
    "The City of Valmora wants everyone to be able to use this website, including people who "
    "use a screen reader, a keyboard or magnification.": (
        "El Ayuntamiento de Valmora quiere que todo el mundo pueda usar este sitio web, también "
        "las personas que utilizan un lector de pantalla, el teclado o la ampliación."
    ),
    "Compliance status": "Situación de cumplimiento",
    "This website aims to conform with the Web Content Accessibility Guidelines (WCAG) 2.1 at "
    "level AA, as required by Directive (EU) 2016/2102. Pages work without JavaScript and "
    "follow a logical heading order.": (
        "Este sitio web aspira a cumplir las Pautas de Accesibilidad para el Contenido Web "
        "(WCAG) 2.1 en el nivel AA, como exige la Directiva (UE) 2016/2102. Las páginas "
        "funcionan sin JavaScript y siguen un orden lógico de encabezados."
    ),
    "Known limitations": "Limitaciones conocidas",
    "Some documents attached to reusable assets were produced by other administrations and may "
    "not be fully accessible.": (
        "Algunos documentos adjuntos a los recursos reutilizables proceden de otras "
        "administraciones y puede que no sean plenamente accesibles."
    ),
    "Data tables in older stories may lack a caption.": (
        "Puede que las tablas de datos de los casos más antiguos no tengan título."
    ),
    "Feedback and contact": "Comentarios y contacto",
    "If you find a problem or need content in another format, write to "
    "accessibility@valmora.example. We reply within ten working days.": (
        "Si encuentra algún problema o necesita un contenido en otro formato, escriba a "
        "accessibility@valmora.example. Respondemos en un plazo de diez días hábiles."
    ),
}

IT = {
    "142,000": "142.000",
    # Privacy notice
    "Privacy notice": "Informativa sulla privacy",
    "How the City of Valmora uses the personal data you give when you take part in a co-production call.": "Come il Comune di Valmora usa i dati personali che fornisci quando partecipi a un bando di coproduzione.",
    "What we collect and why": "Quali dati raccogliamo e perché",
    "When you contribute, support a call or ask to join a team, we keep your e-mail address to confirm it is you and to tell you what happened to your contribution. Your address is never published.": "Quando invii un contributo, sostieni un bando o chiedi di entrare in un gruppo, conserviamo il tuo indirizzo e-mail per confermare che sei tu e per dirti che cosa è successo al tuo contributo. Il tuo indirizzo non viene mai pubblicato.",
    "How long we keep it": "Per quanto tempo lo conserviamo",
    "We delete your address one year after your last activity, or earlier if you ask. You can download or delete your data at any time from any call page.": "Cancelliamo il tuo indirizzo un anno dopo la tua ultima attività, o prima se lo chiedi. Puoi scaricare o cancellare i tuoi dati in qualsiasi momento dalla pagina di qualunque bando.",
    "Your rights": "I tuoi diritti",
    "Under the General Data Protection Regulation you may ask to see, correct or delete your data. Write to privacy@valmora.example.": "In base al Regolamento generale sulla protezione dei dati puoi chiedere di consultare, correggere o cancellare i tuoi dati. Scrivi a privacy@valmora.example.",
    # Home page
    "Co-producing Valmora's public services": "Coprodurre i servizi pubblici di Valmora",
    "Valmora designs its public services with the people who use them. Take part in an open "
    "call, reuse what we have built, or read how earlier calls turned out.": (
        "Valmora progetta i suoi servizi pubblici insieme alle persone che li usano. Partecipa a "
        "un bando aperto, riutilizza ciò che abbiamo realizzato o scopri com'è andata con i "
        "bandi precedenti."
    ),
    "Open calls": "Bandi aperti",
    "Where the home-care redesign stands": (
        "A che punto è la riprogettazione dell'assistenza domiciliare"
    ),
    "Recently shared assets": "Risorse condivise di recente",
    "New to co-production?": "È la tua prima coproduzione?",
    "Read how calls work and who can take part.": "Scopri come funzionano i bandi e chi può partecipare.",
    "How it works": "Come funziona",
    # Indexes
    "Co-production calls": "Bandi di coproduzione",
    "Calls to help design, build or run a public service in Valmora.": (
        "Bandi per contribuire a progettare, realizzare o gestire un servizio pubblico a Valmora."
    ),
    "Reusable assets": "Risorse riutilizzabili",
    "Guides, templates, software and data from our calls, licensed so that other "
    "administrations can reuse them.": (
        "Guide, modelli, software e dati nati dai nostri bandi, con licenze che permettono ad "
        "altre amministrazioni di riutilizzarli."
    ),
    "Success stories": "Storie di successo",
    "What completed calls changed, and what they left for others to reuse.": (
        "Che cosa hanno cambiato i bandi conclusi e che cosa hanno lasciato da riutilizzare."
    ),
    # Call: home-care requests
    "Redesign how residents request home care": (
        "Ripensare il modo in cui i cittadini chiedono l'assistenza domiciliare"
    ),
    "Asking for home care in Valmora takes four forms, two offices and an average of 23 days. "
    "Help us design a request service that older residents and their families can complete "
    "in one visit or online.": (
        "Oggi, a Valmora, chiedere l'assistenza domiciliare richiede quattro moduli, due uffici "
        "e in media 23 giorni. Aiutaci a progettare un servizio di richiesta che gli anziani e "
        "le loro famiglie possano completare con una sola visita o online."
    ),
    "Whole city": "Tutta la città",
    "Elena Marchetti, Social Services Department": "Elena Marchetti, Settore Servizi sociali",
    "Join one of three design workshops at the San Vito community centre (Tuesdays, "
    "17:30–19:30), or tell us about your experience in the online form. Family carers can take "
    "part by phone: call the number below on weekday mornings.": (
        "Partecipa a uno dei tre laboratori di progettazione al centro civico di San Vito (il "
        "martedì, dalle 17:30 alle 19:30) oppure raccontaci la tua esperienza con il modulo "
        "online. I familiari che assistono una persona possono partecipare per telefono: "
        "chiamate il numero qui sotto nelle mattine dei giorni feriali."
    ),
    "Why we are changing the service": "Perché cambiamo il servizio",
    "In 2025 the Social Services Department received 1,840 first requests for home care. One "
    "in three was sent back because a document was missing, and families told us they did not "
    "know which office to ask. During the Engage phase we interviewed 46 residents, 12 family "
    "carers and the home-care teams of the three district health centres.": (
        "Nel 2025 il Settore Servizi sociali ha ricevuto 1.840 prime richieste di assistenza "
        "domiciliare. Una su tre è stata respinta perché mancava un documento, e le famiglie ci "
        "hanno detto di non sapere a quale ufficio rivolgersi. Nella fase di coinvolgimento "
        "abbiamo intervistato 46 cittadini, 12 familiari che assistono una persona e le équipe "
        "di assistenza domiciliare dei tre distretti sanitari."
    ),
    "What we heard so far": "Che cosa abbiamo sentito finora",
    "days on average from first contact to a visit": (
        "giorni in media dal primo contatto alla visita"
    ),
    "forms to fill in": "moduli da compilare",
    "people interviewed": "persone intervistate",
    "What we will design together": "Che cosa progetteremo insieme",
    "a single request, on paper or online, with help at the library desks;": (
        "un'unica richiesta, su carta oppure online, con l'aiuto degli sportelli delle biblioteche;"
    ),
    "a clear promise of when a nurse or social worker will call back;": (
        "un impegno chiaro su quando un infermiere o un assistente sociale richiamerà;"
    ),
    "a way for family carers to follow the request without calling the office.": (
        "un modo per i familiari di seguire la richiesta senza dover telefonare all'ufficio."
    ),
    "Questions about taking part": "Domande sulla partecipazione",
    "Do I need to be a home-care user to take part?": (
        "Devo ricevere assistenza domiciliare per partecipare?"
    ),
    "No. We want to hear from users, from family members and neighbours who help, and from "
    "staff who receive the requests.": (
        "No. Vogliamo ascoltare chi usa il servizio, i familiari e i vicini che danno una mano e "
        "il personale che riceve le richieste."
    ),
    "Will my personal story be published?": "La mia storia personale sarà pubblicata?",
    "No. Workshop notes are anonymised and kept for twelve months, as explained in the privacy "
    "notice handed out at each session.": (
        "No. Gli appunti dei laboratori vengono resi anonimi e conservati per dodici mesi, come "
        "spiega l'informativa sulla privacy distribuita a ogni incontro."
    ),
    # Call: senior digital helpers
    "Senior digital helpers: residents teaching residents": (
        "Facilitatori digitali senior: cittadini che insegnano ad altri cittadini"
    ),
    "Retired residents trained as digital helpers now run weekly drop-in sessions where older "
    "people learn to book appointments, pay bills and video-call family.": (
        "Pensionati formati come facilitatori digitali tengono ora incontri settimanali ad "
        "accesso libero in cui gli anziani imparano a prenotare visite, pagare bollette e fare "
        "videochiamate con la famiglia."
    ),
    "Community centres in all districts": "Centri civici di tutti i quartieri",
    "Citizen Participation Office": "Ufficio Partecipazione",
    "The call is completed. New helpers can join the next training course.": (
        "Il bando è concluso. Chi vuole diventare facilitatore può iscriversi al prossimo corso."
    ),
    "After one year": "Dopo un anno",
    "trained helpers": "facilitatori formati",
    "drop-in visits": "accessi agli sportelli",
    "sessions a week": "incontri a settimana",
    # Assets
    "Stakeholder mapping canvas": "Canvas per la mappatura degli attori",
    "A one-page canvas to list everyone a service affects, how much they are affected and how "
    "to involve them, used at the start of every Valmora co-production call.": (
        "Un canvas di una pagina per elencare tutte le persone coinvolte da un servizio, quanto "
        "ne sono toccate e come coinvolgerle; lo usiamo all'avvio di ogni bando di coproduzione "
        "di Valmora."
    ),
    "How to use it": "Come usarlo",
    "Print it in A1, fill it in with sticky notes during the first meeting, and photograph it "
    "for the call's page. One hour is usually enough.": (
        "Stampalo in formato A1, compilalo con i post-it durante il primo incontro e "
        "fotografalo per la pagina del bando. Di solito basta un'ora."
    ),
    "Digital helpers training course": "Corso di formazione per facilitatori digitali",
    "A six-session course that prepares retired residents to help their peers with online "
    "services, including a session on recognising scams.": (
        "Un corso in sei incontri che prepara i pensionati ad aiutare i coetanei con i servizi "
        "online, con un incontro dedicato a riconoscere le truffe."
    ),
    # Story
    "Neighbours helping neighbours go online": "Vicini che aiutano i vicini ad andare online",
    "Twenty-seven retired residents trained as digital helpers now run nine drop-in sessions a "
    "week in community centres.": (
        "Ventisette pensionati formati come facilitatori digitali tengono ora nove incontri a "
        "settimana ad accesso libero nei centri civici."
    ),
    "Older residents told us they preferred learning from someone their own age. The training "
    "course was written with the first helpers and revised after each group. Booking a medical "
    "appointment online is the most common request.": (
        "Gli anziani ci hanno detto che preferivano imparare da qualcuno della loro età. Il corso "
        "è stato scritto con i primi facilitatori e rivisto dopo ogni gruppo. La richiesta più "
        "frequente è prenotare una visita medica online."
    ),
    "helpers": "facilitatori",
    # About
    "About co-production in Valmora": "La coproduzione a Valmora",
    "Since 2024 every new or redesigned public service in Valmora starts with a co-production "
    "call.": (
        "Dal 2024 ogni servizio pubblico nuovo o ripensato a Valmora nasce da un bando di "
        "coproduzione."
    ),
    "How a call works": "Come funziona un bando",
    "Each call follows the four phases of the INTERLINK co-production schema: <b>Engage</b> the "
    "people concerned, <b>Design</b> the service together, <b>Build</b> and deliver it with "
    "partners, and <b>Sustain</b> it once it runs. Every call page shows which phase it is in "
    "and what comes next.": (
        "Ogni bando segue le quattro fasi dello schema di coproduzione INTERLINK: "
        "<b>coinvolgere</b> le persone interessate, <b>progettare</b> insieme il servizio, "
        "<b>realizzarlo</b> ed erogarlo con i partner e <b>sostenerlo</b> una volta avviato. La "
        "pagina di ogni bando indica in quale fase si trova e che cosa succede dopo."
    ),
    "Co-production in Valmora": "La coproduzione a Valmora",
    "residents": "abitanti",
    "districts": "quartieri",
    "calls since 2024": "bandi dal 2024",
    "Frequently asked questions": "Domande frequenti",
    "Who can take part in a call?": "Chi può partecipare a un bando?",
    "Each call says who it is for: residents, businesses, city staff or non-profit "
    "organisations. Most calls welcome everyone who lives or works in Valmora.": (
        "Ogni bando indica a chi si rivolge: cittadini, imprese, personale comunale o "
        "organizzazioni non profit. La maggior parte è aperta a chiunque viva o lavori a Valmora."
    ),
    "Can other cities reuse what we build?": "Altre città possono riutilizzare ciò che realizziamo?",
    "Yes. Guides, templates, software and data are published as reusable assets with an open "
    "licence wherever the law allows.": (
        "Sì. Guide, modelli, software e dati vengono pubblicati come risorse riutilizzabili con "
        "una licenza aperta, ovunque la legge lo consenta."
    ),
    "City of Valmora": "Comune di Valmora",
    "Piazza del Municipio 1, Valmora<br/>Monday to Friday, 9:00–13:00": (
        "Piazza del Municipio 1, Valmora<br/>Dal lunedì al venerdì, 9:00–13:00"
    ),
    # Accessibility statement
    "Accessibility statement": "Dichiarazione di accessibilità",
    "The City of Valmora wants everyone to be able to use this website, including people who "
    "use a screen reader, a keyboard or magnification.": (
        "Il Comune di Valmora vuole che tutti possano usare questo sito, comprese le persone che "
        "usano un lettore di schermo, la tastiera o l'ingrandimento."
    ),
    "Compliance status": "Stato di conformità",
    "This website aims to conform with the Web Content Accessibility Guidelines (WCAG) 2.1 at "
    "level AA, as required by Directive (EU) 2016/2102. Pages work without JavaScript and "
    "follow a logical heading order.": (
        "Questo sito intende essere conforme alle Linee guida per l'accessibilità dei contenuti "
        "web (WCAG) 2.1 di livello AA, come richiesto dalla direttiva (UE) 2016/2102. Le pagine "
        "funzionano senza JavaScript e seguono un ordine logico dei titoli."
    ),
    "Known limitations": "Limiti noti",
    "Some documents attached to reusable assets were produced by other administrations and may "
    "not be fully accessible.": (
        "Alcuni documenti allegati alle risorse riutilizzabili sono stati prodotti da altre "
        "amministrazioni e potrebbero non essere del tutto accessibili."
    ),
    "Data tables in older stories may lack a caption.": (
        "Le tabelle di dati delle storie meno recenti potrebbero non avere una didascalia."
    ),
    "Feedback and contact": "Segnalazioni e contatti",
    "If you find a problem or need content in another format, write to "
    "accessibility@valmora.example. We reply within ten working days.": (
        "Se trovi un problema o ti serve un contenuto in un altro formato, scrivi a "
        "accessibility@valmora.example. Rispondiamo entro dieci giorni lavorativi."
    ),
}

LV = {
    "142,000": "142 000",
    # Privacy notice
    "Privacy notice": "Privātuma paziņojums",
    "How the City of Valmora uses the personal data you give when you take part in a co-production call.": "Kā Valmoras pašvaldība izmanto personas datus, ko jūs sniedzat, piedaloties koprades aicinājumā.",
    "What we collect and why": "Kādus datus mēs vācam un kāpēc",
    "When you contribute, support a call or ask to join a team, we keep your e-mail address to confirm it is you and to tell you what happened to your contribution. Your address is never published.": "Kad jūs iesniedzat priekšlikumu, atbalstāt aicinājumu vai lūdzat uzņemt jūs komandā, mēs saglabājam jūsu e-pasta adresi, lai apstiprinātu, ka tie esat jūs, un pastāstītu, kas noticis ar jūsu priekšlikumu. Jūsu adrese nekad netiek publicēta.",
    "How long we keep it": "Cik ilgi mēs to glabājam",
    "We delete your address one year after your last activity, or earlier if you ask. You can download or delete your data at any time from any call page.": "Mēs dzēšam jūsu adresi gadu pēc jūsu pēdējās darbības vai agrāk, ja to lūdzat. Savus datus jebkurā laikā varat lejupielādēt vai dzēst jebkura aicinājuma lapā.",
    "Your rights": "Jūsu tiesības",
    "Under the General Data Protection Regulation you may ask to see, correct or delete your data. Write to privacy@valmora.example.": "Saskaņā ar Vispārīgo datu aizsardzības regulu jūs varat lūgt piekļūt saviem datiem, tos labot vai dzēst. Rakstiet uz privacy@valmora.example.",
    # Home page
    "Co-producing Valmora's public services": "Valmoras sabiedrisko pakalpojumu koprade",
    "Valmora designs its public services with the people who use them. Take part in an open "
    "call, reuse what we have built, or read how earlier calls turned out.": (
        "Valmora veido savus sabiedriskos pakalpojumus kopā ar cilvēkiem, kas tos izmanto. "
        "Piedalieties atvērtā aicinājumā, izmantojiet to, ko esam radījuši, vai izlasiet, kā "
        "noritēja iepriekšējie aicinājumi."
    ),
    "Open calls": "Atvērtie aicinājumi",
    "Where the home-care redesign stands": "Kā virzās mājas aprūpes pakalpojuma pārveide",
    "Recently shared assets": "Nesen kopīgotie resursi",
    "New to co-production?": "Koprade jums ir jaunums?",
    "Read how calls work and who can take part.": (
        "Uzziniet, kā notiek aicinājumi un kas tajos var piedalīties."
    ),
    "How it works": "Kā tas notiek",
    # Indexes
    "Co-production calls": "Koprades aicinājumi",
    "Calls to help design, build or run a public service in Valmora.": (
        "Aicinājumi palīdzēt izstrādāt, izveidot vai nodrošināt kādu Valmoras sabiedrisko "
        "pakalpojumu."
    ),
    "Reusable assets": "Atkārtoti izmantojami resursi",
    "Guides, templates, software and data from our calls, licensed so that other "
    "administrations can reuse them.": (
        "Mūsu aicinājumos tapušas vadlīnijas, veidnes, programmatūra un dati ar licencēm, kas "
        "ļauj tos izmantot arī citām iestādēm."
    ),
    "Success stories": "Veiksmes stāsti",
    "What completed calls changed, and what they left for others to reuse.": (
        "Ko mainīja noslēgtie aicinājumi un ko tie atstāja citiem izmantošanai."
    ),
    # Call: home-care requests
    "Redesign how residents request home care": (
        "Pārveidosim to, kā iedzīvotāji piesaka mājas aprūpi"
    ),
    "Asking for home care in Valmora takes four forms, two offices and an average of 23 days. "
    "Help us design a request service that older residents and their families can complete "
    "in one visit or online.": (
        "Lai Valmorā pieteiktu mājas aprūpi, jāaizpilda četras veidlapas, jāapmeklē divas "
        "iestādes, un tas aizņem vidēji 23 dienas. Palīdziet mums izstrādāt pieteikšanās "
        "pakalpojumu, ko vecāka gadagājuma iedzīvotāji un viņu ģimenes varētu pabeigt vienā "
        "apmeklējumā vai tiešsaistē."
    ),
    "Whole city": "Visa pilsēta",
    "Elena Marchetti, Social Services Department": "Elena Marchetti, Sociālo pakalpojumu departaments",
    "Join one of three design workshops at the San Vito community centre (Tuesdays, "
    "17:30–19:30), or tell us about your experience in the online form. Family carers can take "
    "part by phone: call the number below on weekday mornings.": (
        "Piedalieties kādā no trim izstrādes darbnīcām Sanvito apkaimes centrā (otrdienās "
        "17.30–19.30) vai pastāstiet par savu pieredzi tiešsaistes veidlapā. Tuvinieki, kas "
        "aprūpē kādu ģimenes locekli, var piedalīties pa tālruni: zvaniet uz zemāk norādīto "
        "numuru darba dienu rītos."
    ),
    "Why we are changing the service": "Kāpēc mēs mainām pakalpojumu",
    "In 2025 the Social Services Department received 1,840 first requests for home care. One "
    "in three was sent back because a document was missing, and families told us they did not "
    "know which office to ask. During the Engage phase we interviewed 46 residents, 12 family "
    "carers and the home-care teams of the three district health centres.": (
        "2025. gadā Sociālo pakalpojumu departaments saņēma 1840 pirmreizējus mājas aprūpes "
        "pieteikumus. Katrs trešais tika atdots atpakaļ, jo trūka kāda dokumenta, un ģimenes "
        "mums stāstīja, ka nezina, pie kuras iestādes vērsties. Iesaistes posmā mēs "
        "intervējām 46 iedzīvotājus, 12 aprūpētājus tuviniekus un triju rajonu veselības "
        "centru mājas aprūpes komandas."
    ),
    "What we heard so far": "Ko esam dzirdējuši līdz šim",
    "days on average from first contact to a visit": (
        "dienas vidēji no pirmās saziņas līdz apmeklējumam"
    ),
    "forms to fill in": "aizpildāmas veidlapas",
    "people interviewed": "intervēti cilvēki",
    "What we will design together": "Ko mēs izstrādāsim kopā",
    "a single request, on paper or online, with help at the library desks;": (
        "vienu pieteikumu – papīra formā vai tiešsaistē – ar palīdzību bibliotēku apkalpošanas "
        "punktos;"
    ),
    "a clear promise of when a nurse or social worker will call back;": (
        "skaidru apņemšanos, kad atzvanīs medmāsa vai sociālais darbinieks;"
    ),
    "a way for family carers to follow the request without calling the office.": (
        "iespēju tuviniekiem sekot pieteikumam, nezvanot uz iestādi."
    ),
    "Questions about taking part": "Jautājumi par piedalīšanos",
    "Do I need to be a home-care user to take part?": (
        "Vai man jāsaņem mājas aprūpe, lai piedalītos?"
    ),
    "No. We want to hear from users, from family members and neighbours who help, and from "
    "staff who receive the requests.": (
        "Nē. Mēs vēlamies uzklausīt gan pakalpojuma saņēmējus, gan ģimenes locekļus un "
        "kaimiņus, kas palīdz, gan darbiniekus, kuri pieteikumus pieņem."
    ),
    "Will my personal story be published?": "Vai mans personīgais stāsts tiks publicēts?",
    "No. Workshop notes are anonymised and kept for twelve months, as explained in the privacy "
    "notice handed out at each session.": (
        "Nē. Darbnīcu pieraksti tiek anonimizēti un glabāti divpadsmit mēnešus, kā skaidrots "
        "privātuma paziņojumā, ko izsniedzam katrā tikšanās reizē."
    ),
    # Call: senior digital helpers
    "Senior digital helpers: residents teaching residents": (
        "Senioru digitālie palīgi: iedzīvotāji māca iedzīvotājus"
    ),
    "Retired residents trained as digital helpers now run weekly drop-in sessions where older "
    "people learn to book appointments, pay bills and video-call family.": (
        "Pensionāri, kas apmācīti par digitālajiem palīgiem, tagad katru nedēļu rīko atvērtas "
        "nodarbības, kurās seniori mācās pierakstīties pie ārsta, apmaksāt rēķinus un "
        "sazināties ar ģimeni videozvanā."
    ),
    "Community centres in all districts": "Apkaimju centri visos rajonos",
    "Citizen Participation Office": "Iedzīvotāju līdzdalības birojs",
    "The call is completed. New helpers can join the next training course.": (
        "Aicinājums ir noslēdzies. Jauni palīgi var pieteikties nākamajam mācību kursam."
    ),
    "After one year": "Pēc gada",
    "trained helpers": "apmācīti palīgi",
    "drop-in visits": "apmeklējumi bez pieraksta",
    "sessions a week": "nodarbības nedēļā",
    # Assets
    "Stakeholder mapping canvas": "Iesaistīto pušu kartēšanas audekls",
    "A one-page canvas to list everyone a service affects, how much they are affected and how "
    "to involve them, used at the start of every Valmora co-production call.": (
        "Vienas lapas audekls, kurā uzskaitīt visus, ko pakalpojums skar, cik lielā mērā, un "
        "kā viņus iesaistīt; to izmantojam katra Valmoras koprades aicinājuma sākumā."
    ),
    "How to use it": "Kā to izmantot",
    "Print it in A1, fill it in with sticky notes during the first meeting, and photograph it "
    "for the call's page. One hour is usually enough.": (
        "Izdrukājiet to A1 formātā, pirmajā sanāksmē aizpildiet ar līmlapiņām un nofotografējiet "
        "aicinājuma lapai. Parasti pietiek ar vienu stundu."
    ),
    "Digital helpers training course": "Digitālo palīgu mācību kurss",
    "A six-session course that prepares retired residents to help their peers with online "
    "services, including a session on recognising scams.": (
        "Sešu nodarbību kurss, kas sagatavo pensionārus palīdzēt vienaudžiem izmantot "
        "e-pakalpojumus; viena nodarbība veltīta krāpniecības atpazīšanai."
    ),
    # Story
    "Neighbours helping neighbours go online": "Kaimiņi palīdz kaimiņiem apgūt internetu",
    "Twenty-seven retired residents trained as digital helpers now run nine drop-in sessions a "
    "week in community centres.": (
        "Divdesmit septiņi pensionāri, kas apmācīti par digitālajiem palīgiem, tagad apkaimju "
        "centros vada deviņas nodarbības nedēļā, uz kurām var atnākt bez pieraksta."
    ),
    "Older residents told us they preferred learning from someone their own age. The training "
    "course was written with the first helpers and revised after each group. Booking a medical "
    "appointment online is the most common request.": (
        "Seniori mums stāstīja, ka labprātāk mācās no kāda sava vecuma cilvēka. Mācību kurss "
        "tapa kopā ar pirmajiem palīgiem un tika pārskatīts pēc katras grupas. Visbiežāk lūdz "
        "palīdzību pierakstīties pie ārsta tiešsaistē."
    ),
    "helpers": "palīgi",
    # About
    "About co-production in Valmora": "Par kopradi Valmorā",
    "Since 2024 every new or redesigned public service in Valmora starts with a co-production "
    "call.": (
        "Kopš 2024. gada katrs jauns vai pārveidots Valmoras sabiedriskais pakalpojums sākas ar "
        "koprades aicinājumu."
    ),
    "How a call works": "Kā notiek aicinājums",
    "Each call follows the four phases of the INTERLINK co-production schema: <b>Engage</b> the "
    "people concerned, <b>Design</b> the service together, <b>Build</b> and deliver it with "
    "partners, and <b>Sustain</b> it once it runs. Every call page shows which phase it is in "
    "and what comes next.": (
        "Katrs aicinājums iet cauri četriem INTERLINK koprades shēmas posmiem: "
        "<b>iesaistīt</b> cilvēkus, kurus tas skar, kopā <b>izstrādāt</b> pakalpojumu, "
        "<b>izveidot</b> un sniegt to kopā ar partneriem un <b>uzturēt</b> to, kad tas darbojas. "
        "Katra aicinājuma lapā redzams, kurā posmā tas ir un kas sekos."
    ),
    "Co-production in Valmora": "Koprade Valmorā",
    "residents": "iedzīvotāji",
    "districts": "rajoni",
    "calls since 2024": "aicinājumi kopš 2024. gada",
    "Frequently asked questions": "Biežāk uzdotie jautājumi",
    "Who can take part in a call?": "Kas var piedalīties aicinājumā?",
    "Each call says who it is for: residents, businesses, city staff or non-profit "
    "organisations. Most calls welcome everyone who lives or works in Valmora.": (
        "Katrā aicinājumā norādīts, kam tas paredzēts: iedzīvotājiem, uzņēmumiem, pašvaldības "
        "darbiniekiem vai bezpeļņas organizācijām. Lielākajā daļā aicinājumu gaidīts ikviens, "
        "kas dzīvo vai strādā Valmorā."
    ),
    "Can other cities reuse what we build?": "Vai citas pilsētas var izmantot to, ko mēs radām?",
    "Yes. Guides, templates, software and data are published as reusable assets with an open "
    "licence wherever the law allows.": (
        "Jā. Vadlīnijas, veidnes, programmatūru un datus publicējam kā atkārtoti izmantojamus "
        "resursus ar atvērtu licenci visur, kur to atļauj likums."
    ),
    "City of Valmora": "Valmoras pašvaldība",
    "Piazza del Municipio 1, Valmora<br/>Monday to Friday, 9:00–13:00": (
        "Piazza del Municipio 1, Valmora<br/>No pirmdienas līdz piektdienai 9.00–13.00"
    ),
    # Accessibility statement
    "Accessibility statement": "Paziņojums par piekļūstamību",
    "The City of Valmora wants everyone to be able to use this website, including people who "
    "use a screen reader, a keyboard or magnification.": (
        "Valmoras pašvaldība vēlas, lai šo tīmekļvietni varētu izmantot ikviens, arī cilvēki, "
        "kas lieto ekrāna lasītāju, tastatūru vai palielinājumu."
    ),
    "Compliance status": "Atbilstības statuss",
    "This website aims to conform with the Web Content Accessibility Guidelines (WCAG) 2.1 at "
    "level AA, as required by Directive (EU) 2016/2102. Pages work without JavaScript and "
    "follow a logical heading order.": (
        "Šī tīmekļvietne tiecas atbilst Tīmekļa satura piekļūstamības vadlīniju (WCAG) 2.1 AA "
        "līmenim, kā to prasa Direktīva (ES) 2016/2102. Lapas darbojas bez JavaScript, un to "
        "virsraksti ir loģiskā secībā."
    ),
    "Known limitations": "Zināmie ierobežojumi",
    "Some documents attached to reusable assets were produced by other administrations and may "
    "not be fully accessible.": (
        "Dažus atkārtoti izmantojamiem resursiem pievienotos dokumentus ir sagatavojušas citas "
        "iestādes, un tie var nebūt pilnībā piekļūstami."
    ),
    "Data tables in older stories may lack a caption.": (
        "Datu tabulām vecākos stāstos var trūkt paraksta."
    ),
    "Feedback and contact": "Atsauksmes un saziņa",
    "If you find a problem or need content in another format, write to "
    "accessibility@valmora.example. We reply within ten working days.": (
        "Ja pamanāt kādu problēmu vai jums saturs vajadzīgs citā formātā, rakstiet uz "
        "accessibility@valmora.example. Mēs atbildam desmit darba dienu laikā."
    ),
}

TRANSLATIONS = {"es": ES, "it": IT, "lv": LV}
