"""Ruby alignment and mora counting, against cases written out by hand."""

import pytest

from builder.text.mora import morae, phrase_morae
from builder.text.ruby import RubyError, align_ruby


@pytest.mark.parametrize("text, reading, expected", [
    ("共連れ", "ともづれ", [("共連", "ともづ"), ("れ", None)]),
    ("共連れで", "ともづれで", [("共連", "ともづ"), ("れで", None)]),
    ("身に覚えの", "みにおぼえの", [("身", "み"), ("に", None), ("覚", "おぼ"), ("えの", None)]),
    ("取引先", "とりひきさき", [("取引先", "とりひきさき")]),
    ("後回し やめて", "あとまわし やめて", [("後回", "あとまわ"), ("し やめて", None)]),
    # katakana in the text anchors against hiragana in the reading
    ("添付ファイル", "てんぷふぁいる", [("添付", "てんぷ"), ("ファイル", None)]),
    ("サポート切れ", "さぽーときれ", [("サポート", None), ("切", "き"), ("れ", None)]),
    # Latin takes its part of the reading but gets no ruby; letters are read by name
    ("拾ったUSB", "ひろったゆーえすびー", [("拾", "ひろ"), ("ったUSB", None)]),
    ("社外PC", "しゃがいぴーしー", [("社外", "しゃがい"), ("PC", None)]),
    # punctuation is not read
    ("えっ、感染？", "えっかんせん", [("えっ、", None), ("感染", "かんせん"), ("？", None)]),
    # 々 belongs to its kanji run
    ("別々に", "べつべつに", [("別々", "べつべつ"), ("に", None)]),
    ("ひらがなだけ", "ひらがなだけ", [("ひらがなだけ", None)]),
])
def test_align(text, reading, expected):
    assert align_ruby(text, reading) == expected
    assert "".join(base for base, _ in align_ruby(text, reading)) == text


@pytest.mark.parametrize("text, reading, words", [
    ("共連れ", "ともづら", "ともづら"),  # the text's れ is not in the reading
    ("取引先", "", "取引先"),
    ("後回し やめて", "あとまわしやめて", "phrases"),  # a missing space
    ("無料Wi-Fi", "むりょうわいふぁい", "more than one way"),  # two unknown runs side by side
])
def test_misfit_is_named(text, reading, words):
    with pytest.raises(RubyError, match=words):
        align_ruby(text, reading)


@pytest.mark.parametrize("kana, count", [
    ("あとまわし", 5),
    ("きゃく", 2),          # きゃ is one mora
    ("しゅっちょう", 4),    # しゅ・っ・ちょ・う
    ("こんにちは", 5),      # ん counts
    ("ぱーてぃー", 4),      # ー counts, ぃ joins: ぱ・ー・てぃ・ー
    ("わいふぁい", 4),      # ふぁ is one mora
    ("ゆーえすびー", 6),
    ("", 0),
])
def test_morae(kana, count):
    assert morae(kana) == count


def test_phrase_morae():
    assert phrase_morae("ふるいけや かわずとびこむ みずのおと") == [5, 7, 5]
    assert phrase_morae("  しゅっぱつ  しんこう ") == [4, 4]


def test_a_reading_that_fits_nowhere_is_settled():
    """Twelve kanji runs between the same kana: trying every combination would not finish
    (seven runs took a second); each (run, position) tried once settles it."""
    with pytest.raises(RubyError, match="does not fit"):
        align_ruby("字の" * 12, "の" * 40 + "か")
