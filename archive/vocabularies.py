"""Controlled vocabularies the curator workspace offers: places, content warnings, rights.

Events and subjects are vocabularies held in the database (archive.models.Event, Subject); the
ones here are fixed lists. Countries are ISO 3166-1 alpha-2 (from Debian's iso-codes), plus the
user-assigned codes XA-XZ that the synthetic demo content uses for fictional places.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

COUNTRIES: tuple[tuple[str, str], ...] = (
    ("AD", "Andorra"), ("AE", "United Arab Emirates"), ("AF", "Afghanistan"),
    ("AG", "Antigua and Barbuda"), ("AI", "Anguilla"), ("AL", "Albania"), ("AM", "Armenia"),
    ("AO", "Angola"), ("AQ", "Antarctica"), ("AR", "Argentina"), ("AS", "American Samoa"),
    ("AT", "Austria"), ("AU", "Australia"), ("AW", "Aruba"), ("AX", "Åland Islands"), ("AZ", "Azerbaijan"),
    ("BA", "Bosnia and Herzegovina"), ("BB", "Barbados"), ("BD", "Bangladesh"), ("BE", "Belgium"),
    ("BF", "Burkina Faso"), ("BG", "Bulgaria"), ("BH", "Bahrain"), ("BI", "Burundi"), ("BJ", "Benin"),
    ("BL", "Saint Barthélemy"), ("BM", "Bermuda"), ("BN", "Brunei Darussalam"), ("BO", "Bolivia"),
    ("BQ", "Bonaire, Sint Eustatius and Saba"), ("BR", "Brazil"), ("BS", "Bahamas"), ("BT", "Bhutan"),
    ("BV", "Bouvet Island"), ("BW", "Botswana"), ("BY", "Belarus"), ("BZ", "Belize"), ("CA", "Canada"),
    ("CC", "Cocos (Keeling) Islands"), ("CD", "Congo, The Democratic Republic of the"),
    ("CF", "Central African Republic"), ("CG", "Congo"), ("CH", "Switzerland"), ("CI", "Côte d'Ivoire"),
    ("CK", "Cook Islands"), ("CL", "Chile"), ("CM", "Cameroon"), ("CN", "China"), ("CO", "Colombia"),
    ("CR", "Costa Rica"), ("CU", "Cuba"), ("CV", "Cabo Verde"), ("CW", "Curaçao"),
    ("CX", "Christmas Island"), ("CY", "Cyprus"), ("CZ", "Czechia"), ("DE", "Germany"), ("DJ", "Djibouti"),
    ("DK", "Denmark"), ("DM", "Dominica"), ("DO", "Dominican Republic"), ("DZ", "Algeria"),
    ("EC", "Ecuador"), ("EE", "Estonia"), ("EG", "Egypt"), ("EH", "Western Sahara"), ("ER", "Eritrea"),
    ("ES", "Spain"), ("ET", "Ethiopia"), ("FI", "Finland"), ("FJ", "Fiji"),
    ("FK", "Falkland Islands (Malvinas)"), ("FM", "Micronesia, Federated States of"),
    ("FO", "Faroe Islands"), ("FR", "France"), ("GA", "Gabon"), ("GB", "United Kingdom"),
    ("GD", "Grenada"), ("GE", "Georgia"), ("GF", "French Guiana"), ("GG", "Guernsey"), ("GH", "Ghana"),
    ("GI", "Gibraltar"), ("GL", "Greenland"), ("GM", "Gambia"), ("GN", "Guinea"), ("GP", "Guadeloupe"),
    ("GQ", "Equatorial Guinea"), ("GR", "Greece"), ("GS", "South Georgia and the South Sandwich Islands"),
    ("GT", "Guatemala"), ("GU", "Guam"), ("GW", "Guinea-Bissau"), ("GY", "Guyana"), ("HK", "Hong Kong"),
    ("HM", "Heard Island and McDonald Islands"), ("HN", "Honduras"), ("HR", "Croatia"), ("HT", "Haiti"),
    ("HU", "Hungary"), ("ID", "Indonesia"), ("IE", "Ireland"), ("IL", "Israel"), ("IM", "Isle of Man"),
    ("IN", "India"), ("IO", "British Indian Ocean Territory"), ("IQ", "Iraq"), ("IR", "Iran"),
    ("IS", "Iceland"), ("IT", "Italy"), ("JE", "Jersey"), ("JM", "Jamaica"), ("JO", "Jordan"),
    ("JP", "Japan"), ("KE", "Kenya"), ("KG", "Kyrgyzstan"), ("KH", "Cambodia"), ("KI", "Kiribati"),
    ("KM", "Comoros"), ("KN", "Saint Kitts and Nevis"), ("KP", "North Korea"), ("KR", "South Korea"),
    ("KW", "Kuwait"), ("KY", "Cayman Islands"), ("KZ", "Kazakhstan"), ("LA", "Laos"), ("LB", "Lebanon"),
    ("LC", "Saint Lucia"), ("LI", "Liechtenstein"), ("LK", "Sri Lanka"), ("LR", "Liberia"),
    ("LS", "Lesotho"), ("LT", "Lithuania"), ("LU", "Luxembourg"), ("LV", "Latvia"), ("LY", "Libya"),
    ("MA", "Morocco"), ("MC", "Monaco"), ("MD", "Moldova"), ("ME", "Montenegro"),
    ("MF", "Saint Martin (French part)"), ("MG", "Madagascar"), ("MH", "Marshall Islands"),
    ("MK", "North Macedonia"), ("ML", "Mali"), ("MM", "Myanmar"), ("MN", "Mongolia"), ("MO", "Macao"),
    ("MP", "Northern Mariana Islands"), ("MQ", "Martinique"), ("MR", "Mauritania"), ("MS", "Montserrat"),
    ("MT", "Malta"), ("MU", "Mauritius"), ("MV", "Maldives"), ("MW", "Malawi"), ("MX", "Mexico"),
    ("MY", "Malaysia"), ("MZ", "Mozambique"), ("NA", "Namibia"), ("NC", "New Caledonia"), ("NE", "Niger"),
    ("NF", "Norfolk Island"), ("NG", "Nigeria"), ("NI", "Nicaragua"), ("NL", "Netherlands"),
    ("NO", "Norway"), ("NP", "Nepal"), ("NR", "Nauru"), ("NU", "Niue"), ("NZ", "New Zealand"),
    ("OM", "Oman"), ("PA", "Panama"), ("PE", "Peru"), ("PF", "French Polynesia"),
    ("PG", "Papua New Guinea"), ("PH", "Philippines"), ("PK", "Pakistan"), ("PL", "Poland"),
    ("PM", "Saint Pierre and Miquelon"), ("PN", "Pitcairn"), ("PR", "Puerto Rico"),
    ("PS", "Palestine, State of"), ("PT", "Portugal"), ("PW", "Palau"), ("PY", "Paraguay"),
    ("QA", "Qatar"), ("RE", "Réunion"), ("RO", "Romania"), ("RS", "Serbia"), ("RU", "Russian Federation"),
    ("RW", "Rwanda"), ("SA", "Saudi Arabia"), ("SB", "Solomon Islands"), ("SC", "Seychelles"),
    ("SD", "Sudan"), ("SE", "Sweden"), ("SG", "Singapore"),
    ("SH", "Saint Helena, Ascension and Tristan da Cunha"), ("SI", "Slovenia"),
    ("SJ", "Svalbard and Jan Mayen"), ("SK", "Slovakia"), ("SL", "Sierra Leone"), ("SM", "San Marino"),
    ("SN", "Senegal"), ("SO", "Somalia"), ("SR", "Suriname"), ("SS", "South Sudan"),
    ("ST", "Sao Tome and Principe"), ("SV", "El Salvador"), ("SX", "Sint Maarten (Dutch part)"),
    ("SY", "Syria"), ("SZ", "Eswatini"), ("TC", "Turks and Caicos Islands"), ("TD", "Chad"),
    ("TF", "French Southern Territories"), ("TG", "Togo"), ("TH", "Thailand"), ("TJ", "Tajikistan"),
    ("TK", "Tokelau"), ("TL", "Timor-Leste"), ("TM", "Turkmenistan"), ("TN", "Tunisia"), ("TO", "Tonga"),
    ("TR", "Türkiye"), ("TT", "Trinidad and Tobago"), ("TV", "Tuvalu"), ("TW", "Taiwan"),
    ("TZ", "Tanzania"), ("UA", "Ukraine"), ("UG", "Uganda"),
    ("UM", "United States Minor Outlying Islands"), ("US", "United States"), ("UY", "Uruguay"),
    ("UZ", "Uzbekistan"), ("VA", "Holy See (Vatican City State)"),
    ("VC", "Saint Vincent and the Grenadines"), ("VE", "Venezuela"), ("VG", "Virgin Islands, British"),
    ("VI", "Virgin Islands, U.S."), ("VN", "Vietnam"), ("VU", "Vanuatu"), ("WF", "Wallis and Futuna"),
    ("WS", "Samoa"), ("YE", "Yemen"), ("YT", "Mayotte"), ("ZA", "South Africa"), ("ZM", "Zambia"),
    ("ZW", "Zimbabwe"),
)

# ISO 3166 reserves XA-XZ for user assignment: the demo's fictional places use them.
FICTIONAL_COUNTRIES: tuple[tuple[str, str], ...] = tuple(
    (f"X{letter}", f"Fictional place X{letter} (demo)") for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
)


def country_choices() -> list[tuple[str, str]]:
    return [("", _("Unknown")), *COUNTRIES, *FICTIONAL_COUNTRIES]


# Content warnings: short keys stored on Item.content_warnings, labels shown to curators and visitors.
CONTENT_WARNINGS: tuple[tuple[str, object], ...] = (
    ("violence", _("Violence")),
    ("injury", _("Injury or wounds")),
    ("death", _("Death")),
    ("human_remains", _("Human remains")),
    ("weapons", _("Weapons")),
    ("explosion", _("Explosions or fire")),
    ("children", _("Harm to children")),
    ("grief", _("Grief and loss")),
    ("sound", _("Distressing sounds")),
)

# Rights statements (rightsstatements.org) and Creative Commons licences, as the URIs IIIF's
# `rights` property accepts.
RIGHTS_STATEMENTS: tuple[tuple[str, object], ...] = (
    ("http://rightsstatements.org/vocab/InC/1.0/", _("In Copyright")),
    ("http://rightsstatements.org/vocab/InC-EDU/1.0/", _("In Copyright - Educational Use Permitted")),
    ("http://rightsstatements.org/vocab/InC-NC/1.0/", _("In Copyright - Non-Commercial Use Permitted")),
    ("http://rightsstatements.org/vocab/InC-RUU/1.0/", _("In Copyright - Rights-holder(s) Unlocatable")),
    ("http://rightsstatements.org/vocab/NoC-NC/1.0/", _("No Copyright - Non-Commercial Use Only")),
    ("http://rightsstatements.org/vocab/NoC-OKLR/1.0/", _("No Copyright - Other Known Legal Restrictions")),
    ("http://rightsstatements.org/vocab/NoC-US/1.0/", _("No Copyright - United States")),
    ("http://rightsstatements.org/vocab/CNE/1.0/", _("Copyright Not Evaluated")),
    ("http://rightsstatements.org/vocab/UND/1.0/", _("Copyright Undetermined")),
    ("http://rightsstatements.org/vocab/NKC/1.0/", _("No Known Copyright")),
    ("http://creativecommons.org/licenses/by/4.0/", _("Creative Commons Attribution 4.0")),
    ("http://creativecommons.org/licenses/by-sa/4.0/", _("Creative Commons Attribution-ShareAlike 4.0")),
    ("http://creativecommons.org/licenses/by-nc/4.0/", _("Creative Commons Attribution-NonCommercial 4.0")),
    ("http://creativecommons.org/licenses/by-nc-nd/4.0/",
     _("Creative Commons Attribution-NonCommercial-NoDerivatives 4.0")),
    ("http://creativecommons.org/licenses/by-nd/4.0/", _("Creative Commons Attribution-NoDerivatives 4.0")),
    ("http://creativecommons.org/publicdomain/zero/1.0/", _("CC0 1.0 Public Domain Dedication")),
    ("http://creativecommons.org/publicdomain/mark/1.0/", _("Public Domain Mark 1.0")),
)

# The languages content is described in (the site's six, in the order the curator edits them).
CONTENT_LANGUAGES: tuple[tuple[str, object], ...] = (
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("zh-hans", _("Chinese")),
)
# Scripts written right to left (content may be in more languages than the six of the interface).
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


def translation_status(value: dict, lang: str, original: str) -> str:
    """'original', 'translated' or 'missing' for one language of a language map."""
    if not (value or {}).get(lang, "").strip():
        return "missing"
    return "original" if lang == original else "translated"
