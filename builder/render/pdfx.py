"""PDF/X-1a:2001 additions to a reportlab document: the output intent in the catalog, the PDF/X
keys in the Info dictionary and dated Info.

reportlab writes the rest a PDF/X-1a file needs (PDF 1.3, a document /ID in the trailer,
/Trapped, embedded subset fonts); the painter keeps the content CMYK and opaque. reportlab has
no API for an output intent or extra Info keys, so its catalog and Info objects are replaced by
subclasses that write them; no PDF library is needed afterwards.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase.pdfdoc import PDFArray, PDFCatalog, PDFDate, PDFDictionary, PDFInfo, PDFName, PDFString
from reportlab.pdfgen.canvas import Canvas

from builder.model.theme import PressStyle

VERSION = "PDF/X-1a:2001"


@dataclass(frozen=True)
class PDFX:
    """A print-shop file: the printing condition and the day it was made (seconds since the
    epoch; the build passes one date for all its files, so a rebuild the same day is identical)."""

    condition: PressStyle
    created: float


class _Catalog(PDFCatalog):
    __NoDefault__ = PDFCatalog.__NoDefault__ + ["OutputIntents"]


class _Info(PDFInfo):
    def format(self, document):
        date = PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter)
        return PDFDictionary({
            "Title": PDFString(self.title), "Author": PDFString(self.author), "Subject": PDFString(self.subject),
            "Keywords": PDFString(self.keywords), "Creator": PDFString(self.creator),
            "Producer": PDFString(self.producer), "CreationDate": date, "ModDate": date,
            "Trapped": PDFName("False"),
            "GTS_PDFXVersion": PDFString(VERSION), "GTS_PDFXConformance": PDFString(VERSION),
        }).format(document)


def make_pdfx(canvas: Canvas, pdfx: PDFX) -> None:
    """Turn the canvas's document into a PDF/X-1a:2001 one (call before anything is drawn)."""
    doc = canvas._doc
    doc.Catalog.__class__ = _Catalog
    condition = pdfx.condition
    doc.Catalog.OutputIntents = PDFArray([PDFDictionary({
        "Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFX"),
        "OutputConditionIdentifier": PDFString(condition.output_condition),
        "OutputCondition": PDFString(condition.condition_name),
        "RegistryName": PDFString(condition.registry),
        "Info": PDFString(condition.condition_name),
    })])
    doc.info.__class__ = _Info
    doc._timeStamp = _stamp(pdfx.created)


def _stamp(seconds: float) -> TimeStamp:
    """reportlab's timestamp, set to `seconds` in UTC (its own is the clock or a fixed 2000-01-01)."""
    stamp = TimeStamp(invariant=True)
    stamp.t = seconds
    stamp.lt = time.gmtime(seconds)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp
