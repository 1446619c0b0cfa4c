"""The catalogue of hostile and odd input: what is sent, through which channels, what must come back.

Three tables:

* :data:`TEXT_CASES`: a message text, sent as a citizen would through the JSON API,
  the widget's endpoint (as ``widget.js`` posts it, from an allowed page) and Telegram
  (an update delivered by the Bot API stand-in). Either refused with the gateway's
  Vietnamese notice (nothing stored, nothing sent to Rasa) or answered by the assistant
  (stored cleaned).
* :data:`RAW_CASES`: raw HTTP requests to the API (bytes, content types, fields, methods),
  sent as is and from the widget's page (with its ``Origin``): the documented error body.
* :data:`TELEGRAM_CASES`: updates only Telegram has (photos, locations, stickers, voice,
  forged button presses).

The flood from one sender is in ``test_flood.py``.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from bot import texts
from bot.telegram import texts as telegram_texts
from knowledge.demo import phone_of, plan

API, WIDGET, TELEGRAM = "api", "widget", "telegram"
ALL = (API, WIDGET, TELEGRAM)
HTTP = (API, WIDGET)
MAX_CHARS = 1000  # the gateway's limit in these tests (the default MAX_MESSAGE_CHARS)
SENDER = "{sender}"  # replaced by the case's own sender id in raw bodies
# The page of another origin that embeds the widget (ALLOWED_ORIGINS).
WIDGET_ORIGIN = "https://motcua.sonla.example.vn"
# Messages per sender per minute in these tests (the default MESSAGES_PER_MINUTE).
RATE_LIMIT = 20


class Expect(Enum):
    """What the citizen must get back."""

    EMPTY = "the empty-message notice"
    TOO_LONG = "the too-long notice"
    ANSWER = "an answer of the assistant"
    UNKNOWN_COMMAND = "Telegram's unknown-command notice"
    TEXT_ONLY = "Telegram's text-only notice"
    BUTTON_EXPIRED = "Telegram's expired-button notice"

    @property
    def refused(self) -> bool:
        """The text never reaches Rasa and nothing of it is stored."""
        return self is not Expect.ANSWER


NOTICES = {
    Expect.EMPTY: texts.EMPTY,
    Expect.UNKNOWN_COMMAND: telegram_texts.UNKNOWN_COMMAND,
    Expect.TEXT_ONLY: telegram_texts.TEXT_ONLY,
    Expect.BUTTON_EXPIRED: telegram_texts.BUTTON_EXPIRED,
}
TOO_LONG_NOTICE = texts.TOO_LONG.format(limit="1.000")


@dataclass(frozen=True)
class TextCase:
    """One message text and what must happen to it."""

    name: str
    category: str
    text: str
    expect: Expect
    channels: tuple[str, ...] = ALL
    # Messages sent first, in order (e.g. starting a dossier lookup); each must be answered.
    before: tuple[str, ...] = ()
    # What the log must hold for the message when answered (default: the text, trimmed).
    stored: str | None = None
    # A fragment the answer must contain (case-insensitive).
    contains: str = ""
    # What Telegram answers instead, when it differs (a leading "/word" is a command there).
    on_telegram: Expect | None = None

    def expect_on(self, channel: str) -> Expect:
        return self.on_telegram if channel == TELEGRAM and self.on_telegram else self.expect

    @property
    def stored_text(self) -> str:
        return self.text.strip() if self.stored is None else self.stored


def _exactly(length: int, phrase: str) -> str:
    """``phrase`` repeated and cut to ``length`` characters, not ending in a space."""
    text = (phrase * (length // len(phrase) + 2))[:length]
    return text if not text.endswith(" ") else text[:-1] + "."


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def _arabic_indic(text: str) -> str:
    return "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in text)


_DOSSIER = plan()[4]
DOSSIER_CODE = _DOSSIER.receipt_code
DOSSIER_DIGITS = phone_of(_DOSSIER.number)[-4:]
DOSSIER_APPLICANT = _DOSSIER.applicant_name
_LOOKUP = "tra cứu hồ sơ"
_BAD_CODE = "chưa đúng định dạng"
_ASK_DIGITS = "4 chữ số cuối"
_QUESTION = "đăng ký khai sinh cần giấy tờ gì"
_FEE = "lệ phí đăng ký khai sinh"
_MARKS = "\u0301\u0323\u0309" * 100  # tone marks piled on one letter
_VIETNAMESE_20K = _exactly(20_000, "đăng ký khai sinh cần giấy tờ gì, lệ phí bao nhiêu? ")


def _lookup(
    name: str, text: str, contains: str, *, code: str | None = None, stored: str | None = None
) -> TextCase:
    """A reply in the dossier lookup: to the receipt code, or to the digits after ``code``."""
    before = (_LOOKUP,) if code is None else (_LOOKUP, code)
    return TextCase(
        name, "receipt_code", text, Expect.ANSWER, before=before, stored=stored, contains=contains
    )


def _cleaned(name: str, category: str, text: str, stored: str, contains: str = "khai sinh") -> TextCase:
    """Answered, and stored as ``stored`` (the text cleaned)."""
    return TextCase(name, category, text, Expect.ANSWER, stored=stored, contains=contains)


def _command(name: str, text: str) -> TextCase:
    """A payload-shaped text: the assistant's answer, but a command Telegram does not have."""
    return TextCase(name, "payload", text, Expect.ANSWER, on_telegram=Expect.UNKNOWN_COMMAND)


