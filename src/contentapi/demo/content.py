"""Demo content in Bokmål (nb) and Nynorsk (nn): pure data plus one generator.

SEED is KMD's news article about the innovation prize to Træna kommune (8 June 2018),
taken from shared/seed/innovasjonspris-traena-2018.nb.txt. The Nynorsk text is a
translation of it, not part of the source. `generated_articles()` adds about 50 short,
fictional municipal news items, built deterministically from the topic texts below.

Edits to the seed text (typos and punctuation, not content):
- "innovasjonskuktur" -> "innovasjonskultur", "går forann" -> "går foran",
  "ønsker myndighetene og anerkjenne" -> "å anerkjenne",
  "Aase Marth Horrigmo" -> "Aase Marthe Horrigmo", "tenk Træna" -> "Tenk Træna",
  "Statssekretær"/"Ordfører" in the caption in lower case, "ass.rådmann" -> "ass. rådmann".
- "500.000 kroner" -> "500 000 kroner" (Norwegian digit grouping uses a space).
- "sammen med de som" -> "sammen med dem som" (object form); comma added after
  "lokalsamfunnet" before the verb; "tre Fer; Forankring, ..." -> "tre F-er – forankring,
  ... –"; "lyktes" -> "lykkes" where the sentence is in the present tense (Sarpsborg, Sola).
- The jury quotes use « », with an opening « on each new paragraph of a multi-paragraph
  quote, and " " for titles inside a quote; the quote after "at" starts in lower case.
  The seed's stray closing mark after "gjennomført." is moved to the end of the Sarpsborg
  quote, whose last paragraph ("... innovasjonsarbeidet sitt!") is also the jury's.
- Page furniture ("Publisert:", "Deldette", "Kontakt", "Foto: Difi", "Filmklipp om ...")
  is left out: it becomes images, videos and UI strings. The seed's last clip title was
  already in Nynorsk on the Bokmål page; its nb title here is "... de nominerte kommunene".
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class Text:
    """One text in both written standards."""

    nb: str
    nn: str


@dataclass(frozen=True)
class DemoImage:
    key: str  # stable id; also used as file name stem
    role: str  # "lead" | "inline" | "gallery"
    credit: str
    alt: Text
    caption: Text | None
    colour: tuple[int, int, int]  # background colour for a generated placeholder picture


@dataclass(frozen=True)
class DemoVideo:
    key: str
    url: str
    title: Text
    caption: Text | None
    credit: str | None
    duration_seconds: int | None
    # WebVTT cues (start, end, text in both standards): a caption file per locale
    captions: tuple[tuple[str, str, Text], ...] = ()


@dataclass(frozen=True)
class DemoComment:
    locale: str  # "nb" or "nn"
    author_name: str
    email: str
    body: str  # plain text
    status: str  # "APPROVED" | "PENDING" | "REJECTED" | "SPAM"
    minutes_after_publish: int


@dataclass(frozen=True)
class DemoAuthor:
    name: str  # the same in every locale
    role: Text | None


@dataclass(frozen=True)
class DemoByline:
    authors: tuple[DemoAuthor, ...]
    unit: Text  # the publishing unit's name


@dataclass(frozen=True)
class DemoArticle:
    key: str
    title: dict[str, str]  # locale -> title; the locales present are the translations
    lead: dict[str, str]
    body: dict[str, str]  # locale -> HTML
    slug: dict[str, str]  # locale -> slug
    published_at: str  # ISO 8601 with offset
    updated_at: str
    tags: tuple[str, ...]  # keys of TAGS
    images: tuple[DemoImage, ...]
    videos: tuple[DemoVideo, ...]
    comments: tuple[DemoComment, ...]
    byline: DemoByline | None = None


TAGS: dict[str, Text] = {
    "innovasjon": Text("Innovasjon", "Innovasjon"),
    "kommuner": Text("Kommuner", "Kommunar"),
    "priser": Text("Priser", "Prisar"),
    "digitalisering": Text("Digitalisering", "Digitalisering"),
    "klima": Text("Klima og miljø", "Klima og miljø"),
    "helse": Text("Helse og omsorg", "Helse og omsorg"),
    "skole": Text("Skole og barnehage", "Skule og barnehage"),
    "samferdsel": Text("Samferdsel", "Samferdsel"),
    "kultur": Text("Kultur", "Kultur"),
    "bolig": Text("Bolig", "Bustad"),
    "beredskap": Text("Samfunnssikkerhet og beredskap", "Samfunnstryggleik og beredskap"),
    "naeringsliv": Text("Næringsliv", "Næringsliv"),
    "frivillighet": Text("Frivillighet", "Frivilligheit"),
    "sprak": Text("Språk", "Språk"),
}

# --- The seed article -------------------------------------------------------------------

_SEED_BODY_NB = (
    "<p>Kommunal- og moderniseringsdepartementets (KMD) innovasjonspris på 500 000 kroner"
    " ble utdelt av statssekretær Aase Marthe Horrigmo og juryleder Katinka Greve Leiner på"
    " Fremtidens kommuner 2018, fredag 8. juni. Gjennom innovasjonsprisen ønsker"
    " myndighetene å anerkjenne de kommunene som går foran. Hele 20 kommuner med 48"
    " innovasjonsprosjekter søkte om årets pris.</p>"
    "<h2>Kultur for å tenke nytt og offensivt innovasjonsarbeid med gode resultater</h2>"
    "<p>KMDs innovasjonspris går til Træna kommune for deres samskapingsperspektiv, tydelige"
    " innovasjonskultur og gode resultater. Juryen løftet frem utviklingsprosjektet Tenk"
    " Træna og deres evne til å virkeliggjøre skaperkraften og innovasjonspotensialet som"
    " bor i innbyggerne.</p>"
    "<p>Juryen kunne fortelle at «Træna kommune har kultur for å tenke nytt, og de er svært"
    " offensive i sitt innovasjonsarbeid. Træna er en av Norges minste kommuner med sine 460"
    " innbyggere, og består av et åpent og allsidig folk. Dette har Træna kommune bevisst"
    " gjort til sin styrke, og juryen ser at dette har gitt resultater.</p>"
    "<p>«Samskaping sitter i ryggmargen til både kommune og innbyggere. Utviklingsprosjektet"
    " Tenk Træna er et godt eksempel på hvordan kommunen arbeider med å involvere både"
    " næringsliv, lokalsamfunn og viktige aktører i samfunnet. Ved å trekke på de ressursene"
    " som sitter i lokalsamfunnet, lyktes kommunen med å forstå hva det egentlige behovet"
    " deres er og å utvikle gode løsninger sammen med dem som kommunen er til for.»</p>"
    "<h2>Sterke finalister med Sarpsborg og Sola kommune</h2>"
    "<p>Træna hadde sterk konkurranse fra Sarpsborg og Sola kommune.</p>"
    "<p>Juryen skrøt av Sarpsborg kommune og deres innovasjonsprogram «Sammen skaper vi"
    " Sarpsborg». Dette mente juryen gav et godt bilde av hvordan Sarpsborg kommune arbeider"
    " med innovasjon.</p>"
    '<p>Videre fortalte juryen at «Sarpsborg har med prosjektet "Rating av kommunens'
    ' tjenester" og "Drømmeboksen" gjort alvor av behovet for innbyggerdialog. Det er modig'
    " av Sarpsborg kommune å lage en tjeneste der innbyggerne selv kan anmelde tjenester som"
    " sykehjem, bibliotek og svømmehall. Med sin boligsatsing har Sarpsborg kommune gjort noe"
    " helt unikt. Fra å ha 186 bostedsløse i 2015 har kommunen i dag ingen personer på"
    " venteliste for bolig. Juryen mener at Sarpsborg kommune er blant de beste i Norge på"
    " boligsosial satsing og at arbeidet er svært godt gjennomført.</p>"
    "<p>«Sarpsborg kommune satser på innbyggerinvolvering og er ikke redde for å gå nye"
    " veier med hvordan de inkluderer innbyggerne. Sarpsborg tenker bredt, viser mot og"
    " lykkes med innovasjonsarbeidet sitt!»</p>"
    "<p>Juryen berømmer Sola kommune for hvordan de har møtt de utfordringene kommunen har"
    " stått overfor i en stadig mer krevende økonomisk situasjon. Sola kommune fikk skryt for"
    " at de har valgt å inkludere innbyggerne slik at de sammen utvikler bedre tjenester til"
    " tross for en stadig strammere økonomi. Med utgangspunkt i sine tre F-er – forankring,"
    " fornying og forbedring – har Sola kommune klart å skape en innovasjonskultur som gir"
    " resultater.</p>"
    "<p>Videre fortalte juryen at «innovasjonsarbeidet i Sola kommune har gitt bedre"
    " tjenester, mer fornøyde brukere og styrket motivasjon hos de ansatte. Sola kommune"
    " tenker innovasjon bredt og helhetlig over flere sektorer, og at de lykkes med arbeidet"
    " sitt som gir stadig bedre tjenester til innbyggerne.»</p>"
)

_SEED_BODY_NN = (
    "<p>Innovasjonsprisen frå Kommunal- og moderniseringsdepartementet (KMD) på 500 000"
    " kroner vart delt ut av statssekretær Aase Marthe Horrigmo og juryleiar Katinka Greve"
    " Leiner på Fremtidens kommuner 2018, fredag 8. juni. Gjennom innovasjonsprisen ønskjer"
    " styresmaktene å gi anerkjenning til dei kommunane som går føre. Heile 20 kommunar med"
    " 48 innovasjonsprosjekt søkte om prisen i år.</p>"
    "<h2>Kultur for å tenkje nytt og offensivt innovasjonsarbeid med gode resultat</h2>"
    "<p>Innovasjonsprisen frå KMD går til Træna kommune for samskapingsperspektivet, den"
    " tydelege innovasjonskulturen og dei gode resultata deira. Juryen trekte fram"
    " utviklingsprosjektet Tenk Træna og evna kommunen har til å realisere skaparkrafta og"
    " innovasjonspotensialet som bur i innbyggjarane.</p>"
    "<p>Juryen kunne fortelje at «Træna kommune har kultur for å tenkje nytt, og dei er svært"
    " offensive i innovasjonsarbeidet sitt. Træna er ein av Noregs minste kommunar, med dei"
    " 460 innbyggjarane sine, og folket der er ope og allsidig. Dette har Træna kommune medvite"
    " gjort til styrken sin, og juryen ser at dette har gitt resultat.</p>"
    "<p>«Samskaping sit i ryggmergen til både kommunen og innbyggjarane. Utviklingsprosjektet"
    " Tenk Træna er eit godt døme på korleis kommunen arbeider med å involvere både"
    " næringslivet, lokalsamfunnet og viktige aktørar i samfunnet. Ved å trekkje på dei"
    " ressursane som finst i lokalsamfunnet, lukkast kommunen med å forstå kva det eigentlege"
    " behovet deira er, og med å utvikle gode løysingar saman med dei som kommunen er til"
    " for.»</p>"
    "<h2>Sterke finalistar med Sarpsborg og Sola kommune</h2>"
    "<p>Træna hadde sterk konkurranse frå Sarpsborg og Sola kommune.</p>"
    "<p>Juryen rosa Sarpsborg kommune og innovasjonsprogrammet deira «Sammen skaper vi"
    " Sarpsborg». Dette meinte juryen gav eit godt bilete av korleis Sarpsborg kommune"
    " arbeider med innovasjon.</p>"
    '<p>Vidare fortalde juryen at «Sarpsborg har med prosjekta "Rating av kommunens'
    ' tjenester" og "Drømmeboksen" gjort alvor av behovet for innbyggjardialog. Det er modig'
    " av Sarpsborg kommune å lage ei teneste der innbyggjarane sjølve kan vurdere tenester"
    " som sjukeheim, bibliotek og symjehall. Med bustadsatsinga si har Sarpsborg kommune"
    " gjort noko heilt unikt. Frå å ha 186 bustadlause i 2015 har kommunen i dag ingen"
    " personar på venteliste for bustad. Juryen meiner at Sarpsborg kommune er blant dei"
    " beste i Noreg på bustadsosial satsing og at arbeidet er svært godt gjennomført.</p>"
    "<p>«Sarpsborg kommune satsar på innbyggjarinvolvering og er ikkje redde for å gå nye"
    " vegar i korleis dei inkluderer innbyggjarane. Sarpsborg tenkjer breitt, viser mot og"
    " lukkast med innovasjonsarbeidet sitt!»</p>"
    "<p>Juryen rosar Sola kommune for korleis dei har møtt utfordringane kommunen har stått"
    " overfor i ein stadig meir krevjande økonomisk situasjon. Sola kommune fekk skryt for at"
    " dei har valt å inkludere innbyggjarane, slik at dei saman utviklar betre tenester trass"
    " i ein stadig strammare økonomi. Med utgangspunkt i dei tre F-ane sine – forankring,"
    " fornying og forbetring – har Sola kommune klart å skape ein innovasjonskultur som gir"
    " resultat.</p>"
    "<p>Vidare fortalde juryen at «innovasjonsarbeidet i Sola kommune har gitt betre"
    " tenester, meir nøgde brukarar og styrkt motivasjon hos dei tilsette. Sola kommune"
    " tenkjer innovasjon breitt og heilskapleg over fleire sektorar, og dei lukkast med"
    " arbeidet sitt, som gir stadig betre tenester til innbyggjarane.»</p>"
)

_CLIPS = "https://media.example.org/kmd/innovasjonspris-2018"

SEED = DemoArticle(
    key="innovasjonspris-traena-2018",
    title={
        "nb": "Innovasjonspris til Træna kommune",
        "nn": "Innovasjonspris til Træna kommune",
    },
    lead={
        "nb": "KMDs innovasjonspris 2018 gikk til Træna kommune for deres"
        " samskapingsperspektiv, innovasjonskultur og gode resultater. Sarpsborg og Sola"
        " kommune var sterke finalister til prisen og mottok heder og ære fra jury og"
        " statssekretær Aase Marthe Horrigmo.",
        "nn": "Innovasjonsprisen frå KMD for 2018 gjekk til Træna kommune for"
        " samskapingsperspektivet, innovasjonskulturen og dei gode resultata deira. Sarpsborg"
        " og Sola kommune var sterke finalistar til prisen og fekk heider og ære frå juryen og"
        " statssekretær Aase Marthe Horrigmo.",
    },
    body={"nb": _SEED_BODY_NB, "nn": _SEED_BODY_NN},
    slug={
        "nb": "innovasjonspris-til-traena-kommune",
        "nn": "innovasjonspris-til-traena-kommune",
    },
    published_at="2018-06-08T10:00:00+02:00",
    updated_at="2019-03-04T09:30:00+01:00",
    tags=("innovasjon", "kommuner", "priser"),
    # the two who presented the prize, as the article names them; KMD publishes it
    byline=DemoByline(
        authors=(
            DemoAuthor("Aase Marthe Horrigmo", Text("statssekretær", "statssekretær")),
            DemoAuthor("Katinka Greve Leiner", Text("juryleder", "juryleiar")),
        ),
        unit=Text(
            "Kommunal- og moderniseringsdepartementet",
            "Kommunal- og moderniseringsdepartementet",
        ),
    ),
    images=(
        DemoImage(
            key="traena-prisutdeling",
            role="lead",
            credit="Foto: Difi",
            alt=Text(
                "Statssekretær Aase Marthe Horrigmo står på scenen sammen med fire"
                " representanter for Træna kommune under utdelingen av innovasjonsprisen.",
                "Statssekretær Aase Marthe Horrigmo står på scenen saman med fire"
                " representantar for Træna kommune under utdelinga av innovasjonsprisen.",
            ),
            caption=Text(
                "På bildet over ser vi (f.v.) statssekretær Aase Marthe Horrigmo,"
                " utviklingssjef Moa Björnson (Træna), ordfører Per Pedersen (Træna), rådmann"
                " Liv Hege Martinussen (Træna) og ass. rådmann Gunn Eliassen (Træna).",
                "På biletet over ser vi (f.v.) statssekretær Aase Marthe Horrigmo,"
                " utviklingssjef Moa Björnson (Træna), ordførar Per Pedersen (Træna), rådmann"
                " Liv Hege Martinussen (Træna) og ass. rådmann Gunn Eliassen (Træna).",
            ),
            colour=(31, 78, 121),
        ),
        DemoImage(
            key="sarpsborg-finalist",
            role="inline",
            credit="Foto: Difi",
            alt=Text(
                "Representanter for Sarpsborg kommune på scenen under prisutdelingen på"
                " Fremtidens kommuner 2018.",
                "Representantar for Sarpsborg kommune på scenen under prisutdelinga på"
                " Fremtidens kommuner 2018.",
            ),
            caption=Text(
                "Sarpsborg kommune var en av de to sterke finalistene.",
                "Sarpsborg kommune var ein av dei to sterke finalistane.",
            ),
            colour=(140, 54, 58),
        ),
        DemoImage(
            key="sola-finalist",
            role="inline",
            credit="Foto: Difi",
            alt=Text(
                "Representanter for Sola kommune på scenen under prisutdelingen på"
                " Fremtidens kommuner 2018.",
                "Representantar for Sola kommune på scenen under prisutdelinga på"
                " Fremtidens kommuner 2018.",
            ),
            caption=Text(
                "Sola kommune var en av de to sterke finalistene.",
                "Sola kommune var ein av dei to sterke finalistane.",
            ),
            colour=(46, 112, 84),
        ),
    ),
    videos=(
        DemoVideo(
            key="traena-filmklipp",
            url=f"{_CLIPS}/traena.mp4",
            title=Text(
                "Filmklipp om innovasjonsarbeidet i Træna kommune",
                "Filmklipp om innovasjonsarbeidet i Træna kommune",
            ),
            caption=Text(
                "Træna kommune forteller om utviklingsprosjektet Tenk Træna.",
                "Træna kommune fortel om utviklingsprosjektet Tenk Træna.",
            ),
            credit="Video: KMD",
            duration_seconds=154,
            captions=(
                (
                    "00:00.500",
                    "00:04.000",
                    Text(
                        "Velkommen til Træna, lengst ute i havet på Helgeland.",
                        "Velkomen til Træna, lengst ute i havet på Helgeland.",
                    ),
                ),
                (
                    "00:04.500",
                    "00:09.000",
                    Text(
                        "Med Tenk Træna vil vi gjøre det lettere å bo og arbeide her.",
                        "Med Tenk Træna vil vi gjere det lettare å bu og arbeide her.",
                    ),
                ),
                (
                    "00:09.500",
                    "00:14.000",
                    Text(
                        "Innbyggerne har vært med fra første dag.",
                        "Innbyggjarane har vore med frå første dag.",
                    ),
                ),
            ),
        ),
        DemoVideo(
            key="sarpsborg-filmklipp",
            url=f"{_CLIPS}/sarpsborg.mp4",
            title=Text(
                "Filmklipp om innovasjonsarbeidet i Sarpsborg kommune",
                "Filmklipp om innovasjonsarbeidet i Sarpsborg kommune",
            ),
            caption=Text(
                "Sarpsborg kommune forteller om innovasjonsprogrammet «Sammen skaper vi"
                " Sarpsborg».",
                "Sarpsborg kommune fortel om innovasjonsprogrammet «Sammen skaper vi Sarpsborg».",
            ),
            credit="Video: KMD",
            duration_seconds=128,
            captions=(
                (
                    "00:00.500",
                    "00:04.500",
                    Text(
                        "I Sarpsborg skaper vi nye løsninger sammen med innbyggerne.",
                        "I Sarpsborg skaper vi nye løysingar saman med innbyggjarane.",
                    ),
                ),
                (
                    "00:05.000",
                    "00:09.500",
                    Text(
                        "«Sammen skaper vi Sarpsborg» er navnet på innovasjonsprogrammet vårt.",
                        "«Sammen skaper vi Sarpsborg» er namnet på innovasjonsprogrammet vårt.",
                    ),
                ),
                (
                    "00:10.000",
                    "00:13.500",
                    Text(
                        "Alle ansatte kan komme med ideer.",
                        "Alle tilsette kan kome med idear.",
                    ),
                ),
            ),
        ),
        DemoVideo(
            key="sola-filmklipp",
            url=f"{_CLIPS}/sola.mp4",
            title=Text(
                "Filmklipp om innovasjonsarbeidet i Sola kommune",
                "Filmklipp om innovasjonsarbeidet i Sola kommune",
            ),
            caption=Text(
                "Sola kommune forteller om arbeidet med forankring, fornying og forbedring.",
                "Sola kommune fortel om arbeidet med forankring, fornying og forbetring.",
            ),
            credit="Video: KMD",
            duration_seconds=117,
            captions=(
                (
                    "00:00.500",
                    "00:05.000",
                    Text(
                        "I Sola har vi jobbet med forankring, fornying og forbedring.",
                        "I Sola har vi arbeidd med forankring, fornying og forbetring.",
                    ),
                ),
                (
                    "00:05.500",
                    "00:09.000",
                    Text(
                        "Ledelsen og de ansatte må dra i samme retning.",
                        "Leiinga og dei tilsette må dra i same retning.",
                    ),
                ),
                (
                    "00:09.500",
                    "00:13.000",
                    Text(
                        "Da blir tjenestene bedre for innbyggerne.",
                        "Då blir tenestene betre for innbyggjarane.",
                    ),
                ),
            ),
        ),
        DemoVideo(
            key="nominerte-filmklipp",
            url=f"{_CLIPS}/nominerte.mp4",
            title=Text(
                "Filmklipp om de nominerte kommunene",
                "Filmklipp om dei nominerte kommunane",
            ),
            caption=Text(
                "Et blikk på de tre nominerte kommunene Træna, Sarpsborg og Sola.",
                "Eit blikk på dei tre nominerte kommunane Træna, Sarpsborg og Sola.",
            ),
            credit="Video: KMD",
            duration_seconds=212,
            captions=(
                (
                    "00:00.500",
                    "00:04.500",
                    Text(
                        "Tre kommuner er nominert til innovasjonsprisen for 2018.",
                        "Tre kommunar er nominerte til innovasjonsprisen for 2018.",
                    ),
                ),
                (
                    "00:05.000",
                    "00:10.000",
                    Text(
                        "Træna, Sarpsborg og Sola viser at små og store kommuner kan fornye seg.",
                        "Træna, Sarpsborg og Sola viser at små og store kommunar kan fornye seg.",
                    ),
                ),
                (
                    "00:10.500",
                    "00:14.000",
                    Text(
                        "Vinneren blir kunngjort under prisutdelingen.",
                        "Vinnaren blir kunngjord under prisutdelinga.",
                    ),
                ),
            ),
        ),
    ),
    comments=(
        DemoComment(
            "nb",
            "Hanne Mikkelsen",
            "hanne.mikkelsen@example.org",
            "Gratulerer til Træna! Flott å se at også de minste kommunene viser vei når"
            " innbyggerne blir tatt med på råd.",
            "APPROVED",
            95,
        ),
        DemoComment(
            "nn",
            "Sigrid Haugland",
            "sigrid.haugland@example.org",
            "Til lukke, Træna! Det er kjekt å sjå at ein liten øykommune kan gå føre og vise"
            " veg for oss andre.",
            "APPROVED",
            180,
        ),
        DemoComment(
            "nb",
            "Tor Arne Lien",
            "tor.arne.lien@example.org",
            "Spennende å lese om boligsatsingen i Sarpsborg. Finnes det en rapport om hvordan"
            " de fikk ned antallet bostedsløse?",
            "APPROVED",
            320,
        ),
        DemoComment(
            "nn",
            "Oddvar Nesheim",
            "oddvar.nesheim@example.org",
            "Eg har følgt Tenk Træna sidan starten, og prisen er vel fortent. Godt at juryen"
            " òg trekte fram Sarpsborg og Sola.",
            "APPROVED",
            1440,
        ),
        DemoComment(
            "nb",
            "Marit Kvalvik",
            "marit.kvalvik@example.org",
            "Kommer filmklippene med teksting? Det hadde vært fint for oss som ikke hører så godt.",
            "PENDING",
            2900,
        ),
        DemoComment(
            "nn",
            "Ivar Brekke",
            "ivar.brekke@example.org",
            "Kvar kan ein lese heile grunngivinga frå juryen? Eg finn ho ikkje på nettsidene"
            " til departementet.",
            "PENDING",
            4300,
        ),
        DemoComment(
            "nb",
            "Billige lån nå",
            "tilbud@example.org",
            "Tjen penger raskt hjemmefra! Besøk nettsiden vår i dag for et eksklusivt tilbud.",
            "SPAM",
            60,
        ),
    ),
)

# --- Generated articles -----------------------------------------------------------------
# Placeholders: {k} municipality name (always followed by "kommune" or standing alone, so
# no place-name preposition is needed), {n} 3–12 in words (see in_words), {m} 20–95,
# {p} 35–64. A quotation ("– Vi har ..., sier ...") is a paragraph of its own.

# Numbers below 13 are written in words in running text; from 2 to 12 the words are the
# same in Bokmål and Nynorsk ("sju" in both).
_NUMBER_WORDS = ("to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "ti", "elleve", "tolv")


def in_words(number: int) -> str:
    """2 to 12 as a word ("sju"), other numbers as digits (1 needs a gender: en, ei, ett)."""
    return _NUMBER_WORDS[number - 2] if 2 <= number <= 12 else str(number)


@dataclass(frozen=True)
class _Topic:
    key: str
    tags: tuple[str, ...]
    title: Text
    lead: Text
    paragraphs: tuple[Text, ...]
    alt: Text


_TOPICS: tuple[_Topic, ...] = (
    _Topic(
        "innbyggerportal",
        ("digitalisering", "kommuner"),
        Text(
            "{k} kommune lanserer ny digital innbyggerportal",
            "{k} kommune lanserer ny digital innbyggjarportal",
        ),
        Text(
            "Nå kan innbyggerne søke om tjenester, følge saken sin og få svar fra kommunen"
            " på ett sted.",
            "No kan innbyggjarane søkje om tenester, følgje saka si og få svar frå kommunen"
            " på éin stad.",
        ),
        (
            Text(
                "Den nye portalen samler {n} av kommunens mest brukte tjenester, blant annet"
                " søknad om barnehageplass, byggesaker og kommunale avgifter.",
                "Den nye portalen samlar {n} av dei mest brukte tenestene til kommunen,"
                " mellom anna søknad om barnehageplass, byggjesaker og kommunale avgifter.",
            ),
            Text(
                "Portalen er utviklet sammen med innbyggere som testet løsningen underveis.",
                "Portalen er utvikla saman med innbyggjarar som testa løysinga undervegs.",
            ),
            Text(
                "– Vi har fjernet mange unødvendige skjemaer, og teksten er skrevet om slik"
                " at den er lettere å forstå, sier prosjektlederen.",
                "– Vi har fjerna mange unødvendige skjema, og teksten er skriven om slik at"
                " han er lettare å forstå, seier prosjektleiaren.",
            ),
            Text(
                "De som ikke bruker digitale tjenester, kan fortsatt få hjelp på"
                " servicetorget i rådhuset.",
                "Dei som ikkje brukar digitale tenester, kan framleis få hjelp på"
                " servicetorget i rådhuset.",
            ),
        ),
        Text(
            "En innbygger bruker den nye innbyggerportalen på mobiltelefonen.",
            "Ein innbyggjar brukar den nye innbyggjarportalen på mobiltelefonen.",
        ),
    ),
    _Topic(
        "klimabudsjett",
        ("klima", "kommuner"),
        Text(
            "{k} kommune vedtar sitt første klimabudsjett",
            "{k} kommune vedtek det første klimabudsjettet sitt",
        ),
        Text(
            "Klimabudsjettet viser hvor mye utslippene skal ned hvert år og hvem i kommunen"
            " som har ansvaret for tiltakene.",
            "Klimabudsjettet viser kor mykje utsleppa skal ned kvart år og kven i kommunen"
            " som har ansvaret for tiltaka.",
        ),
        (
            Text(
                "Kommunestyret vedtok klimabudsjettet sammen med økonomiplanen. Målet er å"
                " kutte de direkte utslippene i kommunen med {p} prosent innen 2030.",
                "Kommunestyret vedtok klimabudsjettet saman med økonomiplanen. Målet er å"
                " kutte dei direkte utsleppa i kommunen med {p} prosent innan 2030.",
            ),
            Text(
                "De største tiltakene gjelder transport og oppvarming av kommunale bygg. Alle"
                " nye tjenestebiler skal være utslippsfrie, og flere skoler skal få"
                " varmepumper.",
                "Dei største tiltaka gjeld transport og oppvarming av kommunale bygg. Alle"
                " nye tenestebilar skal vere utsleppsfrie, og fleire skular skal få"
                " varmepumper.",
            ),
            Text(
                "Kommunedirektøren skal rapportere om klimabudsjettet to ganger i året.",
                "Kommunedirektøren skal rapportere om klimabudsjettet to gonger i året.",
            ),
        ),
        Text(
            "Elektriske tjenestebiler står til lading utenfor rådhuset.",
            "Elektriske tenestebilar står til lading utanfor rådhuset.",
        ),
    ),
    _Topic(
        "digitalt-tilsyn",
        ("helse", "digitalisering"),
        Text(
            "{k} kommune tar i bruk digitalt tilsyn i hjemmetjenesten",
            "{k} kommune tek i bruk digitalt tilsyn i heimetenesta",
        ),
        Text(
            "Med sensorer kan ansatte i hjemmetjenesten følge med på brukerne om natten uten"
            " å forstyrre dem.",
            "Med sensorar kan tilsette i heimetenesta følgje med på brukarane om natta utan"
            " å forstyrre dei.",
        ),
        (
            Text(
                "Så langt har {n} brukere takket ja til digitalt tilsyn. Løsningen varsler"
                " hjemmetjenesten hvis noen faller eller går ut av boligen om natten.",
                "Så langt har {n} brukarar takka ja til digitalt tilsyn. Løysinga varslar"
                " heimetenesta dersom nokon fell eller går ut av bustaden om natta.",
            ),
            Text(
                "Tilsynet erstatter ikke besøk, men gjør at de ansatte kan bruke mer tid der"
                " behovet er størst. Brukerne bestemmer selv om de vil ha tilbudet.",
                "Tilsynet erstattar ikkje besøk, men gjer at dei tilsette kan bruke meir tid"
                " der behovet er størst. Brukarane avgjer sjølve om dei vil ha tilbodet.",
            ),
        ),
        Text(
            "En ansatt i hjemmetjenesten viser fram en sensor for digitalt tilsyn.",
            "Ein tilsett i heimetenesta viser fram ein sensor for digitalt tilsyn.",
        ),
    ),
    _Topic(
        "lesesatsing",
        ("skole",),
        Text("Ny lesesatsing i skolene i {k} kommune", "Ny lesesatsing i skulane i {k} kommune"),
        Text(
            "Alle elever på 1. til 4. trinn skal lese sammen med en voksen hver dag i skoletiden.",
            "Alle elevar på 1. til 4. trinn skal lese saman med ein vaksen kvar dag i skuletida.",
        ),
        (
            Text(
                "Satsingen kommer etter at de nasjonale prøvene viste at mange elever trenger"
                " mer lesetrening. Skolebibliotekene får samtidig flere nye bøker for de"
                " yngste elevene.",
                "Satsinga kjem etter at dei nasjonale prøvane viste at mange elevar treng meir"
                " lesetrening. Skulebiblioteka får samstundes fleire nye bøker for dei"
                " yngste elevane.",
            ),
            Text(
                "Foreldre blir invitert til lesekvelder på skolen, og folkebiblioteket har"
                " utvidet åpningstiden på ettermiddagen.",
                "Foreldre blir inviterte til lesekveldar på skulen, og folkebiblioteket har"
                " utvida opningstida på ettermiddagen.",
            ),
        ),
        Text(
            "Elever leser sammen med en lærer i skolebiblioteket.",
            "Elevar les saman med ein lærar i skulebiblioteket.",
        ),
    ),
    _Topic(
        "trygg-skolevei",
        ("samferdsel", "skole"),
        Text("{k} kommune bygger trygg skolevei", "{k} kommune byggjer trygg skuleveg"),
        Text(
            "En ny gang- og sykkelvei skal gjøre det tryggere for barn å gå og sykle til skolen.",
            "Ein ny gang- og sykkelveg skal gjere det tryggare for barn å gå og sykle til skulen.",
        ),
        (
            Text(
                "Den nye strekningen er {n} kilometer lang og får gatelys og to nye, opphøyde"
                " gangfelt.",
                "Den nye strekninga er {n} kilometer lang og får gatelys og to nye, opphøgde"
                " gangfelt.",
            ),
            Text(
                "Prosjektet er finansiert av kommunen og fylkeskommunen sammen. Arbeidet"
                " starter etter sommerferien og skal være ferdig før vinteren.",
                "Prosjektet er finansiert av kommunen og fylkeskommunen i lag. Arbeidet tek"
                " til etter sommarferien og skal vere ferdig før vinteren.",
            ),
            Text(
                "I anleggsperioden blir skolebussen flyttet til en midlertidig holdeplass.",
                "I anleggsperioden blir skulebussen flytta til ein mellombels haldeplass.",
            ),
        ),
        Text(
            "Barn sykler på en ny gang- og sykkelvei.", "Barn syklar på ein ny gang- og sykkelveg."
        ),
    ),
    _Topic(
        "meraapent-bibliotek",
        ("kultur",),
        Text("Meråpent bibliotek i {k} kommune", "Meirope bibliotek i {k} kommune"),
        Text(
            "Med lånekort og PIN-kode kan innbyggerne nå bruke biblioteket fra klokka 7 til"
            " 23 alle dager.",
            "Med lånekort og PIN-kode kan innbyggjarane no bruke biblioteket frå klokka 7"
            " til 23 alle dagar.",
        ),
        (
            Text(
                "Når det er ansatte på biblioteket, kan man få hjelp av bibliotekarene som"
                " før. Resten av dagen kan lånerne hente bøker de har bestilt, lese aviser og"
                " bruke studieplassene.",
                "Når det er tilsette på biblioteket, kan ein få hjelp av bibliotekarane som"
                " før. Resten av dagen kan lånarane hente bøker dei har tinga, lese aviser og"
                " bruke studieplassane.",
            ),
            Text(
                "Ordningen er særlig populær blant studenter og barnefamilier. Etter {n}"
                " måneder har over tusen innbyggere registrert seg for å bruke det meråpne"
                " biblioteket.",
                "Ordninga er særleg populær blant studentar og barnefamiliar. Etter {n}"
                " månader har over tusen innbyggjarar registrert seg for å bruke det meiropne"
                " biblioteket.",
            ),
        ),
        Text(
            "Lånere leser aviser i biblioteket en sen kveld.",
            "Lånarar les aviser på biblioteket ein sein kveld.",
        ),
    ),
    _Topic(
        "startlaan",
        ("bolig", "kommuner"),
        Text(
            "{k} kommune hjelper flere unge inn på boligmarkedet",
            "{k} kommune hjelper fleire unge inn på bustadmarknaden",
        ),
        Text(
            "Startlån og bostøtte skal gjøre det enklere for unge og barnefamilier å kjøpe"
            " egen bolig.",
            "Startlån og bustøtte skal gjere det enklare for unge og barnefamiliar å kjøpe"
            " eigen bustad.",
        ),
        (
            Text(
                "I fjor fikk {m} husstander startlån fra kommunen. Nå øker kommunen rammen og"
                " gjør søknadsprosessen helt digital.",
                "I fjor fekk {m} hushald startlån frå kommunen. No aukar kommunen ramma og"
                " gjer søknadsprosessen heilt digital.",
            ),
            Text(
                "Kommunen tilbyr også gratis veiledning om privatøkonomi til dem som søker.",
                "Kommunen tilbyr òg gratis rettleiing om privatøkonomi til dei som søkjer.",
            ),
        ),
        Text(
            "Nye boliger under bygging i et boligfelt.",
            "Nye bustader under bygging i eit bustadfelt.",
        ),
    ),
    _Topic(
        "flomovelse",
        ("beredskap", "klima"),
        Text("{k} kommune øver på flom og ekstremvær", "{k} kommune øver på flaum og ekstremvêr"),
        Text(
            "Kommunens kriseledelse, nødetatene og frivillige organisasjoner deltok i en stor"
            " beredskapsøvelse.",
            "Kriseleiinga i kommunen, naudetatane og frivillige organisasjonar deltok i ei"
            " stor beredskapsøving.",
        ),
        (
            Text(
                "Øvelsen tok utgangspunkt i en flom som stengte veier og satte"
                " strømforsyningen ut av spill i {n} timer.",
                "Øvinga tok utgangspunkt i ein flaum som stengde vegar og sette"
                " straumforsyninga ut av spel i {n} timar.",
            ),
            Text(
                "Erfaringene fra øvelsen skal brukes når kommunen reviderer beredskapsplanen"
                " til høsten.",
                "Røynslene frå øvinga skal brukast når kommunen reviderer beredskapsplanen"
                " til hausten.",
            ),
            Text(
                "Innbyggerne oppfordres til å ha vann, mat og batterier hjemme til minst én uke.",
                "Innbyggjarane blir oppmoda til å ha vatn, mat og batteri heime til minst ei veke.",
            ),
        ),
        Text(
            "Mannskaper fra brannvesenet legger ut flomvern under øvelsen.",
            "Mannskap frå brannvesenet legg ut flaumvern under øvinga.",
        ),
    ),
    _Topic(
        "naeringshage",
        ("naeringsliv", "innovasjon"),
        Text(
            "Ny næringshage skal styrke gründerne i {k} kommune",
            "Ny næringshage skal styrkje gründerane i {k} kommune",
        ),
        Text(
            "Næringshagen gir nyetablerte bedrifter kontorplass, veiledning og et faglig"
            " fellesskap.",
            "Næringshagen gir nyetablerte verksemder kontorplass, rettleiing og eit fagleg"
            " fellesskap.",
        ),
        (
            Text(
                "Allerede har {n} bedrifter flyttet inn, blant dem et teknologiselskap, et"
                " kaffebrenneri og et arkitektkontor.",
                "Allereie har {n} verksemder flytta inn, mellom dei eit teknologiselskap, eit"
                " kaffibrenneri og eit arkitektkontor.",
            ),
            Text(
                "Kommunen og næringsforeningen står bak satsingen, som også får støtte fra"
                " fylkeskommunen.",
                "Kommunen og næringsforeininga står bak satsinga, som òg får støtte frå"
                " fylkeskommunen.",
            ),
        ),
        Text(
            "Gründere i arbeid i de nye lokalene til næringshagen.",
            "Gründerar i arbeid i dei nye lokala til næringshagen.",
        ),
    ),
    _Topic(
        "frivillige",
        ("frivillighet", "kultur"),
        Text("Rekordmange frivillige i {k} kommune", "Rekordmange frivillige i {k} kommune"),
        Text(
            "Frivilligsentralen har aldri hatt flere frivillige enn i år, og kommunen vil"
            " takke dem med en egen festkveld.",
            "Frivilligsentralen har aldri hatt fleire frivillige enn i år, og kommunen vil"
            " takke dei med ein eigen festkveld.",
        ),
        (
            Text(
                "Over {m} frivillige kjører eldre til legen, følger barn til leksehjelp og"
                " arrangerer språkkafé for nye innbyggere.",
                "Over {m} frivillige køyrer eldre til legen, følgjer barn til leksehjelp og"
                " skipar til språkkafé for nye innbyggjarar.",
            ),
            Text(
                "– Uten de frivillige hadde mange av disse tilbudene ikke eksistert, sier"
                " ordføreren.",
                "– Utan dei frivillige hadde mange av desse tilboda ikkje eksistert, seier"
                " ordføraren.",
            ),
        ),
        Text(
            "Frivillige serverer kaffe på språkkafeen.", "Frivillige serverer kaffi på språkkafeen."
        ),
    ),
    _Topic(
        "solceller",
        ("klima",),
        Text(
            "Solceller på alle nye kommunale bygg i {k} kommune",
            "Solceller på alle nye kommunale bygg i {k} kommune",
        ),
        Text(
            "Kommunestyret har vedtatt at alle nye skoler, barnehager og sykehjem skal ha"
            " solceller på taket.",
            "Kommunestyret har vedteke at alle nye skular, barnehagar og sjukeheimar skal ha"
            " solceller på taket.",
        ),
        (
            Text(
                "Den første skolen med solceller produserer om lag {p} prosent av strømmen"
                " den bruker i løpet av et år.",
                "Den første skulen med solceller produserer om lag {p} prosent av straumen"
                " han brukar i løpet av eit år.",
            ),
            Text(
                "Kommunen selger overskuddsstrømmen om sommeren tilbake til nettet og regner"
                " med at investeringen er nedbetalt på under femten år.",
                "Kommunen sel overskotsstraumen om sommaren tilbake til nettet og reknar med"
                " at investeringa er nedbetalt på under femten år.",
            ),
        ),
        Text("Solcellepaneler på taket av en ny skole.", "Solcellepanel på taket av ein ny skule."),
    ),
    _Topic(
        "psykisk-helse-unge",
        ("helse",),
        Text(
            "Lavterskeltilbud for unge med psykiske plager i {k} kommune",
            "Lågterskeltilbod for unge med psykiske plager i {k} kommune",
        ),
        Text(
            "Ungdom mellom 13 og 25 år kan nå snakke med en helsesykepleier eller psykolog"
            " uten henvisning og uten å betale.",
            "Ungdom mellom 13 og 25 år kan no snakke med ein helsesjukepleiar eller psykolog"
            " utan tilvising og utan å betale.",
        ),
        (
            Text(
                "Tilbudet er åpent tre ettermiddager i uken, og man kan også bestille time"
                " digitalt. Samtalene er gratis, og de ansatte har taushetsplikt.",
                "Tilbodet er ope tre ettermiddagar i veka, og ein kan òg bestille time"
                " digitalt. Samtalane er gratis, og dei tilsette har teieplikt.",
            ),
            Text(
                "Det siste året har {m} unge tatt kontakt. Kommunen ser at tidlig hjelp ofte"
                " kan hindre at små problemer vokser seg store.",
                "Det siste året har {m} unge teke kontakt. Kommunen ser at tidleg hjelp ofte"
                " kan hindre at små problem veks seg store.",
            ),
        ),
        Text(
            "En helsesykepleier i samtale med en ungdom.",
            "Ein helsesjukepleiar i samtale med ein ungdom.",
        ),
    ),
    _Topic(
        "digital-byggesak",
        ("digitalisering", "innovasjon"),
        Text(
            "Raskere byggesaksbehandling med digitale søknader i {k} kommune",
            "Raskare byggjesakshandsaming med digitale søknader i {k} kommune",
        ),
        Text(
            "Saksbehandlingstiden for enkle byggesaker er halvert etter at kommunen tok i"
            " bruk digitale søknader.",
            "Sakshandsamingstida for enkle byggjesaker er halvert etter at kommunen tok i"
            " bruk digitale søknader.",
        ),
        (
            Text(
                "Søknadene sjekkes automatisk for manglende vedlegg før de kommer til en"
                " saksbehandler. Det gjør at færre søknader må sendes i retur.",
                "Søknadene blir sjekka automatisk for manglande vedlegg før dei kjem til ein"
                " sakshandsamar. Det gjer at færre søknader må sendast i retur.",
            ),
            Text(
                "I snitt tar en enkel byggesak nå {n} dager. Kommunen vil bruke erfaringene"
                " når flere tjenester skal digitaliseres.",
                "I snitt tek ei enkel byggjesak no {n} dagar. Kommunen vil bruke røynslene"
                " når fleire tenester skal digitaliserast.",
            ),
        ),
        Text(
            "En saksbehandler går gjennom en digital byggesøknad.",
            "Ein sakshandsamar går gjennom ein digital byggjesøknad.",
        ),
    ),
    _Topic(
        "ny-barnehage",
        ("skole", "kommuner"),
        Text("Ny barnehage åpner i {k} kommune", "Ny barnehage opnar i {k} kommune"),
        Text(
            "Barnehagen har plass til {m} barn og er bygd i tre og gjenbrukte materialer.",
            "Barnehagen har plass til {m} barn og er bygd i tre og attbrukte materiale.",
        ),
        (
            Text(
                "Uteområdet er laget sammen med barna, som ønsket seg klatretrær, gapahuk og"
                " et sted å dyrke grønnsaker.",
                "Uteområdet er laga saman med barna, som ønskte seg klatretre, gapahuk og ein"
                " stad å dyrke grønsaker.",
            ),
            Text(
                "Med den nye barnehagen har kommunen full barnehagedekning, og alle som søkte"
                " innen fristen, har fått plass.",
                "Med den nye barnehagen har kommunen full barnehagedekning, og alle som søkte"
                " innan fristen, har fått plass.",
            ),
        ),
        Text(
            "Barn leker på uteområdet til den nye barnehagen.",
            "Barn leikar på uteområdet til den nye barnehagen.",
        ),
    ),
    _Topic(
        "klarspraak",
        ("sprak", "kommuner"),
        Text(
            "{k} kommune skriver om brevene sine på klarspråk",
            "{k} kommune skriv om breva sine på klarspråk",
        ),
        Text(
            "Innbyggerne skal forstå hva kommunen mener første gang de leser et brev.",
            "Innbyggjarane skal forstå kva kommunen meiner første gongen dei les eit brev.",
        ),
        (
            Text(
                "De siste månedene har {n} arbeidsgrupper gått gjennom maler for vedtak,"
                " varsler og svarbrev. Kommunen har byttet ut lange setninger og faguttrykk"
                " med enkle og presise formuleringer.",
                "Dei siste månadene har {n} arbeidsgrupper gått gjennom malar for vedtak,"
                " varsel og svarbrev. Kommunen har bytt ut lange setningar og faguttrykk med"
                " enkle og presise formuleringar.",
            ),
            Text(
                "Alle brevmalene finnes på både bokmål og nynorsk, slik at innbyggerne kan få"
                " svar på den målformen de ønsker.",
                "Alle brevmalane finst på både bokmål og nynorsk, slik at innbyggjarane kan få"
                " svar på den målforma dei ønskjer.",
            ),
        ),
        Text("Ansatte i kommunen på kurs i klarspråk.", "Tilsette i kommunen på kurs i klarspråk."),
    ),
    _Topic(
        "nominert",
        ("innovasjon", "priser"),
        Text(
            "{k} kommune nominert til innovasjonsprisen",
            "{k} kommune nominert til innovasjonsprisen",
        ),
        Text(
            "Juryen trekker fram kommunens arbeid med å utvikle tjenester sammen med innbyggerne.",
            "Juryen trekkjer fram arbeidet kommunen gjer med å utvikle tenester saman med"
            " innbyggjarane.",
        ),
        (
            Text(
                "Kommunen har brukt tjenestedesign i {n} prosjekter, blant annet for å gjøre"
                " tildelingen av hjemmetjenester enklere og skolestarten bedre for nye"
                " elever.",
                "Kommunen har nytta tenestedesign i {n} prosjekt, mellom anna for å gjere"
                " tildelinga av heimetenester enklare og skulestarten betre for nye elevar.",
            ),
            Text(
                "Vinneren blir kåret på den årlige kommunekonferansen.",
                "Vinnaren blir kåra på den årlege kommunekonferansen.",
            ),
            Text(
                "– Bare det å bli nominert er en stor anerkjennelse for alle som har vært med,"
                " sier ordføreren.",
                "– Berre det å bli nominert er ein stor heider for alle som har vore med, seier"
                " ordføraren.",
            ),
        ),
        Text(
            "Prosjektgruppen som står bak kommunens arbeid med tjenestedesign.",
            "Prosjektgruppa som står bak arbeidet med tenestedesign i kommunen.",
        ),
    ),
)

# Municipalities by the languages their articles get. nb+nn and nn-only ones lean towards
# municipalities that use Nynorsk; nb-only ones towards those that use Bokmål.
_BOTH = (
    "Voss",
    "Stord",
    "Sogndal",
    "Kvinnherad",
    "Ulstein",
    "Stryn",
    "Sunndal",
    "Hol",
    "Vinje",
    "Seljord",
    "Luster",
    "Lærdal",
    "Sunnfjord",
    "Volda",
    "Bergen",
    "Ålesund",
    "Molde",
    "Bømlo",
    "Hareid",
    "Gloppen",
    "Askøy",
    "Alver",
    "Kinn",
    "Bjørnafjorden",
    "Etne",
    "Suldal",
    "Rauma",
    "Surnadal",
    "Vang",
    "Lom",
    "Stavanger",
)
_NB_ONLY = (
    "Bodø",
    "Tromsø",
    "Hamar",
    "Gjøvik",
    "Kongsberg",
    "Drammen",
    "Tønsberg",
    "Sandefjord",
    "Arendal",
    "Fredrikstad",
    "Halden",
    "Asker",
    "Elverum",
    "Narvik",
    "Alta",
    "Steinkjer",
)
_NN_ONLY = ("Ørsta", "Aurland", "Valle")
_NN_ONLY_AT = (7, 23, 41)  # article numbers that are nn only; multiples of 3 are nb only

_COMMENTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "nb": (
        (
            "Silje Berg",
            "silje.berg@example.org",
            "Dette er et godt tiltak. Håper flere kommuner gjør det samme!",
        ),
        (
            "Arild Moen",
            "arild.moen@example.org",
            "Takk for god informasjon. Blir det et informasjonsmøte om dette?",
        ),
        ("Nina Strand", "nina.strand@example.org", "Flott at kommunen tar innbyggerne med på råd."),
    ),
    "nn": (
        (
            "Ragnhild Vik",
            "ragnhild.vik@example.org",
            "Dette er eit godt tiltak. Håpar fleire kommunar gjer det same!",
        ),
        (
            "Eirik Haugen",
            "eirik.haugen@example.org",
            "Takk for god informasjon. Blir det eit informasjonsmøte om dette?",
        ),
        (
            "Solveig Tveit",
            "solveig.tveit@example.org",
            "Fint at kommunen tek innbyggjarane med på råd.",
        ),
    ),
}
_COMMENT_COUNTS = {4: 2, 10: 1, 20: 3, 24: 1, 35: 2, 41: 1}  # article number -> comments

_COLOURS = (
    (31, 78, 121),
    (140, 54, 58),
    (46, 112, 84),
    (181, 129, 36),
    (92, 62, 130),
    (38, 120, 140),
    (150, 84, 40),
    (70, 90, 60),
    (120, 40, 90),
    (60, 70, 80),
)


# fictional authors of the generated items, with their roles
DEMO_AUTHORS: tuple[DemoAuthor, ...] = (
    DemoAuthor("Ingrid Haugland", Text("kommunikasjonsrådgiver", "kommunikasjonsrådgjevar")),
    DemoAuthor("Per Ove Lunde", Text("informasjonssjef", "informasjonssjef")),
    DemoAuthor("Sigrid Nygaard", Text("journalist", "journalist")),
    DemoAuthor("Håkon Berge", Text("prosjektleder", "prosjektleiar")),
)


def municipal_byline(number: int, municipality: str) -> DemoByline:
    """A generated item's byline: one or two of :data:`DEMO_AUTHORS`, and the municipality."""
    first = DEMO_AUTHORS[number % len(DEMO_AUTHORS)]
    authors: tuple[DemoAuthor, ...] = (first,)
    if number % 3 == 0:
        authors += (DEMO_AUTHORS[(number + 1) % len(DEMO_AUTHORS)],)
    unit = f"{municipality} kommune"
    return DemoByline(authors=authors, unit=Text(unit, unit))


