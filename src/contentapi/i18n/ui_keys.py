"""Every interface string the frontends ask for, with a note for translators.

``contentapi i18n extract`` reads this module (Babel's extractor) to write
``locales/contentapi.pot``; the keys are the msgids, the notes become ``#.`` comments.
Add a key here, extract, update, translate, restart: it is served by ``messages``.
"""

from __future__ import annotations


def N_(key: str) -> str:
    """Mark a key for extraction."""
    return key


def ngettext(singular: str, plural: str, count: int) -> str:
    """Mark a plural key for extraction."""
    return singular if count == 1 else plural


KEYS = [
    # TRANSLATORS: House style for dates (a CLDR pattern, e.g. "dd. LLL y")
    N_("format.date.site"),
    # TRANSLATORS: Label before the publishing date
    N_("article.published"),
    # TRANSLATORS: Label before the last-changed date
    N_("article.updated"),
    # TRANSLATORS: Shown when the article is not in the reader's language
    N_("article.fallback_notice"),
    # TRANSLATORS: Heading over the article's tags
    N_("article.tags"),
    # TRANSLATORS: Heading of the contact box
    N_("page.contact"),
    # TRANSLATORS: Heading of the share links
    N_("page.share"),
    # TRANSLATORS: While the page loads
    N_("page.loading"),
    # TRANSLATORS: Prefix of a photo credit
    N_("media.photo"),
    # TRANSLATORS: Label of a film clip
    N_("media.video"),
    # TRANSLATORS: Heading of the comment section
    N_("comments.heading"),
    # TRANSLATORS: Shown when an article has no comments
    N_("comments.none"),
    # TRANSLATORS: Heading of the comment form
    N_("comments.write"),
    # TRANSLATORS: Shown after a comment was sent
    N_("comments.thanks"),
    # TRANSLATORS: Tells readers that new comments appear by themselves
    N_("comments.live"),
    # TRANSLATORS: Number of approved comments; %(count)s is the number
    ngettext("comments.count", "comments.count.plural", 2),
    # TRANSLATORS: Explains the required-field mark
    N_("form.required_note"),
    # TRANSLATORS: Label of the name field
    N_("form.name"),
    # TRANSLATORS: Label of the e-mail field
    N_("form.email"),
    # TRANSLATORS: Label of the comment field
    N_("form.comment"),
    # TRANSLATORS: Button that sends the comment
    N_("form.submit"),
    # TRANSLATORS: Name of Bokmål in a language switch
    N_("language.nb"),
    # TRANSLATORS: Name of Nynorsk in a language switch
    N_("language.nn"),
    # TRANSLATORS: Label of the language switch
    N_("language.switch"),
    # TRANSLATORS: A required field is empty
    N_("error.REQUIRED"),
    # TRANSLATORS: Text over the limit; %(max)s is the limit
    N_("error.TOO_LONG"),
    # TRANSLATORS: More tags than an article may have; %(max)s is the limit
    N_("error.TOO_MANY_TAGS"),
    # TRANSLATORS: A slug with other characters than a-z, 0-9 and hyphens
    N_("error.INVALID_SLUG"),
    # TRANSLATORS: The slug is used by another article in this locale
    N_("error.SLUG_TAKEN"),
    # TRANSLATORS: Someone else saved first; %(version)s is the current version
    N_("error.CONFLICT"),
    # TRANSLATORS: The published version moved on after the pending changes were made;
    # %(version)s is its version now. discardDraft is the name of the API's mutation
    N_("error.CONFLICT.draft"),
    # TRANSLATORS: Another moderator decided on the comment first; %(status)s is its status
    # now, one of the status.* names below
    N_("error.CONFLICT.expectedStatus"),
    # TRANSLATORS: A create was sent again with the same idempotency key but other input
    N_("error.CONFLICT.idempotencyKey"),
    # TRANSLATORS: A published article needs a title and a body; %(fields)s names what is
    # missing, from the field.* names, as a list ("tittel og brødtekst")
    N_("error.MISSING_CONTENT"),
    # TRANSLATORS: Nothing with that id (or it is deleted); %(what)s is one of the what.*
    # names below, in the definite form ("artikkelen")
    N_("error.NOT_FOUND"),
    # TRANSLATORS: Tags that do not exist; %(what)s lists their keys as given
    N_("error.NOT_FOUND.tags"),
    # TRANSLATORS: The translation exists; replacing it needs expectedVersion
    N_("error.ALREADY_EXISTS"),
    # TRANSLATORS: No valid token was sent
    N_("error.UNAUTHENTICATED"),
    # TRANSLATORS: The token may not do this
    N_("error.FORBIDDEN"),
    # TRANSLATORS: An e-mail address that is not one
    N_("error.INVALID_EMAIL"),
    # TRANSLATORS: The article no longer takes comments
    N_("error.COMMENTS_CLOSED"),
    # TRANSLATORS: The same comment again within 10 minutes
    N_("error.DUPLICATE"),
    # TRANSLATORS: Too many comments; %(seconds)s is the wait
    N_("error.RATE_LIMITED"),
    # TRANSLATORS: Text with control or text-direction characters, or only invisible ones
    N_("error.INVALID_TEXT"),
    # TRANSLATORS: The reader page has no article to show
    N_("page.not_found"),
    # TRANSLATORS: The file is not a picture the API takes
    N_("error.UNSUPPORTED_MEDIA"),
    # TRANSLATORS: The file is too big; %(max_bytes)s is the limit with its unit ("20 MB")
    N_("error.FILE_TOO_LARGE"),
    # TRANSLATORS: The picture has too many pixels; %(max)s is the limit
    N_("error.IMAGE_TOO_LARGE"),
    # TRANSLATORS: Publishing needs alt text on every image; %(images)s lists their ids
    N_("error.MISSING_ALT_TEXT"),
    # TRANSLATORS: An image or video still used by an article cannot be deleted
    N_("error.IN_USE"),
    # TRANSLATORS: A video address that is not an http(s) address of a video
    N_("error.INVALID_URL"),
    # TRANSLATORS: This server runs only the queries it knows (persisted queries)
    N_("error.PERSISTED_QUERY_REQUIRED"),
    # TRANSLATORS: The request took too long and was stopped
    N_("error.TIMEOUT"),
    # TRANSLATORS: The answer would be too big; ask for fewer items
    N_("error.RESPONSE_TOO_LARGE"),
    # TRANSLATORS: An HTTP method (e.g. PUT) that this address does not take
    N_("error.METHOD_NOT_ALLOWED"),
    # TRANSLATORS: Too many live subscriptions on one connection
    N_("error.TOO_MANY_SUBSCRIPTIONS"),
    # The codes a developer meets: the English detail is in extensions.detail.
    # TRANSLATORS: The request is not valid GraphQL, or asks for what does not exist
    N_("error.BAD_REQUEST"),
    # TRANSLATORS: A locale argument names no language of this server; %(locales)s lists
    # the ones there are ("nb eller nn")
    N_("error.UNKNOWN_LOCALE"),
    # TRANSLATORS: The query is too big, too deep or too costly
    N_("error.QUERY_TOO_COMPLEX"),
    # TRANSLATORS: A bug on the server; it is logged
    N_("error.INTERNAL_ERROR"),
    # TRANSLATORS: The database or the machine translation is away for now
    N_("error.UNAVAILABLE"),
    # Names that messages put in their placeholders (contentapi.i18n.messages).
    # TRANSLATORS: Field name in a message, as in "must have a title"
    N_("field.title"),
    # TRANSLATORS: Field name in a message: the article's address (slug)
    N_("field.slug"),
    # TRANSLATORS: Field name in a message: the article's lead paragraph
    N_("field.lead"),
    # TRANSLATORS: Field name in a message: the article's body text
    N_("field.body"),
    # TRANSLATORS: Field name in a message: the article's tags
    N_("field.tags"),
    # TRANSLATORS: Field name in a message: a tag's name
    N_("field.name"),
    # TRANSLATORS: Field name in a message: a commenter's name
    N_("field.authorName"),
    # TRANSLATORS: Field name in a message: an e-mail address
    N_("field.email"),
    # TRANSLATORS: Field name in a message: a commenter's web site
    N_("field.website"),
    # TRANSLATORS: Field name in a message: an image's alt text
    N_("field.alt"),
    # TRANSLATORS: Field name in a message: an image's or video's caption
    N_("field.caption"),
    # TRANSLATORS: Field name in a message: the photographer or source of a medium
    N_("field.credit"),
    # TRANSLATORS: What was not found, definite form, as in "Fant ikke artikkelen"
    N_("what.article"),
    # TRANSLATORS: What was not found: a language version of an article
    N_("what.translation"),
    # TRANSLATORS: What was not found: the language version to translate from
    N_("what.source_translation"),
    # TRANSLATORS: What was not found: an earlier version of an article
    N_("what.revision"),
    # TRANSLATORS: What was not found: an image or a video
    N_("what.medium"),
    # TRANSLATORS: What was not found: an image
    N_("what.image"),
    # TRANSLATORS: What was not found: a tag
    N_("what.tag"),
    # TRANSLATORS: What was not found: a comment
    N_("what.comment"),
    # TRANSLATORS: What was not found: the pending (not yet published) changes of an article
    N_("what.pending_changes"),
    # TRANSLATORS: What was not found: a video
    N_("what.video"),
    # TRANSLATORS: What was not found: a video's captions (a WebVTT file) in one language
    N_("what.caption"),
    # TRANSLATORS: A comment's status in a message: waiting for a moderator
    N_("status.PENDING"),
    # TRANSLATORS: A comment's status in a message: approved
    N_("status.APPROVED"),
    # TRANSLATORS: A comment's status in a message: rejected
    N_("status.REJECTED"),
    # TRANSLATORS: A comment's status in a message: marked as spam
    N_("status.SPAM"),
    # The reader page at / (contentapi/reader).
    # TRANSLATORS: Name of the demo news site, in the page title and header
    N_("reader.site_name"),
    # TRANSLATORS: The page was asked for in a language this site does not have (/?lang=en);
    # it is shown in this language instead (name this language)
    N_("reader.unknown_language"),
    # TRANSLATORS: Link that skips the header to the main content (for keyboard users)
    N_("reader.skip_to_content"),
    # TRANSLATORS: Label before the department or unit that publishes the article
    N_("reader.publisher"),
    # TRANSLATORS: Explanation under the "not found" heading of the reader page
    N_("reader.not_found_help"),
    # TRANSLATORS: Link from the "not found" page to the newest article
    N_("reader.front_page"),
]