TEXT_CASES: tuple[TextCase, ...] = (
    # Empty and whitespace only: the empty-message notice.
    TextCase("empty", "empty", "", Expect.EMPTY, HTTP),  # Telegram has no empty text message
    TextCase("spaces", "whitespace", "     ", Expect.EMPTY),
    TextCase("tabs_and_newlines", "whitespace", "\t\n \r\n\t", Expect.EMPTY),
    TextCase("unicode_spaces", "whitespace", "\u00a0\u2003\u3000\u205f", Expect.EMPTY),
    TextCase("line_separators", "whitespace", "\u2028\u2029\u0085", Expect.EMPTY),
    TextCase("padding_around_a_greeting", "whitespace", " " * 19_990 + "xin chào", Expect.ANSWER),
    # Control and zero-width characters: removed; nothing left is the empty notice.
    TextCase("zero_width_only", "control", "\u200b\u200c\u200d\u2060\ufeff", Expect.EMPTY),
    TextCase("controls_only", "control", "\x00\x01\x07\x1b\x7f\x9b", Expect.EMPTY),
    TextCase("soft_hyphens_only", "control", "\u00ad\u00ad\u00ad", Expect.EMPTY),
    TextCase("hangul_fillers_only", "control", "\u3164\u115f\uffa0", Expect.EMPTY),
    TextCase("braille_blanks_only", "control", "\u2800\u2800", Expect.EMPTY),
    TextCase("tag_characters_only", "control", "\U000e0001\U000e0041\U000e007f", Expect.EMPTY),
    _cleaned(
        "zero_width_inside", "control", "đăng\u200b ký\u200c khai\u200d sinh\ufeff cần giấy tờ gì", _QUESTION
    ),
    _cleaned("nul_inside", "control", "lệ phí\x00 đăng ký khai sinh", _FEE),
    _cleaned(
        "ansi_escape", "control", "\x1b[31mlệ phí đăng ký khai sinh\x1b[0m", "[31mlệ phí đăng ký khai sinh[0m"
    ),
    _cleaned("soft_hyphen_inside", "control", "lệ phí đăng ký kh\u00adai sinh", _FEE),
    _cleaned("zero_width_before_a_tone_mark", "control", "xin chao\u200b\u0300", "xin chaò", ""),
    _cleaned("lone_surrogate", "control", "lệ phí đăng ký khai sinh\ud800", _FEE),
    _cleaned("zero_width_padding_20k", "control", "\u200b" * 19_980 + _FEE, _FEE),
    _cleaned("zalgo", "control", "xin chào" + _MARKS, unicodedata.normalize("NFC", "xin chào" + _MARKS), ""),
    # Right-to-left text and direction overrides.
    TextCase("arabic", "rtl", "مرحبا، أريد تسجيل المولود", Expect.ANSWER),
    TextCase("hebrew", "rtl", "שלום, אני צריך עזרה", Expect.ANSWER),
    _cleaned("right_to_left_override", "rtl", "\u202eđăng ký khai sinh cần giấy tờ gì\u202c", _QUESTION),
    _cleaned("direction_isolates", "rtl", "\u2067lệ phí\u2069 đăng ký khai sinh", _FEE),
    TextCase("mixed_directions", "rtl", "lệ phí מחיר khai sinh", Expect.ANSWER),
    _cleaned("right_to_left_marks", "rtl", "\u200fxin chào\u200f", "xin chào", ""),
    # Emoji only.
    TextCase("emoji", "emoji", "😀😀😀", Expect.ANSWER),
    TextCase("folded_hands", "emoji", "🙏", Expect.ANSWER),
    _cleaned("zwj_family", "emoji", "👨\u200d👩\u200d👧\u200d👦", "👨👩👧👦", ""),
    TextCase("flags", "emoji", "🇻🇳🇻🇳🇻🇳", Expect.ANSWER),
    TextCase("hearts_with_selectors", "emoji", "❤️❤️", Expect.ANSWER),
    TextCase("emoji_at_the_limit", "emoji", "😀" * MAX_CHARS, Expect.ANSWER),
    TextCase("emoji_over_the_limit", "emoji", "😀" * (MAX_CHARS + 1), Expect.TOO_LONG),
    # Long messages: over the limit is refused whole, never stored.
    TextCase("ascii_20000", "long", "x" * 20_000, Expect.TOO_LONG),
    TextCase("vietnamese_20000", "long", _VIETNAMESE_20K, Expect.TOO_LONG),
    TextCase("at_the_limit", "long", _exactly(MAX_CHARS, "lệ phí đăng ký khai sinh "), Expect.ANSWER),
    TextCase(
        "one_over_the_limit", "long", _exactly(MAX_CHARS + 1, "lệ phí đăng ký khai sinh "), Expect.TOO_LONG
    ),
    TextCase("one_long_word", "long", "a" * MAX_CHARS, Expect.ANSWER),
    TextCase("two_thousand_lines", "long", "xin chào\n" * 2000, Expect.TOO_LONG),
    # HTML and script tags: plain text everywhere, never markup.
    TextCase("script_tag", "html", "<script>alert('hostile')</script>", Expect.ANSWER),
    TextCase("img_onerror", "html", '<img src=x onerror="alert(1)">', Expect.ANSWER),
    TextCase("bold_question", "html", "<b>lệ phí</b> đăng ký khai sinh", Expect.ANSWER, contains="khai sinh"),
    TextCase("html_entities", "html", "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x3C;", Expect.ANSWER),
    TextCase("javascript_url", "html", "javascript:alert(document.cookie)", Expect.ANSWER),
    TextCase("link_tag", "html", '<a href="https://evil.example/">bấm vào đây</a>', Expect.ANSWER),
    TextCase("textarea_breakout", "html", "</textarea><script>alert(1)</script>", Expect.ANSWER),
    TextCase("telegram_tags", "html", "<tg-spoiler>bí mật</tg-spoiler> <code>x</code> <pre>", Expect.ANSWER),
    TextCase("svg_onload", "html", "<svg/onload=alert(1)>", Expect.ANSWER),
    TextCase(
        "script_then_handoff",
        "html",
        "cho tôi gặp cán bộ",
        Expect.ANSWER,
        before=("<script>alert('hostile-handoff')</script>",),
        contains="cán bộ",
    ),
    # SQL fragments: stored as text, the tables intact.
    TextCase("drop_table", "sql", "'; DROP TABLE conversation_messages; --", Expect.ANSWER),
    TextCase("or_true", "sql", "1' OR '1'='1", Expect.ANSWER),
    TextCase(
        "union_select",
        "sql",
        "lệ phí khai sinh' UNION SELECT password_hash FROM staff_users --",
        Expect.ANSWER,
    ),
    TextCase("delete_inbox", "sql", "Robert'); DELETE FROM inbox_items; --", Expect.ANSWER),
    TextCase("like_wildcards", "sql", "%' AND 1=1 -- _%", Expect.ANSWER),
    TextCase("stacked_sleep", "sql", "1; SELECT pg_sleep(10); --", Expect.ANSWER),
    TextCase("double_quotes", "sql", '" OR ""="', Expect.ANSWER),
    # Format strings: never formatted.
    TextCase("printf", "format", "%s %d %n %x %%", Expect.ANSWER),
    TextCase("str_format", "format", "{0} {1} {limit} {code} {hours}", Expect.ANSWER),
    TextCase("named_percent", "format", "%(name)s %(hours)s", Expect.ANSWER),
    TextCase("template_injection", "format", "{{7*7}} ${7*7} #{7*7} <%= 7*7 %>", Expect.ANSWER),
    TextCase("attribute_format", "format", "{0.__class__.__mro__} {reference.__init__}", Expect.ANSWER),
    TextCase(
        "log_line_injection",
        "format",
        "xin chào\n2026-01-01 ERROR bot.api: fake log line",
        Expect.ANSWER,
    ),
    # Receipt codes in the dossier lookup: very long, malformed, odd digits.
    _lookup("code_sql", "'; DROP TABLE dossiers; --", _BAD_CODE),
    _lookup("code_1000_zeros", "0" * MAX_CHARS, _BAD_CODE),
    _lookup("code_repeated", _exactly(MAX_CHARS, DOSSIER_CODE), _ASK_DIGITS),
    _lookup("code_with_a_long_tail", DOSSIER_CODE + "9" * 500, _ASK_DIGITS),
    _lookup(
        "code_with_zero_width", DOSSIER_CODE.replace("-", "\u200b-", 1), _ASK_DIGITS, stored=DOSSIER_CODE
    ),
    _lookup("code_wildcards", "%_%", _BAD_CODE),
    _lookup("code_script", "<script>alert(1)</script>", _BAD_CODE),
    _lookup("code_format_string", "{code}%s", _BAD_CODE),
    _lookup("digits_sql", "1234'; DROP TABLE dossiers; --", _ASK_DIGITS, code=DOSSIER_CODE),
    _lookup("fullwidth_digits", _fullwidth(DOSSIER_DIGITS), DOSSIER_CODE, code=_fullwidth(DOSSIER_CODE)),
    _lookup(
        "arabic_indic_digits", _arabic_indic(DOSSIER_DIGITS), DOSSIER_CODE, code=_arabic_indic(DOSSIER_CODE)
    ),
    TextCase("code_over_the_limit", "receipt_code", DOSSIER_CODE * 50, Expect.TOO_LONG, before=(_LOOKUP,)),
    # Texts shaped like button payloads (the widget sends payloads as text); commands on Telegram.
    _command("unknown_intent", "/unknown_intent"),
    _command("broken_payload", "/ask_fee{"),
    _command("path_in_entity", '/ask_fee{"procedure_code": "../../etc/passwd"}'),
    _command("huge_entity", '/inform{"receipt_code": "' + "9" * 900 + '"}'),
    _command("script_in_entity", '/feedback{"rating": "<script>alert(1)</script>"}'),
    _command("number_entity", '/ask_fee{"procedure_code": 5}'),
    TextCase("lone_slash", "payload", "/", Expect.ANSWER),
    # Odd but valid Unicode: answered like the plain question.
    _cleaned("decomposed_nfd", "unicode", unicodedata.normalize("NFD", _QUESTION), _QUESTION),
    TextCase("upper_case", "unicode", "LỆ PHÍ ĐĂNG KÝ KHAI SINH", Expect.ANSWER, contains="khai sinh"),
    TextCase("no_diacritics", "unicode", "le phi dang ky khai sinh", Expect.ANSWER, contains="khai sinh"),
    TextCase("chinese", "unicode", "你好，我想办理出生登记", Expect.ANSWER),
    TextCase("cyrillic_lookalikes", "unicode", "lệ phí đăng ký khаі sіnh", Expect.ANSWER),
    TextCase("fullwidth_latin", "unicode", "ｘｉｎ ｃｈàｏ", Expect.ANSWER),
    TextCase("private_use", "unicode", "\ue000\uf8ff", Expect.ANSWER),
    TextCase("noncharacters", "unicode", "\ufffe\uffff xin chào", Expect.ANSWER),
    TextCase("replacement_characters", "unicode", "\ufffd\ufffd", Expect.ANSWER),
)