def _slug(text: str) -> str:
    s = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "aa")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def _iso_oslo(moment: datetime) -> str:
    """Local Oslo wall-clock time with its offset (summer time from the last Sunday in March
    to the last Sunday in October; our times are all in office hours)."""

    def last_sunday(month: int) -> date:
        d = date(moment.year, month, 31)
        return d - timedelta(days=(d.weekday() + 1) % 7)

    summer = last_sunday(3) <= moment.date() < last_sunday(10)
    return f"{moment:%Y-%m-%dT%H:%M:%S}" + ("+02:00" if summer else "+01:00")


def generated_articles() -> list[DemoArticle]:
    """About 50 further short articles, deterministic (no randomness, no time)."""
    articles: list[DemoArticle] = []
    queues = {"both": list(_BOTH), "nb": list(_NB_ONLY), "nn": list(_NN_ONLY)}
    for i in range(1, 51):
        kind = "nn" if i in _NN_ONLY_AT else "nb" if i % 3 == 0 else "both"
        name = queues[kind].pop(0)
        locales = ("nb", "nn") if kind == "both" else (kind,)
        topic = _TOPICS[(i - 1) % len(_TOPICS)]
        values = {
            "k": name,
            "n": in_words(3 + (i * 7) % 10),
            "m": 20 + (i * 37) % 76,
            "p": 35 + (i * 11) % 30,
        }

        def fill(text: Text, locale: str, values: dict[str, object] = values) -> str:
            return (text.nb if locale == "nb" else text.nn).format(**values)

        published = datetime(2018, 8, 20, 8 + (i * 5) % 7, (i * 17) % 60) + timedelta(
            days=60 * (i - 1) + (i * 7) % 19
        )
        updated = (
            published
            if i % 4 == 0
            else published + timedelta(days=(i * 13) % 45 + 1, hours=i % 3, minutes=(i * 7) % 30)
        )
        images: tuple[DemoImage, ...] = ()
        if i % 5 == 2:
            images = (
                DemoImage(
                    key=f"gen-{i:02d}-{topic.key}",
                    role="lead",
                    credit=f"Foto: {name} kommune",
                    alt=topic.alt,
                    caption=None,
                    colour=_COLOURS[(i // 5) % len(_COLOURS)],
                ),
            )
        comments = tuple(
            DemoComment(
                locale=locales[j % len(locales)],
                author_name=_COMMENTS[locales[j % len(locales)]][(i + j) % 3][0],
                email=_COMMENTS[locales[j % len(locales)]][(i + j) % 3][1],
                body=_COMMENTS[locales[j % len(locales)]][(i + j) % 3][2],
                status="APPROVED",
                minutes_after_publish=45 + 90 * j + i,
            )
            for j in range(_COMMENT_COUNTS.get(i, 0))
        )
        titles = {loc: fill(topic.title, loc) for loc in locales}
        articles.append(
            DemoArticle(
                key=f"gen-{i:02d}",
                title=titles,
                lead={loc: fill(topic.lead, loc) for loc in locales},
                body={
                    loc: "".join(
                        f"<p>{html.escape(fill(p, loc), quote=False)}</p>" for p in topic.paragraphs
                    )
                    for loc in locales
                },
                slug={loc: _slug(titles[loc]) for loc in locales},
                published_at=_iso_oslo(published),
                updated_at=_iso_oslo(updated),
                tags=topic.tags,
                images=images,
                videos=(),
                comments=comments,
                byline=municipal_byline(i, name),
            )
        )
    return articles
