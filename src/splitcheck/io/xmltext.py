"""XML parsed at C speed on the safe layer: decoded and checked by :mod:`.xmlsafe`, then
parsed by the stdlib's C parser.

defusedxml's ElementTree parser is the pure-Python one (2-2.5x slower than the C parser
on a one-hour TCX). The C parser is as safe here: :func:`.xmlsafe.refuse_dtd` has
refused any DOCTYPE or entity declaration in the decoded text, and the parser is given
that same text (as str, which it reads as UTF-8 whatever the declaration says), so no
encoding trick shows it a declaration the check did not see.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError, XMLParser

from ..errors import CorruptFileError
from .xmlsafe import decode_xml, not_well_formed_reason, refuse_dtd


def parse_text(data: bytes, source: str) -> tuple[Element, list[str]]:
    """The root element of XML bytes, and the decoding's warnings.

    Raises
    ------
    FileError
        ``XML with a DOCTYPE or entity declarations is refused (unsafe)``.
    CorruptFileError
        ``not well-formed XML at line L, column C (reason)``, or an unknown encoding.
    """
    text, warnings = decode_xml(data, source)
    refuse_dtd(text, source)
    parser = XMLParser()
    try:
        parser.feed(text)
        return parser.close(), warnings
    except ParseError as err:
        raise CorruptFileError(source, not_well_formed_reason(err)) from err