# The documented answer to each error code: status and the message shown to the citizen.
ERRORS: dict[str, tuple[int, str]] = {
    "": (200, ""),  # answered: the request is valid after all
    "bad_json": (400, texts.BAD_REQUEST),
    "not_found": (404, texts.NOT_FOUND),
    "method_not_allowed": (405, texts.BAD_REQUEST),
    "too_large": (413, TOO_LONG_NOTICE),
    "unsupported_media_type": (415, texts.BAD_REQUEST),
    "bad_sender": (422, texts.BAD_SENDER),
    "bad_text": (422, texts.BAD_REQUEST),
    "bad_message_id": (422, texts.BAD_REQUEST),
}
JSON_TYPE = "application/json"


@dataclass(frozen=True)
class RawCase:
    """One raw HTTP request to the API, and the error code it must get ("" when answered)."""

    name: str
    category: str
    body: bytes | None = None
    error: str = "bad_json"
    content_type: str | None = JSON_TYPE
    method: str = "POST"
    path: str = "/api/v1/messages"
    chunked: bool = False  # the body in chunks, without a Content-Length

    @property
    def answered(self) -> bool:
        return not self.error

    @property
    def status(self) -> int:
        return ERRORS[self.error][0]

    @property
    def message(self) -> str:
        return ERRORS[self.error][1]


def _body(**fields: Any) -> bytes:
    return json.dumps({"sender": SENDER, **fields}, ensure_ascii=False).encode()


def _raw_text(text: bytes) -> bytes:
    """A body whose ``text`` is ``text``, bytes spliced in as they are."""
    return b'{"sender": "' + SENDER.encode() + b'", "text": ' + text + b"}"


def _sender(raw: bytes) -> bytes:
    return b'{"sender": ' + raw + b', "text": "a"}'


_HELLO = _body(text="xin chào")
_UTF16 = json.dumps({"sender": SENDER, "text": "xin chào"})
_UNSUPPORTED = "unsupported_media_type"

RAW_CASES: tuple[RawCase, ...] = (
    # Invalid UTF-8.
    RawCase("invalid_byte", "invalid_utf8", _raw_text(b'"l\xff ph\xed"')),
    RawCase("overlong_slash", "invalid_utf8", _raw_text(b'"\xc0\xaf"')),
    RawCase("encoded_surrogate", "invalid_utf8", _raw_text(b'"\xed\xa0\x80"')),
    RawCase("truncated_sequence", "invalid_utf8", _raw_text(b'"l\xe1\xbb"')),
    RawCase("utf16_with_bom", "invalid_utf8", _UTF16.encode("utf-16")),
    RawCase(
        "utf16_declared",
        "invalid_utf8",
        _UTF16.encode("utf-16-le"),
        content_type=JSON_TYPE + "; charset=utf-16le",
    ),
    # Malformed JSON.
    RawCase("not_json", "malformed_json", b"{not json"),
    RawCase("empty_body", "malformed_json", b""),
    RawCase("truncated_json", "malformed_json", _HELLO[:-8]),
    RawCase("single_quotes", "malformed_json", b"{'sender': '" + SENDER.encode() + b"', 'text': 'a'}"),
    RawCase("trailing_comma", "malformed_json", _HELLO[:-1] + b",}"),
    RawCase("json_null", "malformed_json", b"null"),
    RawCase("json_array", "malformed_json", b"[" + _HELLO + b"]"),
    RawCase("json_string", "malformed_json", '"xin chào"'.encode()),
    RawCase("deeply_nested_arrays", "malformed_json", b"[" * 30_000 + b"]" * 30_000),
    RawCase("deeply_nested_objects", "malformed_json", b'{"a":' * 10_000 + b"1" + b"}" * 10_000),
    RawCase("nan_text", "malformed_json", _raw_text(b"NaN"), "bad_text"),
    RawCase("huge_integer_text", "malformed_json", _raw_text(b"1" + b"0" * 5000)),
    RawCase("duplicate_keys", "malformed_json", _raw_text('"", "text": "xin chào"'.encode()), ""),
    # Oversized bodies (over 64 KB).
    RawCase("body_70k", "oversized", _body(text="x" * 70_000), "too_large"),
    # 20,000 letters such as "ữ", each sent as "\\u1eef": 120 KB.
    RawCase(
        "escaped_vietnamese_20k",
        "oversized",
        json.dumps({"sender": SENDER, "text": "ữ" * 20_000}).encode(),
        "too_large",
    ),
    RawCase("chunked_70k", "oversized", _body(text="x" * 70_000), "too_large", chunked=True),
    RawCase(
        "many_unknown_fields", "oversized", _body(text="xin chào", **{f"x{i}": i for i in range(4000)}), ""
    ),
    # Wrong content types.
    RawCase("text_plain", "content_type", _HELLO, _UNSUPPORTED, "text/plain"),
    RawCase(
        "form_urlencoded",
        "content_type",
        b"sender=x&text=xin+chao",
        _UNSUPPORTED,
        "application/x-www-form-urlencoded",
    ),
    RawCase(
        "multipart",
        "content_type",
        b"--b\r\n\r\nxin chao\r\n--b--\r\n",
        _UNSUPPORTED,
        "multipart/form-data; boundary=b",
    ),
    RawCase("no_content_type", "content_type", _HELLO, _UNSUPPORTED, None),
    RawCase(
        "xml", "content_type", b"<message><text>xin chao</text></message>", _UNSUPPORTED, "application/xml"
    ),
    RawCase("json_with_charset", "content_type", _HELLO, "", JSON_TYPE + "; charset=utf-8"),
    # Missing fields and wrong field types.
    RawCase("empty_object", "fields", b"{}", "bad_sender"),
    RawCase("no_text", "fields", _body(), "bad_text"),
    RawCase("no_sender", "fields", '{"text": "xin chào"}'.encode(), "bad_sender"),
    RawCase("text_null", "fields", _body(text=None), "bad_text"),
    RawCase("text_number", "fields", _body(text=42), "bad_text"),
    RawCase("text_list", "fields", _body(text=["xin chào"]), "bad_text"),
    RawCase("text_operator_object", "fields", _body(text={"$gt": ""}), "bad_text"),
    RawCase("text_true", "fields", _body(text=True), "bad_text"),
    RawCase("sender_number", "fields", _sender(b"12345678901234567890"), "bad_sender"),
    RawCase("sender_telegram", "fields", _sender(b'"tg:12345678901234567"'), "bad_sender"),
    RawCase("sender_path", "fields", _sender(b'"../../../../etc/passwd"'), "bad_sender"),
    RawCase("sender_too_long", "fields", _sender(b'"' + b"a" * 65 + b'"'), "bad_sender"),
    RawCase("sender_sql", "fields", _sender(b"\"x' OR '1'='1' --aaaaaa\""), "bad_sender"),
    RawCase("sender_newline", "fields", _sender(b'"abcdefghijklmnopq\\n"'), "bad_sender"),
    RawCase("message_id_number", "fields", _body(text="a", message_id=5), "bad_message_id"),
    RawCase("message_id_sql", "fields", _body(text="a", message_id="1'; DROP TABLE x;--"), "bad_message_id"),
    RawCase("message_id_too_long", "fields", _body(text="a", message_id="m" * 65), "bad_message_id"),
    # Wrong methods and paths.
    RawCase("get_messages", "method", None, "method_not_allowed", None, "GET"),
    RawCase("put_messages", "method", _HELLO, "method_not_allowed", method="PUT"),
    RawCase(
        "history_sql", "method", None, "bad_sender", None, "GET", "/api/v1/history/'%20OR%201=1%20--%20aaaa"
    ),
    RawCase("history_long", "method", None, "bad_sender", None, "GET", "/api/v1/history/" + "a" * 5000),
    RawCase("history_telegram", "method", None, "bad_sender", None, "GET", "/api/v1/history/tg:1234567"),
    RawCase("unknown_path", "method", None, "not_found", None, "GET", "/api/v1/%3Cscript%3E"),
)


@dataclass(frozen=True)
class TelegramCase:
    """An update only Telegram has, and the notice the citizen must get."""

    name: str
    category: str
    message: dict[str, Any] = field(default_factory=dict)  # fields added to a message without text
    callback_data: str | None = None  # a button press with this data instead
    caption: str | None = None
    expect: Expect = Expect.TEXT_ONLY

    @property
    def stored_text(self) -> str:
        """What the log must hold when the assistant answers (a button's data is a payload)."""
        return self.callback_data or ""


TELEGRAM_CASES: tuple[TelegramCase, ...] = (
    TelegramCase(
        "photo",
        "telegram",
        {"photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]},
    ),
    TelegramCase(
        "photo_with_script_caption",
        "telegram",
        {"photo": [{"file_id": "p2", "file_unique_id": "u2", "width": 90, "height": 90}]},
        caption="<script>alert('hostile')</script>",
    ),
    TelegramCase("location", "telegram", {"location": {"latitude": 21.3256, "longitude": 103.9188}}),
    TelegramCase("voice", "telegram", {"voice": {"file_id": "v1", "file_unique_id": "vu1", "duration": 3}}),
    TelegramCase(
        "sticker",
        "telegram",
        {
            "sticker": {
                "file_id": "s1",
                "file_unique_id": "su1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        },
    ),
    # Button presses with forged data: short data is a payload (as if typed), a token must be known.
    TelegramCase("forged_button_sql", "telegram", callback_data="'; DROP TABLE x; --", expect=Expect.ANSWER),
    TelegramCase("forged_button_long", "telegram", callback_data="x" * 64, expect=Expect.ANSWER),
    TelegramCase("forged_button_invisible", "telegram", callback_data="\u200b\u200b", expect=Expect.EMPTY),
    TelegramCase(
        "forged_button_token", "telegram", callback_data="p:no-such-token", expect=Expect.BUTTON_EXPIRED
    ),
)


def count_inputs() -> int:
    """Distinct inputs in the catalogue (the flood's messages not counted)."""
    return len(TEXT_CASES) + len(RAW_CASES) + len(TELEGRAM_CASES)
